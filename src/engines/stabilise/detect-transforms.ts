/**
 * Pass 1 of vid.stab over a whole source file: `vidstabdetect` writes one line of local motions per decoded
 * frame to a .trf file. The source is decoded from its first frame with nothing dropped or repeated (the
 * filter sees every decoded frame; `-f null` discards the output), which is the frame numbering
 * vidstabtransform relies on at render time (see src/plan/stabilise/stabilise-segment.ts).
 */
import { inputUrl, runFfmpeg } from '../../ffmpeg/index.js';
import { escapeFilterPath, formatNumber } from '../../plan/format.js';
import type { StabiliseDetectParams } from './detect-params.js';

export interface DetectTransformsOptions {
  source: string;
  /** Where the .trf file is written. */
  output: string;
  params: StabiliseDetectParams;
  durationMs?: number;
  signal?: AbortSignal;
}

export function vidstabDetectFilter(o: { output: string; params: StabiliseDetectParams }): string {
  const p = o.params;
  return [
    `vidstabdetect=shakiness=${formatNumber(p.shakiness)}`,
    `accuracy=${formatNumber(p.accuracy)}`,
    `stepsize=${formatNumber(p.stepsize)}`,
    `mincontrast=${formatNumber(p.mincontrast)}`,
    // tripod=1: frame 1 is the reference every other frame is measured against (vidstabtransform tripod=1).
    `tripod=${p.tripod ? 1 : 0}`,
    `result=${escapeFilterPath(o.output)}`,
  ].join(':');
}

export async function detectTransforms(o: DetectTransformsOptions): Promise<{ elapsedMs: number }> {
  const { elapsedMs } = await runFfmpeg({
    args: [
      '-i',
      inputUrl(o.source),
      '-map',
      '0:v:0',
      '-vf',
      vidstabDetectFilter({ output: o.output, params: o.params }),
      '-f',
      'null',
      '-',
    ],
    stage: 'encode',
    context: { engine: 'stabilise' },
    ...(o.durationMs !== undefined ? { durationMs: o.durationMs } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  return { elapsedMs };
}
