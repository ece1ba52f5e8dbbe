// The pure parts of smart render into HEVC: which keyframes start a copy (IDR only), the NAL type read from a
// keyframe sample, and the libx265 patch settings taken from the source; and where copies may end (not on the
// leading pictures of an open-GOP keyframe, any codec). test/render/smart-render-hevc.test.ts runs them on real
// libx265 media.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hevcFirstSliceType } from '../../src/ffmpeg/probe-packet-index.js';
import { encoderArgs } from '../../src/plan/encoder-args.js';
import { getProfile } from '../../src/plan/profiles.js';
import { findCutPoints, type CutPoints } from '../../src/plan/smart-cut-points.js';
import { smartPatchArgs } from '../../src/plan/smart-encoder-args.js';
import type { VideoPacketIndex } from '../../src/timeline/index.js';

/** 60 frames at 30 fps in 1/15360, no B-frames (decode order = display order), keyframes at 0 and 30. */
function index(keyTypes: Record<number, number> | undefined): VideoPacketIndex {
  return {
    codec: 'hevc',
    profile: 'Main',
    level: 93,
    pix_fmt: 'yuv420p',
    width: 640,
    height: 360,
    sar: { num: 1, den: 1 },
    time_base: { num: 1, den: 15360 },
    fps: { num: 30, den: 1 },
    color: { range: 'tv', space: 'bt709', primaries: 'bt709', transfer: 'bt709' },
    format_start_ts: 0,
    packets: Array.from(
      { length: 60 },
      (_, i) => [i * 512, i * 512, i % 30 === 0] as [number, number, boolean],
    ),
    ...(keyTypes ? { key_nal_types: keyTypes } : {}),
  };
}

const starts = (ix: VideoPacketIndex) =>
  (findCutPoints(ix, { num: 30, den: 1 }) as CutPoints).clean.map((c) => c.frame);

test('HEVC copies start only on IDR keyframes: a CRA (even without leading pictures) or an unread one does not', () => {
  assert.deepEqual(starts(index({ 0: 20, 30: 19 })), [0, 30]);
  assert.deepEqual(starts(index({ 0: 20, 30: 21 })), [0]);
  assert.deepEqual(starts(index({ 0: 20 })), [0]);
  assert.deepEqual(starts(index(undefined)), []);
  // H.264 is unchanged: clean keyframes by packet order.
  assert.deepEqual(starts({ ...index(undefined), codec: 'h264' }), [0, 30]);
});

test('the first slice NAL type of a 4-byte-length HEVC sample', () => {
  const nal = (type: number, len: number) => [
    0,
    0,
    0,
    len,
    type << 1,
    1,
    ...new Array<number>(len - 2).fill(7),
  ];
  // AUD (35), prefix SEI (39), then an IDR_N_LP slice (20).
  assert.equal(hevcFirstSliceType(Uint8Array.from([...nal(35, 3), ...nal(39, 6), ...nal(20, 9)])), 20);
  assert.equal(hevcFirstSliceType(Uint8Array.from([...nal(21, 9), ...nal(1, 4)])), 21);
  // Lengths that do not walk the sample (Annex B start codes, truncation): unknown.
  assert.equal(hevcFirstSliceType(Uint8Array.from([0, 0, 0, 1, 40, 1, 9, 9])), undefined);
  assert.equal(hevcFirstSliceType(Uint8Array.from([...nal(20, 9)].slice(0, 10))), undefined);
});

test('libx265 patches take the source profile, level and colour, and repeat their headers in-band', () => {
  const enc = encoderArgs({ profile: getProfile('draft_360p_hevc') });
  assert.deepEqual(enc.videoArgs.slice(0, 8), [
    '-c:v',
    'libx265',
    '-preset',
    'veryfast',
    '-crf',
    '30',
    '-profile:v',
    'main',
  ]);
  const args = smartPatchArgs({ args: [...enc.videoArgs, '-f', 'mp4'], source: index(undefined) });
  const at = args.indexOf('-x265-params');
  assert.equal(args[at + 1], 'log-level=error:repeat-headers=1:level-idc=3.1');
  assert.equal(args.filter((a) => a === '-x265-params').length, 1);
  assert.deepEqual(args.slice(args.indexOf('-color_range'), args.indexOf('-color_range') + 8), [
    ...['-color_range', 'tv', '-colorspace', 'bt709'],
    ...['-color_primaries', 'bt709', '-color_trc', 'bt709'],
  ]);
  assert.deepEqual(args.slice(-2), ['-f', 'mp4']);
  assert.ok(!args.includes('-level:v'), 'no H.264 level option');
  const l4 = smartPatchArgs({ args: enc.videoArgs, source: { ...index(undefined), level: 120 } });
  assert.equal(l4[l4.indexOf('-x265-params') + 1], 'log-level=error:repeat-headers=1:level-idc=4');
});

test('copies never end on a leading picture of an open-GOP keyframe (the patch after it would seek onto that keyframe)', () => {
  // Decode order in frames: an I frame at 6 decoded before its leading B frames 4 and 5.
  const order = [0, 3, 1, 2, 6, 4, 5, 9, 7, 8];
  const ix: VideoPacketIndex = {
    ...index(undefined),
    codec: 'h264',
    time_base: { num: 1, den: 30 },
    packets: order.map((f, i) => [f, i - 1, f === 0 || f === 6] as [number, number, boolean]),
  };
  const cuts = findCutPoints(ix, { num: 30, den: 1 }) as CutPoints;
  // Decode position 4 is a mini-GOP edge (packets before it show frames 0-3), but frame 4 leads keyframe 6.
  assert.deepEqual(cuts.ends, [1, 7, 10]);
});
