/**
 * planSmartRender(): which output frames of a render can be STREAM-COPIED from their source and which must be
 * encoded. A frame is copyable when it shows one source frame unchanged: the base video track's clip plays at
 * speed 1 with no filter, crop, transform, opacity, stabilise or automation of the picture; no transition
 * window, upper track, text layer or caption touches it; and the source stream equals the output (codec and
 * profile family, size, square pixels, no rotation, pixel format, constant frame rate equal to the profile's, a
 * time base that holds a frame in whole ticks). Runs of copyable frames are then cut at the source's clean
 * keyframes (smart-cut-points.ts): a copy starts at a clean keyframe and ends at a clean end point (a mini-GOP
 * boundary, so inside a GOP too); the frames before the first keyframe of a run and the 0-3 after its last
 * mini-GOP boundary are encoded.
 *
 * The result lists segments in output order, each `copy` (a packet range of one source, given as the concat
 * demuxer's inpoint/outpoint) or `encode` (a frame range of the timeline, rendered by compile() with `range`),
 * plus meta: frames copied vs encoded and why every encoded frame could not be copied.
 *
 * Frame mapping: a speed-1 clip's output frame p shows source display frame ceil(in · fps) + p, because the
 * full render seeks with -ss in_ms (accurate seek keeps frames at or after it) and resamples with fps= on the
 * same grid. H.264 (libx264 profiles) and HEVC (libx265 profiles, Main) are supported; other profile codecs
 * encode everything, and a source in another codec than the profile's is encoded with reason `codec`.
 *
 * Pure and deterministic.
 */
import type { Warning } from '../errors.js';
import type { MediaClip, Track, VideoPacketIndex } from '../timeline/index.js';
import { resolveClip } from './clip-ref.js';
import { compile } from './compile.js';
import { formatNumber } from './format.js';
import { frameAt, type FrameGrid } from './frame-grid.js';
import { getProfile, type RenderProfile } from './profiles.js';
import { findCutPoints, type CutPoints } from './smart-cut-points.js';
import type { CompileInput, RenderPlan } from './types.js';

export const SMART_PLAN_VERSION = '1';

export type SmartReasonCode =
  | 'profile_codec'
  | 'no_video_track'
  | 'gap'
  | 'missing_asset'
  | 'not_indexed'
  | 'codec'
  | 'codec_profile'
  | 'size'
  | 'sar'
  | 'rotation'
  | 'pix_fmt'
  | 'fps'
  | 'timebase'
  | 'vfr'
  | 'start_offset'
  | 'clip_effects'
  | 'overlap'
  | 'transition'
  | 'overlay'
  | 'text'
  | 'captions'
  | 'source_end'
  | 'partial_gop';

export interface SmartCopySource {
  asset_id: string;
  /** Display frames [first, end) of the source: from a clean keyframe to a clean end point. */
  source_frames: [number, number];
  /** Concat demuxer directives, seconds: seek lands on the keyframe; packets from outpoint (dts) on are cut. */
  inpoint: string;
  outpoint: string | null;
  time_base: { num: number; den: number };
}

export type SmartSegment =
  | { kind: 'copy'; frames: [number, number]; source: SmartCopySource }
  | {
      kind: 'encode';
      frames: [number, number];
      reasons: SmartReasonCode[];
      /** Source whose copied GOPs this piece joins (its encoder settings are matched), if any. */
      match_asset_id?: string;
    };

export interface SmartNonCopy {
  code: SmartReasonCode;
  frames: [number, number];
  message: string;
  path?: string;
}

export interface SmartMeta {
  smart_plan_version: string;
  frames_total: number;
  frames_copied: number;
  frames_encoded: number;
  copied_percent: number;
  copy_segments: number;
  encode_segments: number;
  /** Why each encoded frame range was not copied (adjacent frames with the same reason merged). */
  non_copy: SmartNonCopy[];
}

export interface SmartPlan {
  /** The ordinary whole plan (frame count, warnings, loudness…): the smart render must equal it. */
  whole: RenderPlan;
  /** MP4 time scale every piece of the join is muxed in (that of the copied sources); none without copies. */
  join_timescale?: number;
  segments: SmartSegment[];
  meta: SmartMeta;
}

export interface SmartPlanInput {
  compile: CompileInput;
  /** Packet indexes of the video sources, keyed by asset_id (absent = not indexed). */
  indexes: Record<string, VideoPacketIndex>;
}

interface FrameNote {
  code: SmartReasonCode;
  message: string;
  path?: string;
}

const PROFILE_CODECS: Record<string, { codec: string; profiles: string[] }> = {
  // 8-bit 4:2:0 H.264 profiles libx264 can encode patches in (Constrained Baseline is Baseline without FMO/ASO).
  libx264: { codec: 'h264', profiles: ['Constrained Baseline', 'Baseline', 'Main', 'High'] },
  // 8-bit 4:2:0 HEVC (Main 10 and the range extensions are other pixel formats or tools: not copied).
  libx265: { codec: 'hevc', profiles: ['Main'] },
};

const PICTURE_PARAMS = new Set(['opacity', 'position_x', 'position_y', 'scale', 'rotation_deg']);

/** What in the clip itself changes its picture (so its frames are not plain source frames), or undefined. */
function clipEffect(clip: MediaClip): string | undefined {
  if (clip.speed !== 1) return `speed ${clip.speed}`;
  if (clip.reverse) return 'reverse';
  if (clip.freeze_at_ms !== undefined) return 'freeze frame';
  if (clip.filters.length > 0) return `filters (${clip.filters.map((f) => f.type).join(', ')})`;
  if (clip.stabilise) return 'stabilise';
  if (clip.opacity < 1) return 'opacity';
  const c = clip.crop;
  if (c && (c.left > 0 || c.right > 0 || c.top > 0 || c.bottom > 0)) return 'crop';
  const t = clip.transform;
  if (t.position_x !== 0.5 || t.position_y !== 0.5 || t.scale !== 1 || t.rotation_deg % 360 !== 0)
    return 'transform';
  const animated = clip.automation.find((a) => PICTURE_PARAMS.has(a.param));
  if (animated) return `${animated.param} automation`;
  return undefined;
}

function sameRational(a: { num: number; den: number }, b: { num: number; den: number }): boolean {
  return a.num * b.den === b.num * a.den;
}

/** Why a source stream cannot be copied into this profile's output, or undefined. */
function sourceMismatch(
  index: VideoPacketIndex,
  profile: RenderProfile,
  rotation: number,
): FrameNote | undefined {
  const want = PROFILE_CODECS[profile.video.codec]!;
  if (index.codec !== want.codec)
    return {
      code: 'codec',
      message:
        index.codec === 'hevc' || index.codec === 'h264'
          ? `source codec ${index.codec}, output ${want.codec}: render with a profile that encodes ${index.codec} (${index.codec === 'hevc' ? 'draft_360p_hevc' : 'an H.264 profile'}) to copy it`
          : `source codec ${index.codec}, output ${want.codec}`,
    };
  if (!want.profiles.includes(index.profile))
    return {
      code: 'codec_profile',
      message: `source ${index.codec} profile "${index.profile}" is not one patches can be encoded in (${want.profiles.join(', ')})`,
    };
  if (index.width !== profile.width || index.height !== profile.height)
    return {
      code: 'size',
      message: `source ${index.width}x${index.height}, output ${profile.width}x${profile.height}`,
    };
  if (index.sar.num !== 0 && index.sar.num !== index.sar.den)
    return { code: 'sar', message: `source pixels are ${index.sar.num}:${index.sar.den}, not square` };
  if (rotation !== 0) return { code: 'rotation', message: `source is displayed rotated by ${rotation}°` };
  if (index.pix_fmt !== profile.pix_fmt)
    return { code: 'pix_fmt', message: `source pixel format ${index.pix_fmt}, output ${profile.pix_fmt}` };
  if (!sameRational(index.fps, profile.fps))
    return {
      code: 'fps',
      message: `source ${index.fps.num}/${index.fps.den} fps, output ${profile.fps.num}/${profile.fps.den}`,
    };
  return undefined;
}

function seconds(ticks: number, tb: { num: number; den: number }): string {
  return formatNumber((ticks * tb.num) / tb.den);
}

export function planSmartRender(input: SmartPlanInput): SmartPlan {
  const whole = compile(input.compile);
  const profile = getProfile(input.compile.profile);
  const grid: FrameGrid = { fps: profile.fps, sampleRate: profile.audio.sample_rate };
  const F0 = frameAt(grid, Number((whole.meta.range as { start_ms: number }).start_ms));
  const total = whole.meta.frame_count;
  const F1 = F0 + total;
  const notes: Array<FrameNote | undefined> = new Array<FrameNote | undefined>(total).fill(undefined);
  /** Source display frame shown at each output frame (copy candidates only). */
  const sourceFrame: Array<{ asset: string; k: number } | undefined> = new Array(total).fill(undefined);
  const mark = (f0: number, f1: number, note: FrameNote) => {
    for (let f = Math.max(f0, F0); f < Math.min(f1, F1); f++) {
      if (notes[f - F0] === undefined) notes[f - F0] = note;
      sourceFrame[f - F0] = undefined;
    }
  };

  const tracks = input.compile.timeline.tracks;
  const joinTimescale: { value?: number } = {};
  const codecOk = PROFILE_CODECS[profile.video.codec] !== undefined;
  const baseIndex = tracks.findIndex((t) => t.kind === 'video' && !t.hidden);
  if (!codecOk || baseIndex < 0 || input.compile.streams === 'audio') {
    const note: FrameNote = !codecOk
      ? {
          code: 'profile_codec',
          message: `smart render copies H.264 and HEVC (libx264 and libx265 profiles); profile ${profile.id} encodes ${profile.video.codec}`,
        }
      : { code: 'no_video_track', message: 'no visible video track to copy from' };
    mark(F0, F1, note);
  } else {
    // Everything above the base track that draws a picture.
    tracks.forEach((track: Track, ti) => {
      if (ti === baseIndex) return;
      if ((track.kind === 'video' || track.kind === 'overlay') && !track.hidden)
        for (const [ci, clip] of track.clips.entries()) {
          const ref = resolveClip({
            clip,
            path: `tracks[${ti}].clips[${ci}]`,
            source: input.compile.sources[clip.asset_id] ?? placeholderSource(clip.asset_id),
            grid,
            warnings: [],
          });
          if (ref && ti > baseIndex)
            mark(ref.startF, ref.endF, {
              code: 'overlay',
              message: 'an upper track shows a clip here',
              path: `tracks[${ti}].clips[${ci}]`,
            });
        }
      if (track.kind === 'text' && !track.hidden)
        track.items.forEach((item, ii) =>
          mark(frameAt(grid, item.start_ms), frameAt(grid, item.start_ms + item.duration_ms), {
            code: 'text',
            message: 'a text layer is drawn here',
            path: `tracks[${ti}].items[${ii}]`,
          }),
        );
      if (track.kind === 'caption' && !track.hidden && track.items.length > 0)
        mark(F0, F1, { code: 'captions', message: 'captions are burned in', path: `tracks[${ti}]` });
    });
    const marked = (f: number) => notes[f - F0] !== undefined;
    planBaseTrack({ input, profile, grid, ti: baseIndex, mark, marked, sourceFrame, F0, F1, joinTimescale });
  }
  for (let f = 0; f < total; f++)
    if (notes[f] === undefined && sourceFrame[f] === undefined)
      notes[f] = { code: 'gap', message: 'no clip here (background)' };

  // Split copy candidates at clean keyframes; runs are maximal (same source, consecutive source frames).
  const segments: SmartSegment[] = [];
  const cutCache = new Map<string, CutPoints>();
  const cutsOf = (asset: string): CutPoints => {
    let c = cutCache.get(asset);
    if (!c) {
      c = findCutPoints(input.indexes[asset]!, profile.fps) as CutPoints;
      cutCache.set(asset, c);
    }
    return c;
  };
  const encodeFrames: Array<{ f: number; code: SmartReasonCode }> = [];
  // An HEVC join cuts its copies by packet count, not with the concat demuxer's inpoint/outpoint.
  const hevcJoin = profile.video.codec === 'libx265';
  let f = 0;
  while (f < total) {
    const sf = sourceFrame[f];
    if (!sf) {
      encodeFrames.push({ f, code: notes[f]!.code });
      f++;
      continue;
    }
    let g = f + 1;
    while (g < total && sourceFrame[g]?.asset === sf.asset && sourceFrame[g]!.k === sf.k + (g - f)) g++;
    const cuts = cutsOf(sf.asset);
    const s0 = sf.k;
    const s1 = sf.k + (g - f);
    const starts = cuts.clean.filter((c) => c.frame >= s0 && c.frame < s1);
    const c0 = starts[0]?.frame;
    // The end of a copy: the last clean end point (a mini-GOP boundary, a clean keyframe or the end of the
    // stream) at or before the run's end.
    const c1 = lastAtOrBelow(cuts.ends, s1);
    if (
      c0 === undefined ||
      c1 === undefined ||
      c1 <= c0 ||
      (!hevcJoin && !outpointAfterInpoint(input.indexes[sf.asset]!, cuts, c0, c1))
    ) {
      for (let x = f; x < g; x++) encodeFrames.push({ f: x, code: 'partial_gop' });
    } else {
      for (let x = f; x < f + (c0 - s0); x++) encodeFrames.push({ f: x, code: 'partial_gop' });
      flushEncode(segments, encodeFrames, F0);
      const index = input.indexes[sf.asset]!;
      const tb = index.time_base;
      const d = cuts.ticksPerFrame;
      const inPts = cuts.firstPts + c0 * d;
      // Clean end c1 < frameCount is decode position c1: its packet is the first one left out.
      const endPacket = c1 < cuts.frameCount ? c1 : undefined;
      segments.push({
        kind: 'copy',
        frames: [F0 + f + (c0 - s0), F0 + f + (c1 - s0)],
        source: {
          asset_id: sf.asset,
          source_frames: [c0, c1],
          // A quarter frame past the keyframe's pts: the seek lands on that keyframe whether the demuxer
          // seeks by pts or dts, and the µs rounding of the list file cannot fall before it.
          inpoint: seconds(inPts + d / 4, tb),
          // Half a frame before the dts of the first packet left out: every packet before it in decode order
          // is kept (the concat demuxer ends a file at the first packet whose dts reaches outpoint).
          outpoint: endPacket !== undefined ? seconds(index.packets[endPacket]![1] - d / 2, tb) : null,
          time_base: { ...tb },
        },
      });
      for (let x = f + (c1 - s0); x < g; x++) encodeFrames.push({ f: x, code: 'partial_gop' });
    }
    f = g;
  }
  flushEncode(segments, encodeFrames, F0);
  // Patches take the encoder settings of the source they join.
  for (const [i, s] of segments.entries()) {
    if (s.kind !== 'encode') continue;
    const next = segments.slice(i + 1).find((x) => x.kind === 'copy');
    const prev = segments
      .slice(0, i)
      .reverse()
      .find((x) => x.kind === 'copy');
    const near = next ?? prev;
    if (near?.kind === 'copy') s.match_asset_id = near.source.asset_id;
  }

  const copied = segments.reduce((n, s) => n + (s.kind === 'copy' ? s.frames[1] - s.frames[0] : 0), 0);
  const nonCopy: SmartNonCopy[] = [];
  const encodedSet = new Set<number>();
  for (const s of segments)
    if (s.kind === 'encode') for (let x = s.frames[0]; x < s.frames[1]; x++) encodedSet.add(x - F0);
  for (let x = 0; x < total; x++) {
    if (!encodedSet.has(x)) continue;
    const note: FrameNote = notes[x] ?? {
      code: 'partial_gop',
      message: 'between a cut and the nearest clean keyframe of the source (a partial GOP)',
    };
    const last = nonCopy[nonCopy.length - 1];
    if (last && last.code === note.code && last.path === note.path && last.frames[1] === F0 + x)
      last.frames[1] = F0 + x + 1;
    else
      nonCopy.push({
        code: note.code,
        frames: [F0 + x, F0 + x + 1],
        message: note.message,
        ...(note.path !== undefined ? { path: note.path } : {}),
      });
  }
  return {
    whole,
    ...(copied > 0 && joinTimescale.value !== undefined ? { join_timescale: joinTimescale.value } : {}),
    segments,
    meta: {
      smart_plan_version: SMART_PLAN_VERSION,
      frames_total: total,
      frames_copied: copied,
      frames_encoded: total - copied,
      copied_percent: total === 0 ? 0 : Math.round((10000 * copied) / total) / 100,
      copy_segments: segments.filter((s) => s.kind === 'copy').length,
      encode_segments: segments.filter((s) => s.kind === 'encode').length,
      non_copy: nonCopy,
    },
  };
}

/**
 * Whether the concat demuxer's outpoint of a copy [c0, c1) (half a frame before the dts of the first packet left
 * out) lies after its inpoint (a quarter frame past the keyframe's pts). A copy of fewer frames than the
 * stream's reorder delay (x264 -bf 3 with b-pyramid: 2 frames) ends before it starts in those terms. ffmpeg 5.1
 * refuses a list whose LAST file is such a copy ("Invalid data found when processing input": a timeline ending
 * on a one-frame clip at a keyframe failed to join), so such a copy is encoded instead, wherever it is.
 */
function outpointAfterInpoint(index: VideoPacketIndex, cuts: CutPoints, c0: number, c1: number): boolean {
  if (c1 >= cuts.frameCount) return true;
  const d = cuts.ticksPerFrame;
  return index.packets[c1]![1] - d / 2 > cuts.firstPts + c0 * d + d / 4;
}

/** The largest value of an ascending list that is ≤ limit (binary search), or undefined. */
function lastAtOrBelow(sorted: readonly number[], limit: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : undefined;
}

/** Close the pending run of encoded frames (consecutive) into encode segments. */
function flushEncode(
  segments: SmartSegment[],
  pending: Array<{ f: number; code: SmartReasonCode }>,
  F0: number,
): void {
  let i = 0;
  while (i < pending.length) {
    let j = i + 1;
    while (j < pending.length && pending[j]!.f === pending[j - 1]!.f + 1) j++;
    const codes = [...new Set(pending.slice(i, j).map((p) => p.code))].sort();
    const last = segments[segments.length - 1];
    if (last?.kind === 'encode' && last.frames[1] === F0 + pending[i]!.f) {
      last.frames[1] = F0 + pending[j - 1]!.f + 1;
      last.reasons = [...new Set([...last.reasons, ...codes])].sort();
    } else
      segments.push({
        kind: 'encode',
        frames: [F0 + pending[i]!.f, F0 + pending[j - 1]!.f + 1],
        reasons: codes,
      });
    i = j;
  }
  pending.length = 0;
}

function placeholderSource(assetId: string): CompileInput['sources'][string] {
  return {
    asset_id: assetId,
    path: '',
    content_hash: '',
    info: { kind: 'video', format_name: '', duration_ms: 0, size_bytes: 0, stream_count: 0 },
  };
}

/** The base track's clips: copy candidates (source frame per output frame) or the reason they are not. */
function planBaseTrack(o: {
  input: SmartPlanInput;
  profile: RenderProfile;
  grid: FrameGrid;
  ti: number;
  mark: (f0: number, f1: number, note: FrameNote) => void;
  marked: (f: number) => boolean;
  sourceFrame: Array<{ asset: string; k: number } | undefined>;
  F0: number;
  F1: number;
  joinTimescale: { value?: number };
}): void {
  const { input, profile, grid, ti, mark, marked, sourceFrame, F0, F1 } = o;
  const track = input.compile.timeline.tracks[ti]!;
  if (track.kind !== 'video') return;
  const warnings: Warning[] = [];
  const placed: Array<{ f0: number; f1: number; path: string }> = [];
  const candidates: Array<{ f0: number; f1: number; asset: string; k0: number; n: number; path: string }> =
    [];
  track.clips.forEach((clip, ci) => {
    const path = `tracks[${ti}].clips[${ci}]`;
    const source = input.compile.sources[clip.asset_id];
    if (!source) return; // a gap in the render (MISSING_ASSET)
    const ref = resolveClip({ clip, path, source, grid, warnings });
    if (!ref) return;
    const note = (code: SmartReasonCode, message: string) =>
      mark(ref.startF, ref.endF, { code, message, path });
    for (const p of placed)
      if (p.f0 < ref.endF && ref.startF < p.f1) {
        note('overlap', `overlaps ${p.path} on the same track`);
        mark(p.f0, p.f1, { code: 'overlap', message: `overlaps ${path} on the same track`, path: p.path });
      }
    placed.push({ f0: ref.startF, f1: ref.endF, path });
    if (ref.still || !ref.hasVideo) return note('codec', 'not a video source');
    const effect = clipEffect(clip);
    if (effect) return note('clip_effects', `the clip changes the picture: ${effect}`);
    const index = input.indexes[clip.asset_id];
    if (!index) return note('not_indexed', 'the source has no packet index');
    const mismatch = sourceMismatch(index, profile, source.info.video?.rotation ?? 0);
    if (mismatch) return note(mismatch.code, mismatch.message);
    const cuts = findCutPoints(index, profile.fps);
    if ('reason' in cuts)
      return note(cuts.reason === 'no_packets' ? 'not_indexed' : cuts.reason, cuts.message);
    if (cuts.firstPts !== index.format_start_ts)
      return note('start_offset', 'the video starts later than the file (seeks would be offset)');
    // The concat demuxer offsets each file in that file's own time base without rescaling, so every piece of
    // one join must share a time base: the first copyable source's; patches are muxed in it too. An HEVC join
    // reads every piece as MPEG-TS (90 kHz), whatever the source's time base.
    const tb = index.time_base;
    if (tb.num !== 1) return note('timebase', `time base ${tb.num}/${tb.den} is not 1/N`);
    const hevc = profile.video.codec === 'libx265';
    o.joinTimescale.value ??= hevc ? 90000 : tb.den;
    if (!hevc && tb.den !== o.joinTimescale.value)
      return note(
        'timebase',
        `time base 1/${tb.den} differs from the other copied sources' 1/${o.joinTimescale.value} (one join needs one)`,
      );
    const k0 = Math.ceil((ref.inMs * profile.fps.num) / (1000 * profile.fps.den) - 1e-6);
    candidates.push({ f0: ref.startF, f1: ref.endF, asset: clip.asset_id, k0, n: cuts.frameCount, path });
  });
  for (const c of candidates) {
    for (let f = Math.max(c.f0, F0); f < Math.min(c.f1, F1); f++) {
      const k = c.k0 + (f - c.f0);
      if (k >= c.n)
        mark(f, f + 1, { code: 'source_end', message: 'past the last source frame (held)', path: c.path });
      else if (!marked(f) && sourceFrame[f - F0] === undefined) sourceFrame[f - F0] = { asset: c.asset, k };
    }
  }
  // Transition windows (centred on the cut, up to the transition's length either side): blended, not copied.
  for (const [k, tr] of track.transitions.entries()) {
    const to = track.clips.find((c) => c.id === tr.to_clip_id);
    if (!to) continue;
    const cut = frameAt(grid, to.start_ms);
    const d = frameAt(grid, tr.duration_ms);
    mark(cut - d, cut + d, {
      code: 'transition',
      message: `${tr.type} transition`,
      path: `tracks[${ti}].transitions[${k}]`,
    });
  }
}
