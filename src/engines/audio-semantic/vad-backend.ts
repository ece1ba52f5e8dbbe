/**
 * Speech probability per 32 ms window (512 samples at 16 kHz), behind one interface: Silero VAD (ONNX, run with
 * onnxruntime-node) or, when the runtime or the model file is missing, an energy-based stub.
 *
 * Deliberately not in the interface: sample rates other than 16 kHz, batching (windows depend on the recurrent
 * state of the previous one, so they are sequential anyway).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const VAD_SAMPLE_RATE = 16000;
export const VAD_WINDOW = 512;

export interface VadBackend {
  readonly name: string;
  readonly stub: boolean;
  /** Probability 0..1 that the window (VAD_WINDOW samples) holds speech. Windows must come in order. */
  process(window: Float32Array): Promise<number>;
  close(): Promise<void>;
}

/** Default model location: CUTROOM_VAD_MODEL, else .cache/models/silero-vad/ under the working directory
 * (scripts/fetch-vad-model.sh puts it there). */
export function defaultVadModelPath(): string {
  return process.env.CUTROOM_VAD_MODEL || resolve('.cache/models/silero-vad/silero_vad_16k_op15.onnx');
}

type Ort = typeof import('onnxruntime-node');

/**
 * Silero v5 (inputs input/state/sr, 64-sample context carried between windows) or v4 (input/sr/h/c, no
 * context). Which one is read from the session's input names, so either model file works.
 */
export async function createSileroVad({ modelPath }: { modelPath: string }): Promise<VadBackend> {
  if (!existsSync(modelPath)) throw new Error(`Silero VAD model not found at ${modelPath}`);
  const ort: Ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const inputs = new Set(session.inputNames);
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
  const outProb = session.outputNames[0]!;
  if (inputs.has('state')) {
    const CONTEXT = 64;
    let state = new Float32Array(2 * 1 * 128);
    const buf = new Float32Array(CONTEXT + VAD_WINDOW);
    const stateOut = session.outputNames.find((n) => n !== outProb)!;
    return {
      name: 'silero-vad-v5',
      stub: false,
      async process(window) {
        // The v5 graph expects the last 64 samples of the previous window in front of each new one.
        buf.copyWithin(0, VAD_WINDOW, VAD_WINDOW + CONTEXT);
        buf.set(window.subarray(0, VAD_WINDOW), CONTEXT);
        const r = await session.run({
          input: new ort.Tensor('float32', buf.slice(), [1, CONTEXT + VAD_WINDOW]),
          state: new ort.Tensor('float32', state, [2, 1, 128]),
          sr,
        });
        state = Float32Array.from(r[stateOut]!.data as Float32Array);
        return (r[outProb]!.data as Float32Array)[0]!;
      },
      close: () => session.release(),
    };
  }
  if (inputs.has('h') && inputs.has('c')) {
    let h = new Float32Array(2 * 1 * 64);
    let c = new Float32Array(2 * 1 * 64);
    const [hn, cn] = [session.outputNames[1]!, session.outputNames[2]!];
    return {
      name: 'silero-vad-v4',
      stub: false,
      async process(window) {
        const r = await session.run({
          input: new ort.Tensor('float32', window.slice(0, VAD_WINDOW), [1, VAD_WINDOW]),
          sr,
          h: new ort.Tensor('float32', h, [2, 1, 64]),
          c: new ort.Tensor('float32', c, [2, 1, 64]),
        });
        h = Float32Array.from(r[hn]!.data as Float32Array);
        c = Float32Array.from(r[cn]!.data as Float32Array);
        return (r[outProb]!.data as Float32Array)[0]!;
      },
      close: () => session.release(),
    };
  }
  await session.release();
  throw new Error(`unrecognised VAD model inputs: ${session.inputNames.join(', ')}`);
}

/**
 * Stub: energy above an adaptive noise floor reads as "speech". It cannot tell speech from music or noise;
 * results carry stub: true and a warning.
 */
export function createEnergyVad(): VadBackend {
  let floorDb = -60;
  return {
    name: 'energy-vad-stub',
    stub: true,
    process(window) {
      let s = 0;
      for (let i = 0; i < VAD_WINDOW; i++) s += window[i]! * window[i]!;
      const db = 10 * Math.log10(s / VAD_WINDOW + 1e-12);
      // The floor follows quiet windows quickly and loud ones slowly.
      floorDb = db < floorDb ? 0.7 * floorDb + 0.3 * db : 0.999 * floorDb + 0.001 * db;
      const above = db - Math.max(floorDb, -70);
      return Promise.resolve(Math.max(0, Math.min(1, (above - 6) / 12)));
    },
    close: () => Promise.resolve(),
  };
}
