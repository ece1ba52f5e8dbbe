// Hardware encoder detection: real test encodes, cached per process, overridable, deterministic CPU fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCutroomError } from '../../src/errors.js';
import { detectEncoder, hasEncoder, resetEncoderCache } from '../../src/ffmpeg/index.js';

test('CUTROOM_ENCODER=cpu skips tests and picks libx264 / libx265', async () => {
  const h264 = await detectEncoder({ codec: 'h264', env: { CUTROOM_ENCODER: 'cpu' } });
  assert.deepEqual(h264, {
    video_encoder: 'libx264',
    kind: 'cpu',
    reason: 'CUTROOM_ENCODER=cpu; using libx264',
  });
  const hevc = await detectEncoder({ codec: 'hevc', env: { CUTROOM_ENCODER: 'CPU' } });
  assert.equal(hevc.video_encoder, 'libx265');
});

test('detection is cached: the same promise for the same codec and env', async () => {
  resetEncoderCache();
  const a = detectEncoder({ codec: 'h264', env: {} });
  const b = detectEncoder({ codec: 'h264', env: {} });
  assert.equal(a, b);
  const choice = await a;
  assert.equal(await detectEncoder({ codec: 'h264', env: {} }), choice);
  resetEncoderCache();
  assert.notEqual(detectEncoder({ codec: 'h264', env: {} }), a);
});

test('automatic choice: a working hardware encoder, or CPU with the reason every listed one failed', async () => {
  const choice = await detectEncoder({ codec: 'h264', env: {} });
  assert.ok(['cpu', 'nvenc', 'vaapi', 'qsv', 'videotoolbox'].includes(choice.kind));
  if (choice.kind === 'cpu') {
    assert.equal(choice.video_encoder, 'libx264');
    assert.match(choice.reason, /using libx264$/);
    for (const hw of ['h264_nvenc', 'h264_vaapi', 'h264_qsv', 'h264_videotoolbox']) {
      if (await hasEncoder(hw))
        assert.match(choice.reason, new RegExp(`${hw} listed but test encode failed: \\S`));
      else assert.doesNotMatch(choice.reason, new RegExp(hw));
    }
  } else {
    assert.match(choice.reason, /passed its test encode/);
  }
});

test('nvenc: listed-but-broken is recorded, and forcing it fails with ENCODER_UNAVAILABLE', async (t) => {
  if (!(await hasEncoder('h264_nvenc'))) {
    t.skip('this ffmpeg does not list h264_nvenc');
    return;
  }
  const auto = await detectEncoder({ codec: 'h264', env: {} });
  if (auto.kind === 'nvenc') {
    const forced = await detectEncoder({ codec: 'h264', env: { CUTROOM_ENCODER: 'nvenc' } });
    assert.equal(forced.video_encoder, 'h264_nvenc');
    assert.match(forced.reason, /CUTROOM_ENCODER=nvenc/);
    return;
  }
  assert.match(auto.reason, /h264_nvenc listed but test encode failed: /);
  await assert.rejects(
    detectEncoder({ codec: 'h264', env: { CUTROOM_ENCODER: 'nvenc' } }),
    (err: unknown) => {
      assert.ok(isCutroomError(err, 'ENCODER_UNAVAILABLE'), String(err));
      assert.equal(err.details.encoder, 'h264_nvenc');
      assert.match(err.message, /failed its test encode/);
      return true;
    },
  );
});

test('forcing an encoder this ffmpeg cannot use, or an unknown name, is ENCODER_UNAVAILABLE', async () => {
  // videotoolbox exists only on macOS builds; on Linux it is unlisted, elsewhere it may work.
  if (process.platform !== 'darwin') {
    await assert.rejects(
      detectEncoder({ codec: 'h264', env: { CUTROOM_ENCODER: 'videotoolbox' } }),
      (err: unknown) => isCutroomError(err, 'ENCODER_UNAVAILABLE'),
    );
  }
  await assert.rejects(
    detectEncoder({ codec: 'h264', env: { CUTROOM_ENCODER: 'quantum' } }),
    (err: unknown) => isCutroomError(err, 'ENCODER_UNAVAILABLE') && Array.isArray(err.details.valid),
  );
});
