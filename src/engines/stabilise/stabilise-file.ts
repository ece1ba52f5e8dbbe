/**
 * Stabilise a local file without the registry (CLI): detect into a temp .trf, render the stabilised copy to a
 * temp name next to OUTPUT, rename. OUTPUT is never half-written.
 */
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cutroomError } from '../../errors.js';
import { probeMedia } from '../../ffmpeg/index.js';
import type { StabiliseParams } from '../../plan/stabilise/stabilise-params.js';
import { DEFAULT_STABILISE_PARAMS } from '../../plan/stabilise/stabilise-params.js';
import {
  resolveDetectParams,
  type StabiliseDetectInput,
  type StabiliseDetectParams,
} from './detect-params.js';
import { detectTransforms } from './detect-transforms.js';
import { renderStabilised } from './render-stabilised.js';
import { stabiliseBackendVersion } from './service.js';

export interface StabiliseFileOptions {
  input: string;
  output: string;
  detect?: StabiliseDetectInput;
  render?: Partial<StabiliseParams>;
  signal?: AbortSignal;
}

export interface StabiliseFileResult {
  output: string;
  backend_version: string;
  detect: StabiliseDetectParams;
  render: StabiliseParams;
  detect_ms: number;
  render_ms: number;
}

export async function stabiliseFile(o: StabiliseFileOptions): Promise<StabiliseFileResult> {
  const input = resolve(o.input);
  const output = resolve(o.output);
  if (input === output) throw cutroomError('CLI_USAGE', 'the output must not be the input file', {});
  const render: StabiliseParams = { ...DEFAULT_STABILISE_PARAMS, ...o.render };
  // The same ranges as the timeline's clip.stabilise.
  if (!Number.isInteger(render.smoothing) || render.smoothing < 0 || render.smoothing > 100)
    throw cutroomError('CLI_USAGE', `smoothing must be an integer in 0..100, got ${render.smoothing}`, {});
  if (!Number.isFinite(render.zoom) || render.zoom < -50 || render.zoom > 50)
    throw cutroomError('CLI_USAGE', `zoom must be in -50..50 percent, got ${render.zoom}`, {});
  const detect = resolveDetectParams({ ...o.detect, tripod: o.detect?.tripod ?? render.tripod });
  if (detect.tripod !== render.tripod)
    throw cutroomError('CLI_USAGE', 'tripod mode must be the same for detection and rendering', {});
  const info = await probeMedia({ path: input });
  if (!info.video || info.video.still)
    throw cutroomError('UNSUPPORTED_MEDIA', `${o.input} has no moving video to stabilise`, {});
  const backend = await stabiliseBackendVersion();
  const workDir = await mkdtemp(join(tmpdir(), 'cutroom-stabilise-'));
  const tmp = join(dirname(output), `.${process.pid}.cutroom-stabilise.mp4`);
  try {
    const trf = join(workDir, 'transforms.trf');
    const signal = o.signal ? { signal: o.signal } : {};
    const d = await detectTransforms({ source: input, output: trf, params: detect, ...signal });
    const r = await renderStabilised({
      source: input,
      transformsPath: trf,
      output: tmp,
      params: render,
      hasAudio: info.audio !== undefined,
      backend,
      durationMs: info.duration_ms,
      ...signal,
    });
    await rename(tmp, output);
    return {
      output,
      backend_version: backend,
      detect,
      render,
      detect_ms: d.elapsedMs,
      render_ms: r.elapsedMs,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
    await rm(tmp, { force: true });
  }
}
