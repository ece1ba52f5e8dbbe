/**
 * Encoder arguments for a smart-render patch (the encoded frames between copied GOPs): the plan's own settings
 * (preset, CRF), with the profile, level and colour description of the source the patch joins, so a decoder
 * configured for the source accepts the patch. Parameter sets still differ in detail (the encoder picks its own
 * reference count, POC type, QP offsets…), so every piece of a join decodes with its OWN parameter sets:
 * - H.264: the concat demuxer's h264_mp4toannexb conversion puts each piece's SPS/PPS in-band before its IDR;
 * - HEVC (libx265): the join reads every piece as MPEG-TS, copies through hevc_mp4toannexb (VPS/SPS/PPS before
 *   each IRAP frame), and patches repeat their headers in-band (x265 repeat-headers).
 *
 * Pure.
 */
import type { VideoPacketIndex } from '../timeline/index.js';

const X264_PROFILES: Record<string, string> = {
  'Constrained Baseline': 'baseline',
  Baseline: 'baseline',
  Main: 'main',
  High: 'high',
};

const X265_PROFILES: Record<string, string> = { Main: 'main' };

/** H.264 level_idc (31) -> x264 level ("3.1"). */
function h264Level(idc: number): string | undefined {
  if (!Number.isInteger(idc) || idc <= 0) return undefined;
  return `${Math.floor(idc / 10)}.${idc % 10}`;
}

/** HEVC general_level_idc (30 × level: 93) -> x265 level-idc ("3.1"). */
function hevcLevel(idc: number): string | undefined {
  if (!Number.isInteger(idc) || idc <= 0 || idc % 3 !== 0) return undefined;
  const tenths = idc / 3;
  return tenths % 10 === 0 ? String(tenths / 10) : `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

export function smartPatchArgs(options: { args: readonly string[]; source: VideoPacketIndex }): string[] {
  const { source } = options;
  const args = [...options.args];
  const extra: string[] = [];
  const hevc = args[args.indexOf('-c:v') + 1] === 'libx265';
  const profile = (hevc ? X265_PROFILES : X264_PROFILES)[source.profile];
  const at = args.indexOf('-profile:v');
  if (profile !== undefined) {
    if (at >= 0) args[at + 1] = profile;
    else extra.push('-profile:v', profile);
  }
  if (hevc) {
    const params = ['repeat-headers=1'];
    const level = hevcLevel(source.level);
    if (level !== undefined) params.push(`level-idc=${level}`);
    const p = args.indexOf('-x265-params');
    if (p >= 0) args[p + 1] = [args[p + 1], ...params].join(':');
    else extra.push('-x265-params', params.join(':'));
  } else {
    const level = h264Level(source.level);
    if (level !== undefined) extra.push('-level:v', level);
  }
  const c = source.color;
  if (c.range !== 'unknown') extra.push('-color_range', c.range);
  if (c.space !== 'unknown') extra.push('-colorspace', c.space);
  if (c.primaries !== 'unknown') extra.push('-color_primaries', c.primaries);
  if (c.transfer !== 'unknown') extra.push('-color_trc', c.transfer);
  // Before the muxer options at the end (`-f` is always last but for its value).
  const f = args.lastIndexOf('-f');
  args.splice(f >= 0 ? f : args.length, 0, ...extra);
  return args;
}
