// Stream selection for chunked renders (video-only / audio-only plans) and forced closed GOPs: the outputs are
// checked with ffprobe/ffmpeg (frame count, sample count, which streams exist, where the keyframes are).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath, ffprobePath } from '../../src/ffmpeg/binaries.js';
import { compile } from '../../src/plan/compile.js';
import type { CompileInput, PlanSource } from '../../src/plan/types.js';
import { frameCount, hasAudio, solidClip } from '../helpers/media.js';
import { realSource, runPlan, tempDir, timeline } from './helpers/plan-fixtures.js';

async function sources(): Promise<Record<string, PlanSource>> {
  const red = await solidClip({ color: '#FF0000', durationMs: 2000, toneHz: 440 });
  const blue = await solidClip({ color: '#0000FF', durationMs: 2000, toneHz: 880 });
  return { red: realSource('red', red), blue: realSource('blue', blue) };
}

function input(src: Record<string, PlanSource>, extra: Partial<CompileInput>): CompileInput {
  return {
    timeline: timeline({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            { id: 'a', asset_id: 'red', start_ms: 0, out_ms: 2000 },
            { id: 'b', asset_id: 'blue', start_ms: 2000, out_ms: 2000 },
          ],
          transitions: [{ id: 't', type: 'crossfade', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 400 }],
        },
      ],
    }),
    sources: src,
    profile: 'draft_360p',
    ...extra,
  };
}

function streamTypes(file: string): string[] {
  const r = spawnSync(ffprobePath(), [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_type',
    '-of',
    'csv=p=0',
    file,
  ]);
  return r.stdout.toString().trim().split('\n').filter(Boolean);
}

/** Decoded sample count of the first audio stream (s16 mono). */
function decodedSamples(file: string): number {
  const r = spawnSync(
    ffmpegPath(),
    ['-v', 'error', '-i', file, '-map', '0:a:0', '-ac', '1', '-f', 's16le', '-'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout.length / 2;
}

/** The audio stream's length in samples as the container states it (MP4: the edit list's duration). */
function containerSamples(file: string): number {
  const r = spawnSync(ffprobePath(), [
    '-v',
    'error',
    '-select_streams',
    'a:0',
    '-show_entries',
    'stream=duration_ts',
    '-of',
    'csv=p=0',
    file,
  ]);
  return Number(r.stdout.toString().trim());
}

function keyframeIndices(file: string): number[] {
  const r = spawnSync(
    ffprobePath(),
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=key_frame', '-of', 'csv=p=0', file],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return (
    r.stdout
      .toString()
      .trim()
      .split('\n')
      // Frames with side data print an extra (empty) line.
      .filter((l) => /^[01]/.test(l.trim()))
      .map((l, i) => (l.trim().startsWith('1') ? i : -1))
      .filter((i) => i >= 0)
  );
}

test('video-only plan of a range: no audio graph, -an, exact frame count', async () => {
  const src = await sources();
  const tmp = tempDir('streams-v');
  try {
    const plan = compile(input(src, { streams: 'video', range: { start_ms: 1000, duration_ms: 1500 } }));
    assert.ok(!plan.filtergraph.includes('[aout]'), 'no audio output in the graph');
    assert.ok(!/anullsrc|atrim|amix/.test(plan.filtergraph), 'no audio filters at all');
    assert.ok(plan.args.includes('-an'));
    assert.ok(!plan.args.includes('-c:a'));
    assert.equal(plan.meta.streams, 'video');
    assert.equal(plan.meta.output_extension, 'mp4');
    const file = join(tmp.dir, 'v.mp4');
    runPlan(plan, file);
    assert.deepEqual(streamTypes(file), ['video']);
    assert.equal(await frameCount(file), 45);
    assert.equal(plan.meta.frame_count, 45);
    assert.equal(await hasAudio(file), false);
  } finally {
    tmp.cleanup();
  }
});

test('audio-only plan of a range: no video graph, inputs not decoding video, exact sample count (.m4a)', async () => {
  const src = await sources();
  const tmp = tempDir('streams-a');
  try {
    const plan = compile(input(src, { streams: 'audio', range: { start_ms: 1000, duration_ms: 1500 } }));
    assert.ok(!plan.filtergraph.includes('[vout]'));
    assert.ok(!/:v\]|color=|xfade|overlay/.test(plan.filtergraph), 'no video filters or video pads');
    for (const inp of plan.inputs) assert.ok(inp.options.includes('-vn'), 'input does not decode video');
    assert.ok(plan.args.includes('-vn') && !plan.args.includes('-c:v'));
    assert.equal(plan.meta.output_extension, 'm4a');
    assert.equal(plan.args[plan.args.length - 1], 'mp4');
    const file = join(tmp.dir, 'a.m4a');
    runPlan(plan, file);
    assert.deepEqual(streamTypes(file), ['audio']);
    assert.equal(plan.meta.sample_count, 72000);
    // AAC codes 1024-sample frames: the MP4 edit list states the exact length (its duration_ts at 1/48000);
    // ffmpeg 5.1's decoder trims the encoder delay but not the end padding of the last frame.
    assert.equal(containerSamples(file), 72000);
    const decoded = decodedSamples(file);
    assert.ok(decoded >= 72000 && decoded < 72000 + 1024, `72000 + padding < 1024, got ${decoded}`);
  } finally {
    tmp.cleanup();
  }
});

test('audio-only plan with a PCM profile writes WAV', async () => {
  const src = await sources();
  const plan = compile(input(src, { streams: 'audio', profile: 'master_4k_prores' }));
  assert.equal(plan.meta.output_extension, 'wav');
  assert.equal(plan.args[plan.args.length - 1], 'wav');
  assert.ok(plan.args.includes('pcm_s16le'));
  assert.ok(!plan.args.includes('-movflags'));
});

test('gop_frames: a keyframe on exactly every N-th frame and none elsewhere (closed GOPs)', async () => {
  const src = await sources();
  const tmp = tempDir('streams-gop');
  try {
    const plan = compile(input(src, { streams: 'video', gop_frames: 15 }));
    const i = plan.args.indexOf('-g');
    assert.deepEqual(plan.args.slice(i, i + 8), [
      '-g',
      '15',
      '-force_key_frames',
      'expr:eq(mod(n,15),0)',
      '-sc_threshold',
      '0',
      '-forced-idr',
      '1',
    ]);
    assert.ok(plan.args.includes('+bitexact+cgop'));
    const file = join(tmp.dir, 'g.mp4');
    runPlan(plan, file);
    // The crossfade and the red->blue cut would be scene cuts; none may add a keyframe.
    assert.deepEqual(keyframeIndices(file), [0, 15, 30, 45, 60, 75, 90, 105]);
  } finally {
    tmp.cleanup();
  }
});

test('gop_frames must be a positive integer', () => {
  assert.throws(() => compile({ ...input({}, {}), sources: {}, gop_frames: 0 }), /gop_frames/);
});
