/**
 * Where a stream copy may start and end in a source: its CLEAN cut points. A keyframe packet is clean when
 * every packet before it in decode order shows earlier (pts below it) and every packet from it on shows it or
 * later. Then the packets between two clean keyframes are exactly the frames between them in display order and
 * reference nothing outside: they can be copied as they are. Closed-GOP keyframes (H.264 IDR, x264's default)
 * are clean; the I frames of an open GOP are not, because their leading B frames come after them in decode
 * order but show before them and reference the previous GOP.
 *
 * A copy may END at more places than it may start: after any decode position j where every packet before j
 * shows before every packet from j on (with a constant frame rate those j packets are exactly display frames
 * 0..j-1). With B-frames that is every mini-GOP boundary (x264 -bf 3: at most 4 frames apart), so the frames
 * between a GOP's keyframe and a cut inside it are copied up to the last such boundary and only the 0-3
 * frames after it are encoded. Dropping packets from j on cannot break the ones before: a packet references
 * only packets decoded before it.
 *
 * Pure: works on the packet index (src/ffmpeg/probe-packet-index.ts).
 */
import type { VideoPacketIndex } from '../timeline/index.js';

export interface CutPoints {
  /** Ticks (time_base) per frame. */
  ticksPerFrame: number;
  /** pts of display frame 0. */
  firstPts: number;
  frameCount: number;
  /**
   * Display frame index -> decode index of its packet, for clean keyframes only (sorted by frame). In an
   * open-GOP stream only its first packet (see below).
   */
  clean: Array<{ frame: number; packet: number }>;
  /**
   * Clean END points, ascending: decode positions j (1..frameCount) where packets [0, j) are exactly display
   * frames [0, j). frameCount (the end of the stream) is always one. Clean keyframes are among them.
   */
  ends: number[];
}

/** Why the index cannot be cut by frames at all (VFR, a time base off the frame grid…), or the cut points. */
export function findCutPoints(
  index: VideoPacketIndex,
  fps: { num: number; den: number },
): CutPoints | { reason: 'timebase' | 'vfr' | 'no_packets'; message: string } {
  const p = index.packets;
  if (p.length === 0) return { reason: 'no_packets', message: 'the video stream has no packets' };
  const tb = index.time_base;
  // Ticks per output frame must be a whole number, or frame times cannot be reproduced exactly.
  const ticksNum = tb.den * fps.den;
  const ticksDen = tb.num * fps.num;
  if (ticksNum % ticksDen !== 0)
    return {
      reason: 'timebase',
      message: `time base ${tb.num}/${tb.den} does not hold a ${fps.num}/${fps.den} fps frame in whole ticks`,
    };
  const d = ticksNum / ticksDen;
  const sorted = p.map((x) => x[0]).sort((a, b) => a - b);
  const firstPts = sorted[0]!;
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]! - sorted[i - 1]! !== d)
      return {
        reason: 'vfr',
        message: `frame ${i} is ${sorted[i]! - sorted[i - 1]!} ticks after the previous one, not ${d} (variable frame rate or dropped frames)`,
      };
  }
  const prefixMax: number[] = new Array<number>(p.length);
  let m = -Infinity;
  for (let i = 0; i < p.length; i++) prefixMax[i] = m = Math.max(m, p[i]![0]);
  const suffixMin: number[] = new Array<number>(p.length);
  m = Infinity;
  for (let i = p.length - 1; i >= 0; i--) suffixMin[i] = m = Math.min(m, p[i]![0]);
  const clean: CutPoints['clean'] = [];
  for (let j = 0; j < p.length; j++) {
    const [pts, , key] = p[j]!;
    if (!key) continue;
    const before = j === 0 ? -Infinity : prefixMax[j - 1]!;
    if (before < pts && suffixMin[j]! >= pts) clean.push({ frame: (pts - firstPts) / d, packet: j });
  }
  clean.sort((a, b) => a.frame - b.frame);
  // A keyframe with leading pictures means the encoder writes open GOPs, and then a keyframe without them
  // may still be a non-IDR I frame (x264 -open-gop). The join puts a piece's SPS/PPS in-band before IDR
  // frames only (h264_mp4toannexb), so a piece starting on a non-IDR I frame would decode with the previous
  // piece's parameter sets: in such a stream only the first packet (always an IDR) starts a copy.
  if (index.codec === 'hevc') {
    // HEVC says which keyframes are IDR (the packet index reads the NAL type): only those start a piece. A CRA
    // frame, even one without leading pictures, does not begin a new coded video sequence when it follows
    // other pictures: its picture order count continues from the previous piece (frames come out in the wrong
    // order) and it may not switch to the piece's own SPS.
    const types = index.key_nal_types ?? {};
    clean.splice(0, clean.length, ...clean.filter((c) => types[c.packet] === 19 || types[c.packet] === 20));
  } else {
    const openGop = p.some(([pts, , key], j) => key && !clean.some((c) => c.packet === j) && pts > firstPts);
    if (openGop) clean.splice(0, clean.length, ...clean.filter((c) => c.packet === 0));
  }
  // Leading pictures of a keyframe (they show before it but are decoded after it: the B frames of an open GOP)
  // are no place for a copy to end, because the patch after the copy would start on one: the patch is a range
  // render that seeks its source with -ss, and ffmpeg 5.1's seek (demuxer keyframe search 3/23 s before the
  // target, on dts) lands on THAT keyframe, whose leading pictures then cannot be decoded and are dropped: the
  // patch showed the frames 2 later (x264 -bf 3 open-gop), 24 dB against the full render.
  const leading = new Set<number>();
  for (let j = 0; j < p.length; j++) {
    if (!p[j]![2]) continue;
    for (let i = j + 1; i < p.length && i < j + 64; i++)
      if (p[i]![0] < p[j]![0]) leading.add((p[i]![0] - firstPts) / d);
  }
  const ends: number[] = [];
  for (let j = 1; j < p.length; j++) if (prefixMax[j - 1]! < suffixMin[j]! && !leading.has(j)) ends.push(j);
  ends.push(p.length);
  return { ticksPerFrame: d, firstPts, frameCount: sorted.length, clean, ends };
}
