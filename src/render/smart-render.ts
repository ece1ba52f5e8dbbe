/**
 * Smart render: copy what is not changed, encode only what is. The pure planner (src/plan/smart-plan.ts) says
 * which output frames are whole GOPs of an unchanged source; this runs it and executes the result:
 *
 * 1. index every video source's packets (ffprobe, demux only; memoised per process);
 * 2. encode each `encode` segment as a frame-exact `range` compile of the SAME timeline (video only), with the
 *    joined source's H.264 profile, level and colour (smartPatchArgs) — so changed frames are rendered exactly
 *    as the full render renders them. Patches are encoded in batches (smartPatchBatchArgs): all patches that
 *    join one source in up to `concurrency` ffmpeg runs, one x264 session each, an IDR forced at every patch
 *    start and the segment muxer writing each patch to its own file;
 * 3. render the audio ONCE for the whole timeline (the full render's own audio plan, measured loudness
 *    included): AAC frames do not split on video frame edges, so one pass keeps it continuous and in sync to
 *    the sample at every join;
 * 4. join without re-encoding: the concat demuxer reads patches and source packet ranges (inpoint/outpoint on
 *    clean keyframes) in order, converting each H.264 piece to Annex B with its own SPS/PPS in-band
 *    (auto_convert), and the `setts` bitstream filter snaps every timestamp to the output frame grid (the
 *    demuxer offsets a copied range by its inpoint in µs, a quarter frame past the keyframe by design).
 *    HEVC: the demuxer converts nothing for HEVC, and a join read straight from MP4 pieces decodes every piece
 *    with the FIRST piece's VPS/SPS/PPS (patches fail with "cu_qp_delta outside the valid range", "Could not
 *    find ref"). So each copied range is first cut out (same inpoint/outpoint) into MPEG-TS through
 *    hevc_mp4toannexb, which writes its source's parameter sets before every IRAP frame, patches are encoded
 *    into MPEG-TS with x265 repeating its headers, and the join reads those; the MP4 sample entry is `hev1`
 *    (parameter sets in-band allowed), so each piece decodes with its own.
 *
 * When nothing can be copied the ordinary render runs (same output as without `smart`), and the plan meta still
 * says why (meta.smart.fallback, non_copy).
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { RequestContext } from '../context.js';
import { cutroomError } from '../errors.js';
import { probePacketIndex } from '../ffmpeg/probe-packet-index.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { concatList } from '../jobs/concat-list.js';
import type { Services } from '../media/services.js';
import { compile } from '../plan/compile.js';
import { msAtFrame } from '../plan/frame-grid.js';
import { getProfile } from '../plan/profiles.js';
import { smartPatchArgs } from '../plan/smart-encoder-args.js';
import { batchPatches, smartPatchBatchArgs } from '../plan/smart-patch-batch.js';
import { planSmartRender, type SmartMeta, type SmartPlan, type SmartSegment } from '../plan/smart-plan.js';
import type { CompileInput, PlanMeta } from '../plan/types.js';
import type { Timeline, VideoPacketIndex } from '../timeline/index.js';
import { measureLoudness } from './measure-loudness.js';
import { prepareCompileInput } from './prepare-render.js';
import { renderToFile } from './render-to-file.js';

/** A smart plan with what it was made from, so a caller can decide before rendering (planSmartForRender). */
export interface PlannedSmartRender {
  compileInput: CompileInput;
  indexes: Record<string, VideoPacketIndex>;
  smart: SmartPlan;
}

/**
 * True when the edit is cut-only and every segment qualifies: something is copied, and every frame that is
 * not copied is encoded only because it lies in a partial GOP at a cut (no effect, title, transition, gap or
 * incompatible source anywhere). Renders without an explicit `smart` choice go smart exactly then.
 */
export function smartQualifies(meta: SmartMeta): boolean {
  return meta.frames_copied > 0 && meta.non_copy.every((r) => r.code === 'partial_gop');
}

/**
 * Prepare the compile input, index every video source's packets (memoised per process) and plan the smart
 * render. Cheap next to any encode: demux only, no decoding.
 */
export async function planSmartForRender(input: {
  services: Services;
  ctx: RequestContext;
  timeline: Timeline;
  profile: string;
  workDir: string;
  signal?: AbortSignal;
}): Promise<PlannedSmartRender> {
  const { signal } = input;
  const { compileInput } = await prepareCompileInput({
    services: input.services,
    ctx: input.ctx,
    timeline: input.timeline,
    profile: input.profile,
    workDir: input.workDir,
  });
  const indexes: Record<string, VideoPacketIndex> = {};
  for (const source of Object.values(compileInput.sources).sort((a, b) =>
    a.asset_id < b.asset_id ? -1 : 1,
  )) {
    if (!source.info.video || source.info.video.still) continue;
    try {
      indexes[source.asset_id] = await probePacketIndex({
        path: source.path,
        ...(signal ? { signal } : {}),
      });
    } catch {
      // Not indexed: the planner encodes that source's frames and records `not_indexed`.
    }
  }
  return { compileInput, indexes, smart: planSmartRender({ compile: compileInput, indexes }) };
}

/** The public meta of a smart plan that was not rendered smart (a full render ran instead). */
export function declinedSmartMeta(smart: SmartPlan): SmartRenderMeta {
  return { ...smart.meta, fallback: true, segments: publicSegments(smart.segments) };
}

export interface SmartRenderInput {
  services: Services;
  ctx: RequestContext;
  timeline: Timeline;
  profile: string;
  output: string;
  /** Patches encoded at once (default 2). */
  concurrency?: number;
  signal?: AbortSignal;
  /**
   * A plan from planSmartForRender() (same timeline and profile; its work directory must live until this
   * returns); planned here when absent.
   */
  planned?: PlannedSmartRender;
  /** 0..1 over patches, audio and the join; detail.phase says which (reported as each one starts). */
  onProgress?: (fraction: number, detail: Record<string, unknown>) => void;
}

export interface SmartRenderMeta extends SmartMeta {
  /** True when nothing could be copied and the ordinary render ran. */
  fallback: boolean;
  /** ffmpeg runs that encoded the patches (several patches each); absent when no smart render ran. */
  patch_runs?: number;
  segments: Array<
    | { kind: 'copy'; frames: [number, number]; asset_id: string; source_frames: [number, number] }
    | { kind: 'encode'; frames: [number, number]; reasons: string[] }
  >;
}

export interface SmartRenderResult {
  output: string;
  meta: PlanMeta & { smart: SmartRenderMeta };
  warnings: import('../errors.js').Warning[];
  elapsed_ms: number;
}

/** The timescale ffmpeg's MP4 muxer gives an encoded stream of this frame rate (doubled until ≥ 10000). */
function mp4Timescale(fps: { num: number; den: number }): number {
  let t = fps.num;
  while (t < 10000) t *= 2;
  return t;
}

async function pool<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  let failed: unknown;
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined && failed === undefined; item = queue.shift()) {
      try {
        await work(item);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  if (failed !== undefined) throw failed;
}

function publicSegments(segments: SmartSegment[]): SmartRenderMeta['segments'] {
  return segments.map((s) =>
    s.kind === 'copy'
      ? { kind: 'copy', frames: s.frames, asset_id: s.source.asset_id, source_frames: s.source.source_frames }
      : { kind: 'encode', frames: s.frames, reasons: s.reasons },
  );
}

export async function smartRenderToFile(input: SmartRenderInput): Promise<SmartRenderResult> {
  const started = Date.now();
  const { services, ctx, timeline, signal } = input;
  const output = resolve(input.output);
  const profile = getProfile(input.profile);
  await mkdir(dirname(output), { recursive: true });
  await mkdir(services.config.workDir, { recursive: true });
  const workDir = await mkdtemp(join(services.config.workDir, 'smart-'));
  const ext = output.slice(output.lastIndexOf('.'));
  const partial = join(dirname(output), `.partial-smart-${process.pid}-${Date.now()}${ext}`);
  try {
    const { compileInput, indexes, smart } =
      input.planned ??
      (await planSmartForRender({
        services,
        ctx,
        timeline,
        profile: profile.id,
        workDir,
        ...(signal ? { signal } : {}),
      }));
    const report = (fraction: number, detail: Record<string, unknown>) =>
      input.onProgress?.(fraction, detail);

    if (smart.meta.frames_copied === 0) {
      const r = await renderToFile({
        services,
        ctx,
        timeline,
        profile: profile.id,
        output,
        ...(signal ? { signal } : {}),
        ...(input.onProgress ? { onProgress: (p) => report(p.fraction, { phase: 'full' }) } : {}),
      });
      return {
        output,
        meta: {
          ...r.plan.meta,
          smart: { ...smart.meta, fallback: true, segments: publicSegments(smart.segments) },
        },
        warnings: r.warnings,
        elapsed_ms: Date.now() - started,
      };
    }

    const grid = { fps: profile.fps, sampleRate: profile.audio.sample_rate };
    const usAt = (frame: number) => Math.round((frame * 1_000_000 * grid.fps.den) / grid.fps.num);
    const msAt = (frame: number) => Math.round(msAtFrame(grid, frame));

    // --- patches: frame-exact ranges of the same timeline, encoded like the source they join, in batches ----
    const patchFiles = new Map<number, string>();
    const encodes = smart.segments
      .map((s, i) => ({ s, i }))
      .filter((x): x is { s: Extract<SmartSegment, { kind: 'encode' }>; i: number } => x.s.kind === 'encode');
    const encodedFrames = encodes.reduce((n, x) => n + x.s.frames[1] - x.s.frames[0], 0);
    report(0, { phase: 'patches', patches: encodes.length });
    // HEVC pieces go through MPEG-TS (Annex B, parameter sets in-band; see the header).
    const hevc = profile.video.codec === 'libx265';
    const patchExt = hevc ? 'ts' : profile.container;
    const planned = encodes.map(({ s, i }) => {
      const dir = join(workDir, `patch-${i}`);
      const patchInput: CompileInput = {
        ...compileInput,
        work_dir: dir,
        streams: 'video',
        range: { start_ms: msAt(s.frames[0]), duration_ms: msAt(s.frames[1]) - msAt(s.frames[0]) },
      };
      const plan = compile(patchInput);
      if (plan.meta.frame_count !== s.frames[1] - s.frames[0])
        throw cutroomError('RENDER_FAILED', 'a smart-render patch does not cover its frames exactly', {
          stage: 'plan',
          frames: s.frames,
          planned: plan.meta.frame_count,
        });
      const match = s.match_asset_id !== undefined ? indexes[s.match_asset_id] : undefined;
      const args = match ? smartPatchArgs({ args: plan.args, source: match }) : [...plan.args];
      const key = s.match_asset_id ?? '';
      return { segment: i, dir, key, frames: s.frames[1] - s.frames[0], plan: { ...plan, args } };
    });
    const batches = batchPatches(planned, input.concurrency ?? 2);
    let doneFrames = 0;
    await pool(batches, input.concurrency ?? 2, async (batch) => {
      const dir = join(workDir, `batch-${batch[0]!.segment}`);
      await mkdir(dir, { recursive: true });
      for (const p of batch) {
        await mkdir(p.dir, { recursive: true });
        for (const file of p.plan.files) await writeFile(file.path, file.content, 'utf8');
      }
      const scriptPath = join(dir, 'filtergraph.txt');
      const run = smartPatchBatchArgs({
        patches: batch.map((p) => ({ plan: p.plan, frames: p.frames })),
        fps: grid.fps,
        // The concat demuxer needs one time base in all its files: the copied sources'.
        timescale: smart.join_timescale!,
        format: hevc ? 'mpegts' : profile.container,
        scriptPath,
      });
      if (run.args.includes('-filter_complex_script')) await writeFile(scriptPath, run.graph, 'utf8');
      const frames = batch.reduce((n, p) => n + p.frames, 0);
      await runFfmpeg({
        args: run.args,
        output: join(dir, `patch-%d.${patchExt}`),
        durationMs: Math.round((frames * 1000 * grid.fps.den) / grid.fps.num),
        stage: 'encode',
        context: { smart_segments: batch.map((p) => p.segment), patches: batch.length },
        ...(signal ? { signal } : {}),
      });
      for (const [k, p] of batch.entries()) patchFiles.set(p.segment, join(dir, `patch-${k}.${patchExt}`));
      doneFrames += frames;
      report((0.8 * doneFrames) / Math.max(1, encodedFrames), {
        phase: 'patches',
        segments: batch.map((p) => p.segment),
      });
    });

    // --- audio once, exactly the full render's audio plan ----------------------------------------------------
    report(0.8, { phase: 'audio' });
    const audioInput: CompileInput = { ...compileInput, streams: 'audio', work_dir: join(workDir, 'audio') };
    await mkdir(audioInput.work_dir!, { recursive: true });
    if (profile.loudness_lufs !== undefined) {
      const loudness = await measureLoudness({
        compileInput: audioInput,
        workDir: join(workDir, 'loudness-pass'),
        ...(signal ? { signal } : {}),
      });
      audioInput.loudness_measurement = { integrated_lufs: loudness.integrated_lufs };
    }
    const audioPlan = compile(audioInput);
    for (const file of audioPlan.files) await writeFile(file.path, file.content, 'utf8');
    const audioFile = join(workDir, `audio.${String(audioPlan.meta.output_extension)}`);
    await runFfmpeg({
      args: audioPlan.args,
      output: audioFile,
      durationMs: audioPlan.meta.duration_ms,
      stage: 'encode',
      context: { smart: 'audio' },
      ...(signal ? { signal } : {}),
    });
    report(0.9, { phase: 'join' });

    // --- HEVC: each copied range cut out into MPEG-TS with its parameter sets in-band ------------------------
    const copyFiles = new Map<number, string>();
    if (hevc) {
      const copies = smart.segments
        .map((s, i) => ({ s, i }))
        .filter((x): x is { s: Extract<SmartSegment, { kind: 'copy' }>; i: number } => x.s.kind === 'copy');
      await pool(copies, input.concurrency ?? 2, async ({ s, i }) => {
        const file = join(workDir, `copy-${i}.ts`);
        // Not the concat demuxer here: it ends a file at the first packet of ANY stream past outpoint, and with
        // one file the source's audio can come first and end it empty. Seeking lands on the keyframe (as in
        // the join), and the copy is exactly the next (end - start) packets in decode order: a clean keyframe
        // and a clean end point bound the same frames in both orders.
        await runFfmpeg({
          args: [
            ...['-ss', s.source.inpoint, '-i', compileInput.sources[s.source.asset_id]!.path],
            ...['-map', '0:v:0', '-c', 'copy', '-bsf:v', 'hevc_mp4toannexb'],
            ...['-frames:v', String(s.source.source_frames[1] - s.source.source_frames[0])],
            ...['-map_metadata', '-1', '-fflags', '+bitexact', '-f', 'mpegts'],
          ],
          output: file,
          durationMs: msAt(s.frames[1]) - msAt(s.frames[0]),
          stage: 'mux',
          context: { smart: 'hevc_copy', segment: i },
          ...(signal ? { signal } : {}),
        });
        copyFiles.set(i, file);
      });
    }

    // --- lossless join ---------------------------------------------------------------------------------------
    const entries = smart.segments.map((s, i) => {
      const durationUs = usAt(s.frames[1]) - usAt(s.frames[0]);
      if (s.kind === 'encode') return { path: patchFiles.get(i)!, durationUs };
      const cut = copyFiles.get(i);
      if (cut !== undefined) return { path: cut, durationUs };
      return {
        path: compileInput.sources[s.source.asset_id]!.path,
        inpoint: s.source.inpoint,
        ...(s.source.outpoint !== null ? { outpoint: s.source.outpoint } : {}),
        durationUs,
      };
    });
    const listFile = join(workDir, 'smart.ffconcat');
    await writeFile(listFile, concatList({ entries }), 'utf8');
    // setts runs in the muxer's time base (-video_track_timescale, the full render's): snap to whole frames of it.
    const timescale = mp4Timescale(grid.fps);
    const ticks = (timescale * grid.fps.den) / grid.fps.num;
    const k = String(ticks);
    const args = [
      // -copyts: keep the demuxer's timestamps (ffmpeg would otherwise shift by the concat input's start time,
      // which for a copied first range is not on the frame grid), so setts sees offset - inpoint exactly.
      '-copyts',
      ...['-f', 'concat', '-safe', '0', '-i', listFile],
      ...['-i', audioFile],
      ...['-map', '0:v:0', '-map', '1:a:0', '-c', 'copy'],
      ...['-bsf:v', `setts=pts=round(PTS/${k})*${k}:dts=round(DTS/${k})*${k}`],
      ...['-video_track_timescale', String(timescale)],
      ...['-map_metadata', '-1', '-map_chapters', '-1'],
      ...(profile.container === 'mp4' || profile.container === 'mov' ? ['-movflags', '+faststart'] : []),
      ...['-f', profile.container],
    ];
    await runFfmpeg({
      args,
      output: partial,
      durationMs: smart.whole.meta.duration_ms,
      stage: 'mux',
      context: { smart: 'join', segments: entries.length },
      ...(signal ? { signal } : {}),
    });
    await rename(partial, output);
    report(1, { phase: 'done' });
    return {
      output,
      meta: {
        ...smart.whole.meta,
        ...(audioPlan.meta.loudness_mode !== undefined
          ? { loudness_mode: audioPlan.meta.loudness_mode }
          : {}),
        smart: {
          ...smart.meta,
          fallback: false,
          patch_runs: batches.length,
          segments: publicSegments(smart.segments),
        },
      },
      warnings: smart.whole.warnings,
      elapsed_ms: Date.now() - started,
    };
  } finally {
    await rm(partial, { force: true });
    await rm(workDir, { recursive: true, force: true });
  }
}
