/**
 * The loudness measurement pass of a render with a loudness target: the timeline's audio mix, compiled exactly as
 * the real plan builds it but without normalisation (compile's `loudness_pass: 'measure'`), metered by ebur128.
 * Audio only: inputs are opened with -vn, so no picture is decoded and the pass costs a fraction of the render.
 *
 * Why a pass of its own: single-pass loudnorm looks 3 s ahead, so ffmpeg queues ~3 s of finished output frames
 * (1.66 GB at 1080p); with the integrated loudness known, the real plan applies one exact gain + a limiter.
 * Always over the WHOLE timeline (never a range): chunks, the audio pass of a chunked render and a one-piece
 * render then all get the same gain.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cutroomError } from '../errors.js';
import { parseEbur128Summary } from '../ffmpeg/parse-ebur128.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { compile } from '../plan/compile.js';
import type { CompileInput } from '../plan/types.js';

export interface MeasureLoudnessInput {
  /** The real render's compile input; range, streams and any measurement in it are ignored. */
  compileInput: CompileInput;
  /** A directory of its own for the pass's helper files (a long graph's script file). */
  workDir: string;
  signal?: AbortSignal;
}

export interface LoudnessMeasurement {
  /** Integrated loudness of the mix (EBU R128), or -Infinity for a silent mix (nothing above the gate). */
  integrated_lufs: number;
  silent: boolean;
  /** plan_hash of the measurement plan. */
  plan_hash: string;
  elapsed_ms: number;
}

export async function measureLoudness(input: MeasureLoudnessInput): Promise<LoudnessMeasurement> {
  const {
    range: _range,
    streams: _streams,
    loudness_measurement: _m,
    gop_frames: _g,
    // The mix of the whole timeline, whatever the output (a poster's one frame, a GIF without sound).
    output: _o,
    output_extension: _oe,
    ...rest
  } = input.compileInput;
  const plan = compile({ ...rest, work_dir: input.workDir, loudness_pass: 'measure' });
  await mkdir(input.workDir, { recursive: true });
  for (const file of plan.files) await writeFile(file.path, file.content, 'utf8');
  const result = await runFfmpeg({
    args: plan.args,
    durationMs: plan.meta.duration_ms,
    stage: 'plan',
    context: { pass: 'loudness_measure', profile: plan.meta.profile, plan_hash: plan.meta.plan_hash },
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const summary = parseEbur128Summary(result.stderrTail);
  if (!summary) {
    throw cutroomError('RENDER_FAILED', 'the loudness measurement pass printed no ebur128 summary', {
      stage: 'plan',
      stderr_tail: result.stderrTail,
    });
  }
  return {
    integrated_lufs: summary.silent ? Number.NEGATIVE_INFINITY : summary.integrated_lufs,
    silent: summary.silent,
    plan_hash: plan.meta.plan_hash,
    elapsed_ms: result.elapsedMs,
  };
}
