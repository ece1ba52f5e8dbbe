import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCutroomError } from '../../src/errors.js';
import { binaryPath, ffmpegVersion, hasEncoder, hasFilter, probeMedia } from '../../src/ffmpeg/index.js';
import { noAudioClip } from '../helpers/media.js';

async function withEnv<T>(name: string, value: string, fn: () => Promise<T> | T): Promise<T> {
  const saved = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

test('ffmpeg and ffprobe resolve from PATH to absolute executables', () => {
  assert.match(binaryPath('ffmpeg'), /^\/.*ffmpeg$/);
  assert.match(binaryPath('ffprobe'), /^\/.*ffprobe$/);
});

test('CUTROOM_FFMPEG / CUTROOM_FFPROBE pointing nowhere -> FFMPEG_NOT_FOUND with the install remedy', async () => {
  await withEnv('CUTROOM_FFMPEG', '/nonexistent/ffmpeg', () => {
    assert.throws(
      () => binaryPath('ffmpeg'),
      (err: unknown) =>
        isCutroomError(err, 'FFMPEG_NOT_FOUND') &&
        /apt-get install -y ffmpeg/.test(err.message) &&
        err.details.env === 'CUTROOM_FFMPEG',
    );
  });
  const clip = await noAudioClip();
  await withEnv('CUTROOM_FFPROBE', 'no-such-ffprobe-binary', () =>
    assert.rejects(probeMedia({ path: clip, skipTailCheck: true }), (err: unknown) =>
      isCutroomError(err, 'FFMPEG_NOT_FOUND'),
    ),
  );
});

test('version and capability listings', async () => {
  assert.match(await ffmpegVersion(), /^\d+\.\d+/);
  assert.equal(await hasFilter('xfade'), true);
  assert.equal(await hasFilter('acrossfade'), true);
  assert.equal(await hasFilter('no_such_filter_x'), false);
  assert.equal(await hasEncoder('libx264'), true);
  assert.equal(await hasEncoder('aac'), true);
  assert.equal(await hasEncoder('no_such_encoder_x'), false);
});
