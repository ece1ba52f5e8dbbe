/**
 * compile(): a timeline, its probes and a profile -> one deterministic ffmpeg invocation (RenderPlan).
 *
 * Shape of the graph:
 * - every clip segment (body, or one side of a transition window) is its own input, seeked with -ss/-t, and
 *   normalised to the profile's frame grid with an exact frame/sample count (segment-input.ts, clip-*.ts);
 * - each track is one concat of its pieces (gaps are generated colour/silence), so only the segment being
 *   played is decoding: memory stays bounded whatever the timeline length;
 * - transitions blend only their window (xfade / acrossfade on two short segments);
 * - tracks are stacked bottom to top with overlay, text layers drawn on the composite, audio tracks mixed
 *   with amix normalize=0 (no level drop), optional loudnorm, exact sample count.
 *
 * Semantics worth knowing:
 * - hidden video/overlay tracks contribute no picture but keep their sound (mute the track to silence it);
 * - missing assets render as gaps with a MISSING_ASSET warning and are listed in meta.missing_assets;
 * - `reverse` applies to at most 30 s of source (MAX_REVERSE_MS), else REVERSE_TOO_LONG and forwards playback;
 * - loudness targets use single-pass loudnorm unless `loudness_measurement` is given (then gain + limiter);
 *   `loudness_pass: 'measure'` compiles the audio mix without normalisation into an ebur128 meter (-f null -)
 *   to obtain that measurement;
 * - caption tracks are burned in with libass from their asr_transcript artifacts (caption-layers.ts); a
 *   missing transcript is MISSING_ARTIFACT;
 * - region-aware filters run inside the clip asset's `mask` artifact, read as a second input with the clip's
 *   own input options and timing chain (region-filters.ts); no mask -> REGIONS_MISSING + meta.skipped_filters;
 * - `stabilise` uses the asset's stabilise_transforms artifact: the input is decoded from source frame 0 and
 *   trimmed after vidstabtransform (stabilise/); none -> STABILISE_TRANSFORMS_MISSING, unstabilised;
 * - speed < 1 with slowmo_quality interpolates between setpts and fps (slowmo/); meta.slowmo_details;
 * - `streams` selects video-only (-an) or audio-only (-vn inputs, .m4a/.wav) plans for chunked renders, and
 *   `gop_frames` forces closed GOPs so chunks join without re-encoding;
 * - every artifact read is listed in meta.dependency_notices.
 *
 * Pure and deterministic: no I/O, no clock, no randomness; same input -> same bytes.
 */
import { cutroomError, type Warning } from '../errors.js';
import type { AudioTrack, MediaClip, TextTrack, Track, VideoTrack } from '../timeline/index.js';
import { clipTimelineDurationMs, isClipMuted } from '../timeline/index.js';
import { keyframeExpr } from './automation/keyframe-expr.js';
import { buildAudioSegment, channelLayout, silence } from './clip-audio.js';
import { resolveClip, type ClipRef } from './clip-ref.js';
import { buildVideoSegment } from './clip-video.js';
import { encoderArgs } from './encoder-args.js';
import { escapeFilterValue, formatNumber } from './format.js';
import { frameAt, frameMs, msAtFrame, sampleAtFrame, type FrameGrid } from './frame-grid.js';
import { GraphBuilder } from './graph.js';
import { planHash } from './plan-hash.js';
import { getProfile, type RenderProfile } from './profiles.js';
import { addSegmentInput, FEW_CLIPS } from './segment-input.js';
import { compileCaptionLayers } from './caption-layers.js';
import { applyDucking } from './duck/apply-ducking.js';
import { isRegionFilter } from './filters/catalog.js';
import { findRegionMask, regionOfFilter } from './region-filters.js';
import { slowmoFilter, type SlowmoDetails } from './slowmo/slowmo-filter.js';
import { planClipStabilise } from './stabilise/plan-clip-stabilise.js';
import type { StabiliseDetails } from './stabilise/stabilise-filter.js';
import { stabiliseSegment } from './stabilise/stabilise-segment.js';
import { compileTextLayer } from './text/compile-text-layer.js';
import { layoutTrack, type Piece } from './track-layout.js';
import { TRANSITIONS } from './transitions/catalog.js';
import { checkMotionPresets } from './motion/check-motion.js';
import { checkGeneratorClips } from './generators/check-generator-clips.js';
import { generatorSource } from './generators/generator-source.js';
import { outputVideoTail } from './output/output-video-tail.js';
import { resolveOutput } from './output/resolve-output.js';
import type { CompileInput, PlanArtifact, PlanFile, PlanMeta, PlanSource, RenderPlan } from './types.js';

export const PLAN_VERSION = '1';

/** Graphs longer than this go to a -filter_complex_script file: Linux caps one argument at 128 KiB. */
export const MAX_INLINE_GRAPH = 32 * 1024;

const DEFAULT_FONT_FAMILY = 'DejaVu Sans';

function n(x: number): string {
  return formatNumber(x);
}

/** '#RRGGBB' / '#RRGGBBAA' -> ffmpeg colour with explicit alpha. */
function ffColor(hex: string): string {
  const h = hex.slice(1).toUpperCase();
  return `0x${h.length === 6 ? `${h}FF` : h}`;
}

type MediaTrack = VideoTrack | AudioTrack;

interface Ctx {
  input: CompileInput;
  profile: RenderProfile;
  grid: FrameGrid;
  g: GraphBuilder;
  warnings: Warning[];
  canvas: { width: number; height: number };
  rangeF0: number;
  rangeF1: number;
  luts: Record<string, string>;
  transitionsMeta: PlanMeta['transitions'];
  /** Region mask per clip path, for clips with region-aware filters that have one. */
  regionMasks: Map<string, Array<{ filterIndex: number; artifact: PlanArtifact }>>;
  /** Mask input indexes per clip path and artifact id (meta.region_masks). */
  maskInputs: Map<string, Map<string, number[]>>;
  skippedFilters: Array<{ clip_id: string; path: string; type: string; reason: string }>;
  usedArtifactIds: Set<string>;
  /** Stabilise filter per clip path (clips with transforms). */
  stabilise: Map<string, string>;
  stabiliseDetails: StabiliseDetails[];
  stabiliseWarnings: Warning[];
  /** Slow-motion filter per clip path (clips slowed with interpolation). */
  slowmo: Map<string, string>;
  slowmoDetails: SlowmoDetails[];
}

function isMediaTrack(t: Track): t is MediaTrack {
  return t.kind === 'video' || t.kind === 'overlay' || t.kind === 'audio';
}

/** Unknown transition types anywhere: one error listing every path and the valid types. */
function checkTransitionTypes(tracks: Track[]): void {
  const valid = TRANSITIONS.map((t) => t.id);
  const issues: Array<{ path: string; message: string }> = [];
  tracks.forEach((track, ti) => {
    if (!isMediaTrack(track)) return;
    track.transitions.forEach((tr, k) => {
      if (!valid.includes(tr.type))
        issues.push({
          path: `tracks[${ti}].transitions[${k}].type`,
          message: `unknown transition type "${tr.type}"`,
        });
    });
  });
  if (issues.length > 0) {
    throw cutroomError(
      'UNKNOWN_TRANSITION',
      `${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}; valid: ${valid.join(', ')}`,
      { issues, valid },
    );
  }
}

/**
 * A font asset has no frames or samples; planning a clip from it would build a graph ffmpeg cannot open. The
 * render service refuses such timelines earlier; this keeps the pure planner safe when sources are passed in.
 */
function checkClipSources(tracks: Track[], sources: CompileInput['sources']): void {
  const issues: Array<{ path: string; message: string }> = [];
  tracks.forEach((track, ti) => {
    if (!isMediaTrack(track)) return;
    track.clips.forEach((clip, ci) => {
      if (sources[clip.asset_id]?.info.kind === 'font')
        issues.push({
          path: `tracks[${ti}].clips[${ci}].asset_id`,
          message: `asset "${clip.asset_id}" is a font, not media`,
        });
    });
  });
  if (issues.length > 0)
    throw cutroomError(
      'TIMELINE_INVALID',
      `font assets cannot be clip sources: ${issues.map((i) => i.path).join(', ')}`,
      { issues },
    );
}

/**
 * The matte of a clip: an asset (from its start at the clip's first frame), or another track's clip (its asset at
 * the source time that clip shows: `offsetMs` is the matte's source time at this clip's first frame).
 */
function resolveMatte(
  ctx: Ctx,
  clip: MediaClip,
  track: MediaTrack,
): { source: PlanSource; offsetMs: number } | { why: string } {
  const matte = clip.matte!;
  if (track.kind !== 'overlay')
    return { why: 'a matte reveals the tracks below: it applies on overlay tracks only' };
  if (matte.clip_id !== undefined) {
    let other: MediaClip | undefined;
    let sameTrack = false;
    for (const t of ctx.input.timeline.tracks) {
      if (t.kind === 'text' || t.kind === 'caption') continue;
      const found = t.clips.find((c) => c.id === matte.clip_id);
      if (found) {
        other = found;
        sameTrack = t === track;
      }
    }
    if (!other) return { why: `matte clip "${matte.clip_id}" is on no media track` };
    if (sameTrack || other.id === clip.id)
      return { why: `matte clip "${matte.clip_id}" must be on another track` };
    if (other.generator !== undefined)
      return { why: `matte clip "${matte.clip_id}" is generated; use an asset clip` };
    if (other.speed !== 1 || other.reverse)
      return { why: `matte clip "${matte.clip_id}" must play at speed 1, forwards` };
    const source = ctx.input.sources[other.asset_id];
    if (!source) return { why: `matte clip's asset "${other.asset_id}" is not among the plan's sources` };
    return { source, offsetMs: other.in_ms + (clip.start_ms - other.start_ms) };
  }
  const source = ctx.input.sources[matte.asset_id!];
  return source
    ? { source, offsetMs: 0 }
    : { why: `matte asset "${matte.asset_id}" is not among the plan's sources` };
}

/** Resolve every clip of a track; missing assets become warnings (the clip renders as a gap). */
function resolveTrack(ctx: Ctx, track: MediaTrack, ti: number, missing: Set<string>): Map<string, ClipRef> {
  const refs = new Map<string, ClipRef>();
  track.clips.forEach((clip, ci) => {
    const path = `tracks[${ti}].clips[${ci}]`;
    const source = clip.generator
      ? generatorSource({
          assetId: clip.asset_id,
          generator: clip.generator,
          width: ctx.canvas.width,
          height: ctx.canvas.height,
          fps: ctx.grid.fps,
        })
      : ctx.input.sources[clip.asset_id];
    if (!source) {
      missing.add(clip.asset_id);
      ctx.warnings.push({
        code: 'MISSING_ASSET',
        message: `asset "${clip.asset_id}" is not among the plan's sources; the clip renders as a gap`,
        path: `${path}.asset_id`,
      });
      return;
    }
    if (track.kind === 'audio' && !source.info.audio) {
      ctx.warnings.push({ code: 'NO_AUDIO_STREAM', message: `asset "${clip.asset_id}" has no audio`, path });
    }
    if (track.kind !== 'audio' && !source.info.video) {
      ctx.warnings.push({
        code: 'NO_VIDEO_STREAM',
        message: `asset "${clip.asset_id}" has no video; only its sound is used`,
        path,
      });
    }
    if (clip.matte !== undefined) {
      const m = resolveMatte(ctx, clip, track);
      if ('why' in m)
        ctx.warnings.push({
          code: 'MATTE_IGNORED',
          message: `${m.why}; the clip renders unmatted`,
          path: `${path}.matte`,
        });
    }
    if (clip.loop === true && track.kind !== 'audio')
      ctx.warnings.push({
        code: 'LOOP_IGNORED',
        message: 'loop repeats sound on audio tracks only; this clip plays once',
        path: `${path}.loop`,
      });
    const ref = resolveClip({ clip, path, source, grid: ctx.grid, warnings: ctx.warnings });
    if (ref) refs.set(clip.id, ref);
  });
  return refs;
}

/**
 * Join a track's pieces in order. `renumber` lays the joined video frames on the output grid again (frame N at
 * N / fps): needed when a piece is ONE frame long, because ffmpeg's concat filter (5.1, avf_concat.c
 * push_frame) takes a video piece's length from the mean spacing of its frames, which needs two of them — a
 * one-frame piece counts as zero frames long, the next piece starts on the same timestamp, and the encoder's
 * constant-rate output (-r) drops one of the two frames (a 138-frame plan rendered 136 frames). Every piece
 * holds exactly its frame count, so numbering the frames is exact.
 */
function concat(ctx: Ctx, labels: string[], kind: 'v' | 'a', prefix: string, renumber = false): string {
  if (labels.length === 1) return labels[0]!;
  const out = ctx.g.fresh(prefix);
  const { fps } = ctx.grid;
  ctx.g.chain(
    labels,
    [
      `concat=n=${n(labels.length)}:v=${kind === 'v' ? 1 : 0}:a=${kind === 'a' ? 1 : 0}`,
      ...(renumber && kind === 'v' ? [`setpts=N*${n(fps.den)}/(${n(fps.num)}*TB)`] : []),
    ],
    out,
  );
  return out;
}

interface TrackStreams {
  video?: string;
  audio?: string;
}

function buildTrack(
  ctx: Ctx,
  track: MediaTrack,
  ti: number,
  refs: Map<string, ClipRef>,
  opts: { wantVideo: boolean; wantAudio: boolean; canvasColor: string; alpha: boolean },
): TrackStreams {
  const { g, grid, rangeF0 } = ctx;
  const layout = layoutTrack({
    trackPath: `tracks[${ti}]`,
    clips: track.clips,
    transitions: track.transitions,
    refs,
    rangeF0: ctx.rangeF0,
    rangeF1: ctx.rangeF1,
    warnings: ctx.warnings,
    msPerFrame: frameMs(grid),
    frameAtMs: (ms) => frameAt(grid, ms),
  });
  const channels = ctx.profile.audio.channels;
  const fps = `${n(grid.fps.num)}/${n(grid.fps.den)}`;
  const pixFmt = opts.alpha ? 'yuva420p' : 'yuv420p';
  const fit = (c: MediaClip) => c.fit ?? ctx.input.timeline.fit;
  const samplesOf = (absF0: number, absF1: number): number =>
    sampleAtFrame(grid, absF1) - sampleAtFrame(grid, absF0);
  const segmentNo = new Map<string, number>();
  const nextSegment = (clipId: string): number => {
    const k = segmentNo.get(clipId) ?? 0;
    segmentNo.set(clipId, k + 1);
    return k;
  };
  const wantVideo = opts.wantVideo && track.kind !== 'audio';
  const wantAudio = opts.wantAudio;

  const matteFor = (clip: MediaClip, t: MediaTrack, absF0: number, absF1: number) => {
    if (clip.matte === undefined) return {};
    const m = resolveMatte(ctx, clip, t);
    if ('why' in m) return {};
    return { matteSource: m.source, matteOffsetMs: m.offsetMs, frames: [absF0, absF1] as [number, number] };
  };
  /**
   * `loop` on an audio-track clip longer than its source range: the segment reads the whole range
   * [in_ms, out_ms) and aloop repeats it; the segment starts `offsetSamples` into the repeated stream, so a clip
   * split by chunks or transitions keeps its loop phase.
   */
  const loopOf = (ref: ClipRef, t: MediaTrack, absF0: number) => {
    if (t.kind !== 'audio' || ref.clip.loop !== true || ref.still || ref.freeze || !ref.hasAudio)
      return undefined;
    const rangeMs = ref.outMs - ref.inMs;
    const rangeSamples = Math.round(((rangeMs / ref.clip.speed) * grid.sampleRate) / 1000);
    const clipSamples = sampleAtFrame(grid, ref.endF) - sampleAtFrame(grid, ref.startF);
    if (rangeSamples <= 0 || clipSamples <= rangeSamples) return undefined;
    const offset = sampleAtFrame(grid, absF0) - sampleAtFrame(grid, ref.startF);
    return {
      inputOptions: ['-ss', n(ref.inMs / 1000), '-t', n(rangeMs / 1000)],
      rangeSamples,
      offsetSamples: Math.max(0, offset),
      leadSamples: Math.max(0, -offset),
    };
  };

  const vLabels: string[] = [];
  const aLabels: string[] = [];

  /** The clip's region mask read with exactly the segment input's options (same -ss/-t). */
  const maskInputFor = (
    ref: ClipRef,
    inputIndex: number,
  ): { masks?: Array<{ filterIndex: number; maskInput: number }> } => {
    const wanted = ctx.regionMasks.get(ref.path);
    if (!wanted || wanted.length === 0) return {};
    const src = g.inputs[inputIndex]!;
    const byArtifact = new Map<string, number>();
    const perClip = ctx.maskInputs.get(ref.path) ?? new Map<string, number[]>();
    ctx.maskInputs.set(ref.path, perClip);
    const masks = wanted.map(({ filterIndex, artifact }) => {
      let maskInput = byArtifact.get(artifact.id);
      if (maskInput === undefined) {
        maskInput = g.addInput(
          artifact.asset_id ?? src.asset_id,
          artifact.path!,
          [...src.options],
          src.frames,
        );
        byArtifact.set(artifact.id, maskInput);
        perClip.set(artifact.id, [...(perClip.get(artifact.id) ?? []), maskInput]);
      }
      return { filterIndex, maskInput };
    });
    return { masks };
  };
  const manyClips =
    ctx.input.timeline.tracks.reduce((n, t) => n + ('clips' in t ? t.clips.length : 0), 0) > FEW_CLIPS;
  const segment = (ref: ClipRef, absF0: number, absF1: number) => {
    const p0 = absF0 - ref.startF;
    const count = absF1 - absF0;
    const input = addSegmentInput({ g, ref, grid, p0, p1: p0 + count, frames: [absF0, absF1], manyClips });
    const result: { v?: string; a?: string } = {};
    // Stabilise: decode from source frame 0 so vidstabtransform's k-th frame is source frame k, then trim.
    const stab = ctx.stabilise.get(ref.path);
    let st: ReturnType<typeof stabiliseSegment> | undefined;
    if (stab !== undefined && input.window && wantVideo) {
      st = stabiliseSegment({
        windowStartMs: input.window.startMs,
        windowEndMs: input.window.endMs,
        filter: stab,
        decoderOptions: input.window.decoderOptions,
      });
      g.inputs[input.index]!.options = st.inputOptions;
    }
    const slowmoChain = ctx.slowmo.get(ref.path);
    if (wantVideo) {
      if (ref.hasVideo) {
        result.v = buildVideoSegment({
          g,
          ref,
          grid,
          input,
          p0,
          count,
          canvas: ctx.canvas,
          fit: fit(ref.clip),
          canvasColor: opts.canvasColor,
          alpha: opts.alpha,
          luts: ctx.luts,
          warnings: ctx.warnings,
          segment: nextSegment(ref.clip.id),
          ...maskInputFor(ref, input.index),
          // The mask goes through the same stabilise transform as the picture, so regions stay on the faces.
          ...(st ? { pre: st.videoFilters, maskPre: st.videoFilters } : {}),
          ...(slowmoChain !== undefined ? { slowmo: slowmoChain } : {}),
          ...matteFor(ref.clip, track, absF0, absF1),
        });
      } else {
        result.v = g.fresh('v');
        g.statements.push(
          `color=c=${opts.canvasColor}:s=${n(ctx.canvas.width)}x${n(ctx.canvas.height)}:r=${fps},format=${pixFmt},trim=end_frame=${n(count)}${result.v}`,
        );
      }
    }
    if (wantAudio) {
      const loop = loopOf(ref, track, absF0);
      if (loop) g.inputs[input.index]!.options = loop.inputOptions;
      const leadSamples = loop ? loop.leadSamples : samplesOf(absF0, absF0 + input.leadFrames);
      result.a = buildAudioSegment({
        g,
        ref,
        grid,
        inputIndex: input.index,
        p0,
        count,
        samples: samplesOf(absF0, absF1),
        leadSamples,
        channels,
        audible: true,
        ...(loop ? { loop: { rangeSamples: loop.rangeSamples, offsetSamples: loop.offsetSamples } } : {}),
        ...(st ? { pre: st.audioFilters } : {}),
      });
    }
    return result;
  };

  let onePieceFrame = false;
  for (const piece of layout.pieces) {
    const absF0 = piece.f0 + rangeF0;
    const absF1 = piece.f1 + rangeF0;
    const count = piece.f1 - piece.f0;
    if (count === 1) onePieceFrame = true;
    if (piece.kind === 'gap') {
      if (wantVideo) {
        const out = g.fresh('gap');
        g.statements.push(
          `color=c=${opts.canvasColor}:s=${n(ctx.canvas.width)}x${n(ctx.canvas.height)}:r=${fps},format=${pixFmt},trim=end_frame=${n(count)}${out}`,
        );
        vLabels.push(out);
      }
      if (wantAudio)
        aLabels.push(silence({ g, sampleRate: grid.sampleRate, channels, samples: samplesOf(absF0, absF1) }));
    } else if (piece.kind === 'clip') {
      const r = segment(piece.ref, absF0, absF1);
      if (r.v) vLabels.push(r.v);
      if (r.a) aLabels.push(r.a);
    } else {
      vLabels.push(
        ...transitionPiece(ctx, piece, { wantVideo, wantAudio, segment }, vLabels.length, aLabels),
      );
    }
  }

  const streams: TrackStreams = {};
  if (wantVideo && vLabels.length > 0) streams.video = concat(ctx, vLabels, 'v', 'trackv', onePieceFrame);
  if (wantAudio && aLabels.length > 0) {
    let a = concat(ctx, aLabels, 'a', 'tracka');
    const gains: string[] = [];
    if (track.volume !== 1) gains.push(n(track.volume));
    if (track.kind === 'audio') {
      const auto = track.automation.find((x) => x.param === 'volume');
      // Track keyframes are on timeline time; the stream starts at the range start.
      if (auto)
        gains.push(
          `(${keyframeExpr({ keyframes: auto.keyframes, timeVar: 't', offsetSeconds: -msAtFrame(grid, rangeF0) / 1000 })})`,
        );
    }
    const trackFades: string[] = [];
    if (track.kind === 'audio' && ((track.fade_in_ms ?? 0) > 0 || (track.fade_out_ms ?? 0) > 0)) {
      const placed = [...refs.values()];
      if (placed.length > 0) {
        // The soundtrack's span: first clip start to last clip end, in seconds of this stream (t = 0 at the range
        // start). afade where the fade starts inside the stream; a gain when the stream begins mid-fade (afade
        // cannot start before its stream). Outside the span the track is silent, so afade's hold is harmless.
        const rangeS = msAtFrame(grid, rangeF0) / 1000;
        const s0 = msAtFrame(grid, Math.min(...placed.map((r) => r.startF))) / 1000 - rangeS;
        const s1 = msAtFrame(grid, Math.max(...placed.map((r) => r.endF))) / 1000 - rangeS;
        const fi = (track.fade_in_ms ?? 0) / 1000;
        const fo = (track.fade_out_ms ?? 0) / 1000;
        if (fi > 0) {
          if (s0 >= 0) trackFades.push(`afade=t=in:st=${n(s0)}:d=${n(fi)}`);
          else if (s0 + fi > 0) gains.push(`clip((t-(${n(s0)}))/${n(fi)},0,1)`);
        }
        if (fo > 0) {
          const st = s1 - fo;
          if (st >= 0) trackFades.push(`afade=t=out:st=${n(st)}:d=${n(fo)}`);
          else if (st + fo > 0) gains.push(`clip(1-(t-(${n(st)}))/${n(fo)},0,1)`);
        }
      }
    }
    if (trackFades.length > 0) {
      const out = g.fresh('tfade');
      g.chain([a], trackFades, out);
      a = out;
    }
    if (gains.length > 0) {
      const out = g.fresh('tvol');
      const perFrame = gains.some((x) => x.includes('t'));
      g.chain(
        [a],
        [`volume=volume=${escapeFilterValue(gains.join('*'))}${perFrame ? ':eval=frame' : ''}`],
        out,
      );
      a = out;
    }
    streams.audio = a;
  }
  return streams;
}

function transitionPiece(
  ctx: Ctx,
  piece: Extract<Piece, { kind: 'transition' }>,
  deps: {
    wantVideo: boolean;
    wantAudio: boolean;
    segment: (ref: ClipRef, absF0: number, absF1: number) => { v?: string; a?: string };
  },
  _vIndex: number,
  aLabels: string[],
): string[] {
  const { g, grid, rangeF0 } = ctx;
  const w0 = piece.w0 + rangeF0;
  const w1 = piece.w1 + rangeF0;
  const d = w1 - w0;
  const a = deps.segment(piece.from, w0, w1);
  const b = deps.segment(piece.to, w0, w1);
  const partial = piece.f0 !== piece.w0 || piece.f1 !== piece.w1;
  const cutFrames = [
    `trim=start_frame=${n(piece.f0 - piece.w0)}:end_frame=${n(piece.f1 - piece.w0)}`,
    'setpts=PTS-STARTPTS',
  ];
  const windowSamples = sampleAtFrame(grid, w1) - sampleAtFrame(grid, w0);
  const s0 = sampleAtFrame(grid, piece.f0 + rangeF0) - sampleAtFrame(grid, w0);
  const s1 = sampleAtFrame(grid, piece.f1 + rangeF0) - sampleAtFrame(grid, w0);

  const vAlias = g.fresh('xv');
  const aAlias = g.fresh('xa');
  const out: string[] = [];
  if (a.v && b.v) {
    g.chain(
      [a.v, b.v],
      [`xfade=transition=${piece.spec.xfade}:duration=${n((d * grid.fps.den) / grid.fps.num)}:offset=0`],
      vAlias,
    );
    if (partial) {
      const cut = g.fresh('xvc');
      g.chain([vAlias], cutFrames, cut);
      out.push(cut);
    } else out.push(vAlias);
  }
  if (a.a && b.a) {
    // Equivalent to acrossfade over the whole window (both sides are exactly the window long), but afade on
    // each side + amix consumes both sides in lockstep: acrossfade first buffers the whole outgoing side, which
    // delays the audio by the window and makes ffmpeg queue that much decoded video meanwhile.
    const c = piece.spec.audio_curve;
    const fo = g.fresh('xao');
    const fi = g.fresh('xai');
    g.chain([a.a], [`afade=t=out:ns=${n(windowSamples)}:curve=${c}`], fo);
    g.chain([b.a], [`afade=t=in:ns=${n(windowSamples)}:curve=${c}`], fi);
    g.chain([fo, fi], [`amix=inputs=2:duration=first:normalize=0`], aAlias);
    if (partial) {
      const cut = g.fresh('xac');
      g.chain([aAlias], [`atrim=start_sample=${n(s0)}:end_sample=${n(s1)}`, 'asetpts=PTS-STARTPTS'], cut);
      aLabels.push(cut);
    } else aLabels.push(aAlias);
  }
  // Report the transition once, even when a range cuts it (absolute timeline times).
  if (!ctx.transitionsMeta.some((m) => m.id === piece.transition.id)) {
    ctx.transitionsMeta.push({
      id: piece.transition.id,
      type: piece.transition.type,
      start_ms: Math.round(msAtFrame(grid, w0)),
      duration_ms: Math.round(msAtFrame(grid, d)),
      video_alias: a.v && b.v ? vAlias.slice(1, -1) : '',
      audio_alias: a.a && b.a ? aAlias.slice(1, -1) : '',
    });
  }
  return out;
}

/** End of the timeline in ms: explicit, else the end of the last clip or text layer. */
function timelineEndMs(input: CompileInput): number {
  const tl = input.timeline;
  if (tl.duration_ms !== undefined) return tl.duration_ms;
  let end = 0;
  for (const track of tl.tracks) {
    if (isMediaTrack(track)) {
      for (const clip of track.clips) {
        const src = input.sources[clip.asset_id];
        const still = src?.info.kind === 'image' || src?.info.video?.still === true;
        const srcDur =
          src && !still
            ? (src.info.video?.duration_ms ?? src.info.audio?.duration_ms ?? src.info.duration_ms)
            : undefined;
        const clamped =
          clip.out_ms !== undefined && srcDur !== undefined
            ? { ...clip, out_ms: Math.min(clip.out_ms, srcDur) }
            : clip;
        const d = clipTimelineDurationMs(clamped, srcDur) ?? (still ? 5000 : 0);
        end = Math.max(end, clip.start_ms + d);
      }
    } else if (track.kind === 'text') {
      for (const item of track.items) end = Math.max(end, item.start_ms + item.duration_ms);
    }
  }
  return end;
}

/**
 * Region-aware filters need a mask of the clip's asset: record it for the clip's segments, or warn
 * REGIONS_MISSING and list the filters as skipped (they are left out of the picture).
 */
function planRegionMask(ctx: Ctx, ref: ClipRef): void {
  const found: Array<{ filterIndex: number; artifact: PlanArtifact }> = [];
  ref.clip.filters.forEach((f, i) => {
    if (!isRegionFilter(f)) return;
    const path = `${ref.path}.filters[${i}]`;
    const region = regionOfFilter(f.type);
    const artifact = ref.still
      ? undefined
      : findRegionMask({ artifacts: ctx.input.artifacts, assetId: ref.source.asset_id, region });
    if (artifact) {
      found.push({ filterIndex: i, artifact });
      ctx.usedArtifactIds.add(artifact.id);
      return;
    }
    const reason = ref.still
      ? 'region masks apply to video clips, not images'
      : `no ${region} mask artifact of asset "${ref.source.asset_id}" was given to the plan`;
    ctx.warnings.push({
      code: 'REGIONS_MISSING',
      message: `${f.type} needs a ${region}-region mask: ${reason}; the filter is skipped (analyse with POST /video/regions, then render a mask with include_regions ["${region}"])`,
      path,
    });
    ctx.skippedFilters.push({ clip_id: ref.clip.id, path, type: f.type, reason });
  });
  if (found.length > 0) ctx.regionMasks.set(ref.path, found);
}

/** Stabilisation (vid.stab transforms) and slow-motion interpolation of a clip, decided once per clip. */
function planMotion(ctx: Ctx, ref: ClipRef): void {
  if (!ref.hasVideo) return;
  const moving = !ref.still && !ref.freeze;
  const st = planClipStabilise({
    clip: ref.clip,
    clipPath: ref.path,
    assetId: ref.source.asset_id,
    moving,
    artifacts: ctx.input.artifacts,
  });
  if (st.kind === 'missing') {
    ctx.warnings.push(st.warning);
    ctx.stabiliseWarnings.push(st.warning);
  } else if (st.kind === 'apply') {
    ctx.stabilise.set(ref.path, st.filter);
    ctx.stabiliseDetails.push(st.details);
    ctx.usedArtifactIds.add(st.artifact.id);
  }
  if (!moving || ref.clip.speed >= 1) return;
  const v = ref.source.info.video;
  const sourceFps = v?.avg_fps && v.avg_fps.num > 0 ? v.avg_fps : v?.fps;
  const sm = slowmoFilter({
    quality: ref.clip.slowmo_quality,
    speed: ref.clip.speed,
    fps: ctx.grid.fps,
    ...(sourceFps && sourceFps.num > 0 ? { sourceFps } : {}),
    width: v?.display_width ?? 16,
    height: v?.display_height ?? 9,
    clipPath: ref.path,
    clipId: ref.clip.id,
    hasMinterpolate: ctx.input.has_minterpolate ?? true,
  });
  ctx.warnings.push(...sm.warnings);
  ctx.slowmoDetails.push(sm.details);
  if (sm.filter !== '') ctx.slowmo.set(ref.path, sm.filter);
}

function argsHavePath(args: string[], path: string): boolean {
  return args.includes(path);
}

function resolveFont(input: CompileInput, font: { family?: string; asset_id?: string }): string | undefined {
  const fonts = input.fonts ?? {};
  if (font.asset_id !== undefined) return fonts[`asset:${font.asset_id}`];
  return fonts[font.family ?? DEFAULT_FONT_FAMILY];
}

export function compile(input: CompileInput): RenderPlan {
  // The output options (format, size, fps) adjust the named profile for this render.
  const output = resolveOutput({
    profile: getProfile(input.profile),
    ...(input.output ? { options: input.output } : {}),
    ...(input.output_extension !== undefined ? { extension: input.output_extension } : {}),
  });
  const profile = output.profile;
  const timeline = input.timeline;
  const grid: FrameGrid = { fps: profile.fps, sampleRate: profile.audio.sample_rate };
  checkTransitionTypes(timeline.tracks);
  checkMotionPresets(timeline.tracks);
  checkGeneratorClips(timeline.tracks);
  checkClipSources(timeline.tracks, input.sources);

  const warnings: Warning[] = [];
  const endF = frameAt(grid, timelineEndMs(input));
  let rangeF0 = 0;
  let rangeF1 = endF;
  if (input.range) {
    rangeF0 = frameAt(grid, input.range.start_ms);
    rangeF1 = Math.min(endF, frameAt(grid, input.range.start_ms + input.range.duration_ms));
  }
  if (output.kind === 'image') {
    // A poster is the one frame shown at poster_ms: the same frame the video render has there.
    const posterMs = output.options.poster_ms ?? 0;
    const f = frameAt(grid, posterMs);
    if (f >= endF)
      throw cutroomError(
        'INVALID_PARAM',
        `poster_ms ${posterMs} is at or after the end of the timeline (${Math.round(msAtFrame(grid, endF))} ms)`,
        { path: 'output.poster_ms' },
      );
    rangeF0 = f;
    rangeF1 = f + 1;
  }
  if (rangeF1 <= rangeF0) {
    throw cutroomError(
      input.range ? 'INVALID_PARAM' : 'TIMELINE_INVALID',
      input.range
        ? `range [${input.range.start_ms}, ${input.range.start_ms + input.range.duration_ms}) ms holds no frame of the timeline (${Math.round(msAtFrame(grid, endF))} ms long)`
        : 'the timeline is empty: no clip or text layer, and no duration_ms',
      input.range ? { path: 'range', timeline_duration_ms: Math.round(msAtFrame(grid, endF)) } : {},
    );
  }
  const frameCount = rangeF1 - rangeF0;
  // A classic zip holds at most 65 535 files (src/render/write-zip.ts): refused before anything renders.
  if (output.kind === 'sequence' && frameCount > 0xffff)
    throw cutroomError(
      'INVALID_PARAM',
      `an image sequence holds at most 65535 frames; this render has ${frameCount}`,
      {
        path: 'output.format',
        frame_count: frameCount,
      },
    );
  const sampleCount = sampleAtFrame(grid, rangeF1) - sampleAtFrame(grid, rangeF0);

  const luts: Record<string, string> = {};
  for (const art of Object.values(input.artifacts ?? {}).sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (art.path !== undefined) luts[`artifact:${art.id}`] = art.path;
  }

  const measurePass = input.loudness_pass === 'measure';
  if (measurePass && input.streams === 'video') {
    throw cutroomError(
      'INVALID_PARAM',
      'a loudness measurement pass needs the audio: streams "video" given',
      {
        path: 'streams',
      },
    );
  }
  // The measurement pass is the audio-only plan minus normalisation, so it meters the very mix that gets the gain.
  // Audio formats carry the sound only; GIFs and images the picture only.
  const streams = measurePass
    ? 'audio'
    : output.kind === 'audio'
      ? 'audio'
      : output.kind !== 'video'
        ? 'video'
        : (input.streams ?? 'both');
  const withVideo = streams !== 'audio';
  const withAudio = streams !== 'video';
  if (input.gop_frames !== undefined && !(Number.isInteger(input.gop_frames) && input.gop_frames >= 1)) {
    throw cutroomError('INVALID_PARAM', `gop_frames must be an integer >= 1, got ${input.gop_frames}`, {
      path: 'gop_frames',
    });
  }
  const enc = encoderArgs({
    profile,
    ...(input.encoder ? { encoder: input.encoder } : {}),
    ...(input.gop_frames !== undefined ? { gopFrames: input.gop_frames } : {}),
  });
  const g = new GraphBuilder();
  const ctx: Ctx = {
    input,
    profile,
    grid,
    g,
    warnings,
    canvas: { width: profile.width, height: profile.height },
    rangeF0,
    rangeF1,
    luts,
    transitionsMeta: [],
    regionMasks: new Map(),
    maskInputs: new Map(),
    skippedFilters: [],
    usedArtifactIds: new Set(),
    stabilise: new Map(),
    stabiliseDetails: [],
    stabiliseWarnings: [],
    slowmo: new Map(),
    slowmoDetails: [],
  };
  const W = profile.width;
  const H = profile.height;
  const fps = `${n(grid.fps.num)}/${n(grid.fps.den)}`;
  const background = ffColor(timeline.background);
  const missing = new Set<string>();
  /** Artifacts the plan reads without naming their file in the graph (transcripts, masks drawn inline). */
  const usedArtifactIds = ctx.usedArtifactIds;

  // Bottom to top. The first visible video track is the opaque base; tracks above keep alpha.
  const videoLayers: string[] = [];
  /** Audio stream per track index (ducking rewrites some before the mix). */
  const trackAudio = new Map<number, string>();
  let baseTaken = false;
  timeline.tracks.forEach((track, ti) => {
    if (track.kind === 'caption' || track.kind === 'text') return;
    const hidden = track.kind !== 'audio' && track.hidden;
    const wantVideo = withVideo && track.kind !== 'audio' && !hidden;
    const wantAudio = withAudio && !track.muted;
    if (!wantVideo && !wantAudio) return;
    const refs = resolveTrack(ctx, track, ti, missing);
    if (wantVideo)
      for (const ref of refs.values()) {
        planRegionMask(ctx, ref);
        planMotion(ctx, ref);
      }
    const isBase = wantVideo && !baseTaken && videoLayers.length === 0 && track.kind === 'video';
    const audible = [...refs.values()].some((r) => r.hasAudio && !isClipMuted(r.clip) && !r.freeze);
    const streams = buildTrack(ctx, track, ti, refs, {
      wantVideo,
      wantAudio: wantAudio && audible,
      canvasColor: isBase ? background : '0x00000000',
      alpha: !isBase,
    });
    if (streams.video) {
      if (isBase) baseTaken = true;
      videoLayers.push(streams.video);
    }
    if (streams.audio) trackAudio.set(ti, streams.audio);
  });
  const ducking = withAudio
    ? applyDucking({
        g,
        tracks: timeline.tracks,
        streams: trackAudio,
        sources: input.sources,
        ...(input.artifacts ? { artifacts: input.artifacts } : {}),
        rangeStartMs: msAtFrame(grid, rangeF0),
        warnings,
        usedArtifactIds: ctx.usedArtifactIds,
      })
    : [];
  const audioStreams = [...trackAudio.entries()].sort(([a], [b]) => a - b).map(([, label]) => label);

  const files: PlanFile[] = [];
  let spriteTiles: ReturnType<typeof outputVideoTail>['tiles'];
  const rangeStartMs = msAtFrame(grid, rangeF0);
  const rangeEndMs = msAtFrame(grid, rangeF1);
  if (withVideo) {
    // Composite.
    let video: string;
    let layers = videoLayers;
    if (baseTaken) {
      video = layers[0]!;
      layers = layers.slice(1);
    } else {
      video = g.fresh('bg');
      g.statements.push(
        `color=c=${background}:s=${n(W)}x${n(H)}:r=${fps},format=yuv420p,trim=end_frame=${n(frameCount)}${video}`,
      );
    }
    for (const layer of layers) {
      const out = g.fresh('comp');
      g.chain([video, layer], ['overlay=x=0:y=0:eof_action=pass:format=auto', 'format=yuv420p'], out);
      video = out;
    }

    // Text layers, drawn on the composite (whose t starts at the range start).
    const workDir = input.work_dir ?? '.';
    const fontIssues: Array<{ path: string; font: string }> = [];
    let textIndex = 0;
    const textFilters: string[] = [];
    timeline.tracks.forEach((track, ti) => {
      if (track.kind !== 'text' || track.hidden) return;
      (track as TextTrack).items.forEach((layer, li) => {
        const path = `tracks[${ti}].items[${li}]`;
        let fontFile = resolveFont(input, layer.font);
        if (fontFile !== undefined && layer.font.bold) {
          const bold =
            layer.font.asset_id === undefined
              ? input.fonts?.[`bold:${layer.font.family ?? DEFAULT_FONT_FAMILY}`]
              : undefined;
          if (bold !== undefined) fontFile = bold;
          else
            warnings.push({
              code: 'TEXT_BOLD_UNAVAILABLE',
              message:
                layer.font.asset_id !== undefined
                  ? `bold: a font asset is one face; asset ${layer.font.asset_id} is drawn as it is`
                  : `bold: family "${layer.font.family ?? DEFAULT_FONT_FAMILY}" has no Bold face installed; drawn in its regular face`,
              path: `${path}.font.bold`,
            });
        }
        if (fontFile === undefined) {
          fontIssues.push({
            path: `${path}.font`,
            font:
              layer.font.asset_id !== undefined
                ? `asset:${layer.font.asset_id}`
                : (layer.font.family ?? DEFAULT_FONT_FAMILY),
          });
          return;
        }
        if (layer.start_ms + layer.duration_ms <= rangeStartMs || layer.start_ms >= rangeEndMs) return;
        const r = compileTextLayer({
          layer: { ...layer, start_ms: layer.start_ms - Math.round(rangeStartMs) },
          index: textIndex++,
          path,
          canvas: { width: W, height: H },
          fps: grid.fps,
          fontFile,
          workDir,
        });
        textFilters.push(r.filter);
        files.push(...r.files);
        warnings.push(...r.warnings);
      });
    });
    // Captions over the text layers.
    const captions = compileCaptionLayers({
      tracks: timeline.tracks,
      artifacts: input.artifacts,
      canvas: { width: W, height: H },
      rangeStartMs,
      rangeEndMs,
      workDir,
      resolveFont: (family) => resolveFont(input, { family }),
    });
    textFilters.push(...captions.filters);
    files.push(...captions.files);
    warnings.push(...captions.warnings);
    fontIssues.push(...captions.fontIssues);
    for (const id of captions.usedArtifacts) usedArtifactIds.add(id);
    if (fontIssues.length > 0) {
      throw cutroomError(
        'FONT_NOT_FOUND',
        fontIssues.map((f) => `${f.path}: font "${f.font}" is not available`).join('; '),
        { issues: fontIssues, available: Object.keys(input.fonts ?? {}).sort() },
      );
    }
    const tail = outputVideoTail({ g, output, frameCount, fps: grid.fps });
    spriteTiles = tail.tiles;
    const finalVideo = [...textFilters, `format=${profile.pix_fmt}`, ...enc.videoTail, ...tail.filters];
    if (tail.split) {
      // GIF: the palette is computed over every frame first (palettegen), then applied (paletteuse).
      g.chain([video], finalVideo, tail.split.inputs);
      for (const stmt of tail.split.statements) g.statements.push(stmt);
    } else g.chain([video], finalVideo, '[vout]');
  }

  let loudnessMode: 'none' | 'single_pass' | 'measured' = 'none';
  if (withAudio) {
    // Audio mix.
    const channels = profile.audio.channels;
    let audio: string;
    if (audioStreams.length === 0)
      audio = silence({ g, sampleRate: grid.sampleRate, channels, samples: sampleCount });
    else if (audioStreams.length === 1) audio = audioStreams[0]!;
    else {
      audio = g.fresh('mix');
      // normalize=0: amix would otherwise divide every input by the input count (a level drop per track).
      g.chain(audioStreams, [`amix=inputs=${n(audioStreams.length)}:duration=longest:normalize=0`], audio);
    }
    const tail: string[] = [];
    if (profile.loudness_lufs !== undefined && !measurePass) {
      const measured = input.loudness_measurement?.integrated_lufs;
      if (measured !== undefined && Number.isFinite(measured)) {
        // One gain for the whole render, then a true-peak ceiling of -1.5 dBFS; latency=1 keeps A/V sync.
        loudnessMode = 'measured';
        tail.push(
          `volume=${formatNumber(profile.loudness_lufs - measured, 2)}dB`,
          `alimiter=limit=${formatNumber(10 ** (-1.5 / 20), 4)}:level=0:latency=1`,
        );
      } else if (measured === undefined) {
        loudnessMode = 'single_pass';
        tail.push(`loudnorm=I=${n(profile.loudness_lufs)}:TP=-1.5:LRA=11`);
      }
    }
    tail.push(
      `aresample=${n(grid.sampleRate)}`,
      `aformat=sample_fmts=fltp:sample_rates=${n(grid.sampleRate)}:channel_layouts=${channelLayout(channels)}`,
      `apad=whole_len=${n(sampleCount)}`,
      `atrim=end_sample=${n(sampleCount)}`,
      'asetpts=N/SR/TB',
    );
    // framelog=verbose: the per-100 ms lines would flood stderr at info level; the summary stays at info.
    if (measurePass) tail.push('ebur128=framelog=verbose');
    g.chain([audio], tail, '[aout]');
  }

  // Arguments.
  const graph = g.text();
  const args: string[] = [...enc.globalArgs];
  for (const inp of g.inputs) {
    // -vn before -i: the input's video is neither selected nor decoded (the sound of a video clip only).
    if (!withVideo) inp.options.push('-vn');
    args.push(...inp.options, '-i', inp.path);
  }
  if (graph.length > MAX_INLINE_GRAPH && input.work_dir !== undefined) {
    const scriptPath = `${input.work_dir.replace(/\/+$/, '')}/filtergraph.txt`;
    files.push({ path: scriptPath, content: graph });
    args.push('-filter_complex_script', scriptPath);
  } else {
    if (graph.length > MAX_INLINE_GRAPH)
      warnings.push({
        code: 'FILTERGRAPH_INLINE_LONG',
        message: `the filtergraph is ${graph.length} characters and no work_dir was given for a script file; it may exceed the OS argument limit`,
      });
    args.push('-filter_complex', graph);
  }
  // Audio-only output: AAC in MP4 (.m4a), or PCM in WAV; otherwise the profile's container.
  // Output options decide the muxer; without them (chunk renders) audio-only is .m4a or .wav as before.
  const explicitFormat = input.output?.format !== undefined || input.output_extension !== undefined;
  const audioOnlyFormat = profile.audio.codec.startsWith('pcm_') ? 'wav' : 'mp4';
  const format = explicitFormat || withVideo ? output.muxer : audioOnlyFormat;
  const outputExtension =
    explicitFormat || withVideo ? output.extension : audioOnlyFormat === 'wav' ? 'wav' : 'm4a';
  if (withVideo) args.push('-map', '[vout]');
  if (withAudio) args.push('-map', '[aout]');
  if (withVideo) args.push(...enc.videoArgs);
  else args.push('-vn');
  // The null muxer takes its default PCM encoder: nothing is kept, so no codec setting matters.
  if (withAudio && !measurePass) args.push(...enc.audioArgs);
  else if (!withAudio) args.push('-an');
  if (withVideo) args.push('-r', fps);
  args.push('-threads', n(profile.threads));
  args.push('-fflags', '+bitexact');
  if (withVideo) args.push('-flags:v', enc.closedGop ? '+bitexact+cgop' : '+bitexact');
  if (withAudio) args.push('-flags:a', '+bitexact');
  args.push('-map_metadata', '-1', '-map_chapters', '-1');
  if (measurePass) args.push('-f', 'null', '-');
  else {
    if (format === 'mp4' || format === 'mov' || format === 'ipod') args.push('-movflags', '+faststart');
    if (output.kind === 'image' || output.kind === 'sprite') args.push('-frames:v', '1', '-update', '1');
    if (output.kind === 'gif') args.push('-loop', n(output.options.gif?.loop ?? 0));
    // Image sequences: file k holds output frame k (frame_000000 is the first), the caller's %06d pattern.
    if (output.kind === 'sequence') args.push('-start_number', '0');
    args.push('-f', format);
  }

  const missingAssets = [...missing].sort();
  const transitions = ctx.transitionsMeta.sort(
    (a, b) => a.start_ms - b.start_ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const usedArtifacts = Object.values(input.artifacts ?? {})
    .filter(
      (a) =>
        usedArtifactIds.has(a.id) ||
        (a.path !== undefined && (graph.includes(escapeFilterValue(a.path)) || argsHavePath(args, a.path))),
    )
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const meta: PlanMeta = {
    plan_version: PLAN_VERSION,
    plan_hash: '',
    profile: profile.id,
    width: W,
    height: H,
    fps: { ...grid.fps },
    duration_ms: Math.round(msAtFrame(grid, frameCount)),
    frame_count: frameCount,
    sample_rate: grid.sampleRate,
    sample_count: sampleCount,
    range: { start_ms: Math.round(rangeStartMs), duration_ms: Math.round(msAtFrame(grid, frameCount)) },
    encoder: enc.encoder,
    transitions,
    dependency_notices: usedArtifacts.map((a) => ({
      kind: a.kind,
      artifact_id: a.id,
      backend_version: a.backend_version,
      cache_key: a.cache_key,
      asset_id: a.asset_id,
    })),
    missing_assets: missingAssets,
    loudness_mode: loudnessMode,
    ...(measurePass ? { loudness_pass: 'measure' } : {}),
    slowmo_details: ctx.slowmoDetails,
    stabilise_details: ctx.stabiliseDetails,
    stabilise_warnings: ctx.stabiliseWarnings,
    input_count: g.inputs.length,
    ...(streams !== 'both' ? { streams } : {}),
    ...(input.gop_frames !== undefined ? { gop_frames: input.gop_frames } : {}),
    output_extension: measurePass ? null : outputExtension,
    ...(explicitFormat ? { output_format: output.format } : {}),
    ...(spriteTiles ? { sprite: spriteTiles } : {}),
    ...(ctx.skippedFilters.length > 0 ? { skipped_filters: ctx.skippedFilters } : {}),
    ...(ducking.length > 0 ? { ducking } : {}),
    ...(ctx.regionMasks.size > 0
      ? {
          region_masks: [...ctx.regionMasks.entries()].flatMap(([path, list]) =>
            list.map(({ filterIndex, artifact }) => ({
              path: `${path}.filters[${filterIndex}]`,
              artifact_id: artifact.id,
              inputs: ctx.maskInputs.get(path)?.get(artifact.id) ?? [],
            })),
          ),
        }
      : {}),
  };
  const plan: RenderPlan = { inputs: g.inputs, filtergraph: graph, args, files, meta, warnings };
  meta.plan_hash = planHash({
    plan,
    sources: input.sources,
    workDir: input.work_dir,
    fonts: input.fonts ?? {},
    artifacts: input.artifacts ?? {},
  });
  return plan;
}
