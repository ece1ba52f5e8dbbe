/**
 * Split a render into ranges so that no single ffmpeg process opens more than `maxInputs` inputs. ffmpeg 5.1
 * keeps every input's decoder allocated until the end of a run (see segment-input.ts), so a timeline with
 * hundreds of segments costs memory per segment; rendering it as chunks (each a `range` compile, joined
 * afterwards) bounds that. Chunk edges fall on input boundaries where possible; a range that cuts a transition
 * window still renders exactly (compile trims the window).
 */
import { compile } from './compile.js';
import { msAtFrame } from './frame-grid.js';
import type { CompileInput } from './types.js';

export interface PlanChunk {
  start_ms: number;
  duration_ms: number;
  /** Inputs this chunk's plan will open. */
  inputs: number;
}

export function planChunks(options: { input: CompileInput; maxInputs: number }): PlanChunk[] {
  const { input, maxInputs } = options;
  const whole = compile({ ...input, range: undefined });
  const grid = { fps: whole.meta.fps, sampleRate: Number(whole.meta.sample_rate) };
  const total = whole.meta.frame_count;
  const spans = whole.inputs
    .map((i) => i.frames)
    .filter((f): f is [number, number] => f !== undefined)
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);

  const toMs = (f: number) => Math.round(msAtFrame(grid, f));
  const chunks: PlanChunk[] = [];
  let a = 0;
  while (a < total) {
    // Inputs already open at `a`, then add inputs in start order until one more would exceed the limit.
    const live = spans.filter(([f0, f1]) => f0 <= a && f1 > a);
    let count = live.length;
    let b = total;
    for (const [f0, f1] of spans) {
      if (f0 <= a || f1 <= a) continue;
      if (f0 >= total) break;
      if (count + 1 > maxInputs) {
        b = f0;
        break;
      }
      count++;
    }
    if (b <= a) b = a + 1;
    const inputs = spans.filter(([f0, f1]) => f0 < b && f1 > a).length;
    chunks.push({ start_ms: toMs(a), duration_ms: toMs(b) - toMs(a), inputs });
    a = b;
  }
  return chunks;
}
