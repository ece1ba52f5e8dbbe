/**
 * Chooses the face detector: BlazeFace on onnxruntime-node when both the package and the model file are
 * there, else the stub with a REGIONS_STUB_BACKEND warning saying what is missing and how to fix it.
 * Loaded backends are cached per model path (a session costs ~50 ms and some memory).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FaceDetectorBackend, SelectedBackend } from './backend.js';
import { createBlazeFaceBackend, type OrtModule } from './blazeface-backend.js';
import { defaultMinConfidence } from './min-confidence.js';
import { BLAZEFACE_MODEL_FILE, modelsDir } from './models-dir.js';
import { createStubFaceBackend } from './stub-backend.js';

export interface SelectFaceBackendOptions {
  /** Directory holding blazeface/…onnx; default $CUTROOM_MODELS_DIR or .cache/models at the package root. */
  modelsDir?: string;
  env?: Record<string, string | undefined>;
  /** Tests inject a failing loader to exercise the "onnxruntime missing" path. */
  loadOrt?: () => Promise<OrtModule>;
}

export const REGIONS_STUB_BACKEND = 'REGIONS_STUB_BACKEND';

const cache = new Map<string, Promise<FaceDetectorBackend>>();

async function defaultLoadOrt(): Promise<OrtModule> {
  const mod = (await import('onnxruntime-node')) as unknown as OrtModule & { default?: OrtModule };
  return mod.InferenceSession ? mod : mod.default!;
}

export async function selectFaceBackend(opts: SelectFaceBackendOptions = {}): Promise<SelectedBackend> {
  const env = opts.env ?? process.env;
  const minConfidence = defaultMinConfidence(env);
  const dir = opts.modelsDir ?? modelsDir(env);
  const modelPath = join(dir, BLAZEFACE_MODEL_FILE);
  const stub = (why: string): SelectedBackend => ({
    backend: createStubFaceBackend({ minConfidence }),
    warnings: [
      {
        code: REGIONS_STUB_BACKEND,
        message: `${why}; face regions come from a stub (one placeholder face in the centre, stub: true). Run scripts/fetch-models.sh or set CUTROOM_MODELS_DIR.`,
      },
    ],
  });
  if (!existsSync(modelPath)) return stub(`BlazeFace model not found at ${modelPath}`);
  let ort: OrtModule;
  try {
    ort = await (opts.loadOrt ?? defaultLoadOrt)();
  } catch (err) {
    return stub(`onnxruntime-node could not be loaded (${(err as Error).message})`);
  }
  const key = `${modelPath}\0${minConfidence}\0${opts.loadOrt ? 'custom' : 'default'}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = createBlazeFaceBackend({ ort, modelPath, minConfidence });
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  try {
    return { backend: await pending, warnings: [] };
  } catch (err) {
    return stub(`the BlazeFace model at ${modelPath} could not be loaded (${(err as Error).message})`);
  }
}
