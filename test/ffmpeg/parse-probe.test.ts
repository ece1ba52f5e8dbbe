// parseProbeOutput on hand-written ffprobe JSON: quirks that generated media cannot easily produce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCutroomError } from '../../src/errors.js';
import {
  parseProbeOutput,
  parseRational,
  type FfprobeJson,
  type FfprobeStream,
} from '../../src/ffmpeg/index.js';

const VIDEO: FfprobeStream = {
  index: 0,
  codec_type: 'video',
  codec_name: 'h264',
  width: 1920,
  height: 1080,
  sample_aspect_ratio: '1:1',
  pix_fmt: 'yuv420p',
  r_frame_rate: '30000/1001',
  avg_frame_rate: '30000/1001',
  duration: '10.010000',
  start_time: '0.000000',
  nb_frames: '300',
};

function parse(
  streams: FfprobeStream[],
  format: FfprobeJson['format'] = { format_name: 'mov,mp4', duration: '10.01' },
  packets?: FfprobeJson['packets'],
) {
  return parseProbeOutput({
    json: { format, streams, ...(packets ? { packets } : {}) },
    sizeBytes: 1000,
    path: 'x.mp4',
  });
}

test('rational parsing', () => {
  assert.deepEqual(parseRational('30000/1001'), { num: 30000, den: 1001 });
  assert.deepEqual(parseRational('16:9'), { num: 16, den: 9 });
  assert.deepEqual(parseRational('0/0'), { num: 0, den: 1 });
  assert.deepEqual(parseRational(undefined), { num: 0, den: 1 });
});

test('display matrix rotation is counter-clockwise in ffprobe; MediaInfo is clockwise', () => {
  const cases: Array<[number, number]> = [
    [-90, 90],
    [90, 270],
    [180, 0 + 180],
    [-180, 180],
    [-270, 270],
    [0, 0],
  ];
  for (const [matrix, clockwise] of cases) {
    const v = parse([
      { ...VIDEO, side_data_list: [{ side_data_type: 'Display Matrix', rotation: matrix }] },
    ]).video!;
    assert.equal(v.rotation, clockwise, `matrix ${matrix}`);
    const swapped = clockwise === 90 || clockwise === 270;
    assert.deepEqual([v.display_width, v.display_height], swapped ? [1080, 1920] : [1920, 1080]);
  }
});

test('legacy rotate tag is clockwise', () => {
  assert.equal(parse([{ ...VIDEO, tags: { rotate: '90' } }]).video!.rotation, 90);
  assert.equal(parse([{ ...VIDEO, tags: { rotate: '270' } }]).video!.rotation, 270);
});

test('SAR applies to the width before rotation swaps axes', () => {
  const v = parse([
    { ...VIDEO, width: 720, height: 576, sample_aspect_ratio: '16:15', side_data_list: [{ rotation: -90 }] },
  ]).video!;
  assert.deepEqual([v.display_width, v.display_height], [576, 768]);
  assert.deepEqual(parse([{ ...VIDEO, sample_aspect_ratio: '0:1' }]).video!.sar, { num: 1, den: 1 });
});

test('NTSC rates are not VFR; irregular packet intervals are', () => {
  assert.equal(parse([VIDEO]).video!.vfr, false);
  const regular = Array.from({ length: 60 }, (_, i) => ({
    stream_index: 0,
    dts_time: ((i * 1001) / 30000).toFixed(6),
  }));
  assert.equal(parse([VIDEO], undefined, regular).video!.vfr, false);
  // Same nominal and average rate, but every 4th interval doubled then halved elsewhere: a phone's jitter.
  let t = 0;
  const jitter = Array.from({ length: 60 }, (_, i) => {
    const p = { stream_index: 0, dts_time: t.toFixed(6) };
    t += i % 4 === 0 ? 0.05 : 0.0278;
    return p;
  });
  assert.equal(parse([VIDEO], undefined, jitter).video!.vfr, true);
  // Audio packets in the list do not count.
  const withAudio = [
    ...regular,
    ...Array.from({ length: 30 }, (_, i) => ({ stream_index: 1, dts_time: (i * 0.0213).toFixed(6) })),
  ];
  assert.equal(parse([VIDEO], undefined, withAudio).video!.vfr, false);
});

test('cover art does not make an audio file a video', () => {
  const info = parse(
    [
      {
        index: 0,
        codec_type: 'audio',
        codec_name: 'mp3',
        sample_rate: '44100',
        channels: 2,
        duration: '3.0',
      },
      { ...VIDEO, index: 1, codec_name: 'mjpeg', disposition: { attached_pic: 1 } },
    ],
    { format_name: 'mp3', duration: '3.0' },
  );
  assert.equal(info.kind, 'audio');
  assert.equal(info.video, undefined);
  assert.equal(info.audio!.channel_layout, 'stereo');
  assert.equal(info.stream_count, 2);
});

test('Matroska stream durations come from the DURATION tag; timecode from tags', () => {
  const info = parse(
    [{ ...VIDEO, duration: undefined, nb_frames: undefined, tags: { DURATION: '00:00:04.500000000' } }],
    { format_name: 'matroska,webm', duration: '4.5', tags: { timecode: '01:00:00:00' } },
  );
  assert.equal(info.video!.duration_ms, 4500);
  assert.equal(info.video!.frame_count, undefined);
  assert.equal(info.timecode, '01:00:00:00');
});

test('no usable streams -> UNSUPPORTED_MEDIA; zero-size or duration-less video -> MEDIA_CORRUPT', () => {
  assert.throws(
    () => parse([{ index: 0, codec_type: 'subtitle' }], { format_name: 'srt' }),
    (e: unknown) => isCutroomError(e, 'UNSUPPORTED_MEDIA'),
  );
  assert.throws(
    () => parse([{ ...VIDEO, width: 0, height: 0 }]),
    (e: unknown) => isCutroomError(e, 'MEDIA_CORRUPT'),
  );
  assert.throws(
    () => parse([{ ...VIDEO, duration: undefined }], { format_name: 'mov,mp4' }),
    (e: unknown) => isCutroomError(e, 'MEDIA_CORRUPT'),
  );
  assert.throws(
    () =>
      parse([{ index: 0, codec_type: 'audio', codec_name: 'aac', sample_rate: '0', channels: 0 }], {
        format_name: 'mov,mp4',
        duration: '1',
      }),
    (e: unknown) => isCutroomError(e, 'MEDIA_CORRUPT'),
  );
});
