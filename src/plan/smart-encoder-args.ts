/**
 * Encoder arguments for a smart-render patch (the encoded frames between copied GOPs): the plan's own libx264
 * settings (preset, CRF), with the H.264 profile, level and colour description of the source the patch joins,
 * so a decoder configured for the source accepts the patch. Parameter sets still differ in detail (x264 picks
 * its own reference count, POC type…); the join carries every piece's SPS/PPS in-band before its IDR frame
 * (the concat demuxer's h264_mp4toannexb conversion), so each piece decodes with its own.
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

/** H.264 level_idc (31) -> x264 level ("3.1"). */
function h264Level(idc: number): string | undefined {
  if (!Number.isInteger(idc) || idc <= 0) return undefined;
  return `${Math.floor(idc / 10)}.${idc % 10}`;
}

export function smartPatchArgs(options: { args: readonly string[]; source: VideoPacketIndex }): string[] {
  const { source } = options;
  const args = [...options.args];
  const extra: string[] = [];
  const profile = X264_PROFILES[source.profile];
  const at = args.indexOf('-profile:v');
  if (profile !== undefined) {
    if (at >= 0) args[at + 1] = profile;
    else extra.push('-profile:v', profile);
  }
  const level = h264Level(source.level);
  if (level !== undefined) extra.push('-level:v', level);
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
