/**
 * Pass 2 over a whole file: the stabilised copy of a source (CLI `cutroom stabilise`, benchmarks). The same
 * filter the planner uses for clips (src/plan/stabilise), applied to the source decoded from frame 0.
 */
import { inputUrl, runFfmpeg } from '../../ffmpeg/index.js';
import type { StabiliseParams } from '../../plan/stabilise/stabilise-params.js';
import { stabiliseFilter } from '../../plan/stabilise/stabilise-filter.js';

export interface RenderStabilisedOptions {
  source: string;
  transformsPath: string;
  output: string;
  params: StabiliseParams;
  /** Keep the source's audio (re-encoded to AAC). */
  hasAudio: boolean;
  backend: string;
  /** x264 settings; default veryfast / CRF 18 (a visually clean copy). */
  preset?: string;
  crf?: number;
  threads?: number;
  durationMs?: number;
  signal?: AbortSignal;
}

export async function renderStabilised(
  o: RenderStabilisedOptions,
): Promise<{ filter: string; elapsedMs: number }> {
  const { filter } = stabiliseFilter({
    ...o.params,
    transformsPath: o.transformsPath,
    clipPath: 'file',
    clipId: 'file',
    backend: o.backend,
  });
  const { elapsedMs } = await runFfmpeg({
    args: [
      '-i',
      inputUrl(o.source),
      '-map',
      '0:v:0',
      ...(o.hasAudio ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', '192k'] : []),
      '-vf',
      `${filter},format=yuv420p`,
      '-c:v',
      'libx264',
      '-preset',
      o.preset ?? 'veryfast',
      '-crf',
      String(o.crf ?? 18),
      ...(o.threads !== undefined ? ['-threads', String(o.threads)] : []),
      '-movflags',
      '+faststart',
    ],
    output: o.output,
    stage: 'encode',
    context: { engine: 'stabilise' },
    ...(o.durationMs !== undefined ? { durationMs: o.durationMs } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  return { filter, elapsedMs };
}
