/**
 * The level envelope the word cutter looks for the quietest point in: RMS in dBFS per 5 ms of the asset's
 * first audio stream, decoded as 16 kHz mono (the rate the recogniser heard; quiet vs loud does not need
 * more). Read in 5-minute windows so a long recording never sits in memory as PCM (10 min = 120 000 levels).
 */
import { readPcm } from '../../ffmpeg/index.js';
import type { LevelEnvelope } from '../../plan/transcript-edit/index.js';

export const LEVEL_STEP_MS = 5;
const RATE = 16000;
const WINDOW_MS = 5 * 60 * 1000;

export async function measureLevels(input: {
  path: string;
  /** Source time level 0 starts at (default 0): a clip's in point. */
  startMs?: number;
  durationMs: number;
  signal?: AbortSignal;
}): Promise<LevelEnvelope> {
  const per = (RATE * LEVEL_STEP_MS) / 1000;
  const levels: number[] = [];
  for (let start = 0; start < input.durationMs; start += WINDOW_MS) {
    const pcm = await readPcm({
      path: input.path,
      sampleRate: RATE,
      startMs: (input.startMs ?? 0) + start,
      durationMs: Math.min(WINDOW_MS, input.durationMs - start),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    for (let i = 0; i + per <= pcm.length; i += per) {
      let sum = 0;
      for (let k = i; k < i + per; k++) sum += pcm[k]! * pcm[k]!;
      levels.push(10 * Math.log10(sum / per + 1e-12));
    }
    if (pcm.length < ((Math.min(WINDOW_MS, input.durationMs - start) * RATE) / 1000) * 0.9) break;
  }
  return { step_ms: LEVEL_STEP_MS, levels };
}
