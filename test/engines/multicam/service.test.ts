// alignMulticam as a service: artifact shape and meta, determinism, cache, container timecode first, tenant
// walls; and the HTTP route and CLI command on top of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { alignMulticam, MULTICAM_BACKEND_VERSION } from '../../../src/engines/multicam/service.js';
import { multicamRoutes } from '../../../src/engines/multicam/routes.js';
import { syncCommand } from '../../../src/cli/commands/sync.js';
import { createCliContext } from '../../../src/cli/context.js';
import { buildApp } from '../../../src/http/app.js';
import { isCutroomError } from '../../../src/errors.js';
import type { MulticamAlignment } from '../../../src/engines/multicam/types.js';
import { makeServices } from '../../media/setup.js';
import {
  LIBRIVOX,
  cameraClip,
  cameraRecording,
  concatSpeech,
  reversedSpeech,
  speechAvailable,
} from './speech-media.js';

const skip = speechAvailable() ? false : 'pocketsphinx-testdata is not installed';

/** Reference + two cameras of one event (+3680 ms, −1234.25 ms) and one unrelated recording, all MP4. */
async function media() {
  // 24.7 s of speech keeps these service-level tests quick; accuracy is covered in real-speech.test.ts.
  const master = await concatSpeech('librivox', LIBRIVOX);
  const refWav = await cameraRecording('svc-ref', {
    source: master,
    startMs: 1234.25,
    rate: 48000,
    codec: 'pcm',
  });
  const camWav = await cameraRecording('svc-cam', {
    source: master,
    startMs: 4914.25,
    rate: 44100,
    codec: 'pcm',
    snrDb: 20,
    noiseSeed: 9,
  });
  const cam2Wav = await cameraRecording('svc-cam2', {
    source: master,
    startMs: 0,
    durationMs: 15000,
    rate: 48000,
    codec: 'pcm',
  });
  const otherWav = await reversedSpeech('master-reversed', master);
  return {
    ref: await cameraClip('svc-ref', refWav),
    cam: await cameraClip('svc-cam', camWav),
    cam2: await cameraClip('svc-cam2', cam2Wav),
    other: await cameraClip('svc-other', otherWav),
    // Timecodes: ref 01:00:00:00; a camera 3.68 s later (01:00:03:17 at 25 fps) agrees with its audio; one that
    // claims 10 s disagrees; an unrelated recording with timecode can only be placed by timecode.
    refTc: await cameraClip('svc-ref-tc', refWav, { timecode: '01:00:00:00' }),
    camTcGood: await cameraClip('svc-cam-tc', camWav, { timecode: '01:00:03:17' }),
    camTcBad: await cameraClip('svc-cam-tcbad', camWav, { timecode: '01:00:10:00' }),
    otherTc: await cameraClip('svc-other-tc', otherWav, { timecode: '01:00:02:00' }),
    otherTcFar: await cameraClip('svc-other-tcfar', otherWav, { timecode: '02:00:00:00' }),
  };
}

async function readContent(
  services: Awaited<ReturnType<typeof makeServices>>,
  ctx: Parameters<typeof alignMulticam>[1],
  id: string,
) {
  const c = await services.artifacts.artifactContent(ctx, id);
  const chunks: Buffer[] = [];
  for await (const chunk of c.stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

test(
  'alignMulticam: three cameras → multicam_alignment artifact with offsets, meta and cache',
  { skip },
  async (t) => {
    const m = await media();
    const services = await makeServices();
    try {
      const ctx = await services.tenant();
      const reg = async (path: string) =>
        (await services.assets.registerAsset(ctx, { source: { path } })).asset;
      const [ref, cam, cam2, other] = [
        await reg(m.ref),
        await reg(m.cam),
        await reg(m.cam2),
        await reg(m.other),
      ];
      const ids = [ref.id, cam.id, cam2.id, other.id];
      const first = await alignMulticam(services, ctx, { asset_ids: ids, correct_drift: true });
      assert.equal(first.cached, false);
      const { artifact, alignment } = first;
      assert.equal(artifact.kind, 'multicam_alignment');
      assert.equal(artifact.asset_id, ref.id);
      assert.equal(alignment.reference_asset_id, ref.id);
      assert.deepEqual(
        alignment.pairs.map((p) => p.asset_id),
        [cam.id, cam2.id, other.id],
      );
      const [pCam, pCam2, pOther] = alignment.pairs;
      t.diagnostic(
        JSON.stringify(alignment.pairs.map((p) => ({ off: p.offset_us, psr: p.psr, s: p.status }))),
      );
      assert.equal(pCam!.status, 'ok');
      assert.equal(pCam!.method, 'audio');
      // MP4/AAC round trip: within a couple of ms (the AAC encoder delay is handled by the container).
      assert.ok(Math.abs(pCam!.offset_us / 1000 - 3680) < 2, `cam offset ${pCam!.offset_us}`);
      assert.ok(Math.abs(pCam2!.offset_us / 1000 + 1234.25) < 2, `cam2 offset ${pCam2!.offset_us}`);
      assert.equal(pOther!.status, 'SYNC_UNRELIABLE');
      assert.equal(pOther!.offset_ms, 0);
      assert.deepEqual(
        first.warnings.map((w) => [w.code, w.path]),
        [['MULTICAM_SYNC_UNRELIABLE', 'asset_ids[3]']],
      );

      const meta = artifact.meta;
      assert.equal(meta.model_used, 'gcc-phat');
      assert.equal(meta.backend_version, MULTICAM_BACKEND_VERSION);
      assert.equal(meta.alignment_version, 1);
      assert.deepEqual(meta.source_channels, [1, 1, 1, 1]);
      assert.equal(meta.method, 'audio');
      assert.equal(meta.confidence, pOther!.confidence);
      assert.equal(meta.cache_key, artifact.cache_key);
      assert.equal(typeof meta.duration_ms, 'number');

      // Stored content is exactly the returned alignment.
      const stored = JSON.parse(
        (await readContent(services, ctx, artifact.id)).toString('utf8'),
      ) as MulticamAlignment;
      assert.deepEqual(stored, alignment);

      const second = await alignMulticam(services, ctx, { asset_ids: ids, correct_drift: true });
      assert.equal(second.cached, true);
      assert.equal(second.artifact.id, artifact.id);
      assert.deepEqual(second.alignment, alignment);
      assert.deepEqual(second.warnings, first.warnings);

      // Another order of the same assets is another question (another reference): another artifact.
      const swapped = await alignMulticam(services, ctx, { asset_ids: [cam.id, ref.id] });
      assert.notEqual(swapped.artifact.cache_key, artifact.cache_key);
      assert.equal(swapped.artifact.asset_id, cam.id);
      assert.ok(Math.abs(swapped.alignment.pairs[0]!.offset_us / 1000 + 3680) < 2);
    } finally {
      await services.dispose();
    }
  },
);

test(
  'determinism: same inputs in a fresh registry give byte-identical artifact content',
  { skip },
  async () => {
    const m = await media();
    const contents: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const services = await makeServices();
      try {
        const ctx = await services.tenant('dev', 'tdeterm');
        const a = (await services.assets.registerAsset(ctx, { source: { path: m.ref } })).asset;
        const b = (await services.assets.registerAsset(ctx, { source: { path: m.cam } })).asset;
        const { artifact } = await alignMulticam(services, ctx, { asset_ids: [a.id, b.id] });
        const text = (await readContent(services, ctx, artifact.id)).toString('utf8');
        // Asset ids are random per registry: compare with them replaced.
        contents.push(Buffer.from(text.replaceAll(a.id, 'A').replaceAll(b.id, 'B')));
      } finally {
        await services.dispose();
      }
    }
    assert.ok(contents[0]!.equals(contents[1]!), `${contents[0]} vs ${contents[1]}`);
  },
);

test(
  'container timecode first: used when it agrees with audio or audio is unreliable, ignored when it disagrees',
  { skip },
  async () => {
    const m = await media();
    const services = await makeServices();
    try {
      const ctx = await services.tenant();
      const reg = async (path: string) =>
        (await services.assets.registerAsset(ctx, { source: { path } })).asset;
      const ref = await reg(m.refTc);
      const good = await reg(m.camTcGood);
      const bad = await reg(m.camTcBad);
      const other = await reg(m.otherTc);
      const { alignment, warnings } = await alignMulticam(services, ctx, {
        asset_ids: [ref.id, good.id, bad.id, other.id],
      });
      const [pGood, pBad, pOther] = alignment.pairs;
      assert.equal(pGood!.method, 'timecode');
      assert.equal(pGood!.status, 'ok');
      assert.equal(pGood!.offset_ms, 3680);
      assert.equal(pGood!.timecode_offset_ms, 3680);
      assert.match(pGood!.reason ?? '', /agrees/);
      assert.equal(pBad!.method, 'audio');
      assert.equal(pBad!.timecode_offset_ms, 10000);
      assert.ok(Math.abs(pBad!.offset_us / 1000 - 3680) < 2);
      assert.match(pBad!.reason ?? '', /disagrees/);
      assert.equal(pOther!.method, 'timecode');
      assert.equal(pOther!.status, 'ok');
      assert.equal(pOther!.offset_ms, 2000);
      assert.match(pOther!.reason ?? '', /audio gave no reliable offset/);
      assert.deepEqual(
        warnings.map((w) => w.code),
        ['MULTICAM_TIMECODE_IGNORED'],
      );

      // A timecode an hour away from a 25 s reference is clamped to the reference's length, with a warning.
      const far = await reg(m.otherTcFar);
      const clamped = await alignMulticam(services, ctx, { asset_ids: [ref.id, far.id] });
      const p = clamped.alignment.pairs[0]!;
      assert.equal(p.method, 'timecode');
      assert.equal(p.offset_ms, ref.media_info.duration_ms);
      assert.deepEqual(
        clamped.warnings.map((w) => w.code),
        ['MULTICAM_OFFSET_CLAMPED'],
      );
    } finally {
      await services.dispose();
    }
  },
);

test(
  'tenant walls and bad input: other tenant → ASSET_NOT_FOUND, bad params → INVALID_PARAM',
  { skip },
  async () => {
    const m = await media();
    const services = await makeServices();
    try {
      const ctxA = await services.tenant();
      const ctxB = await services.tenant();
      const a1 = (await services.assets.registerAsset(ctxA, { source: { path: m.ref } })).asset;
      const b1 = (await services.assets.registerAsset(ctxB, { source: { path: m.cam } })).asset;
      const b2 = (await services.assets.registerAsset(ctxB, { source: { path: m.cam2 } })).asset;
      await assert.rejects(alignMulticam(services, ctxA, { asset_ids: [a1.id, b1.id] }), (e) =>
        isCutroomError(e, 'ASSET_NOT_FOUND'),
      );
      // The same ids work for their owner; nothing of tenant B was produced for A.
      await assert.rejects(alignMulticam(services, ctxB, { asset_ids: [b1.id, a1.id] }), (e) =>
        isCutroomError(e, 'ASSET_NOT_FOUND'),
      );
      assert.equal((await services.artifacts.listArtifacts(ctxA)).length, 0);
      assert.equal((await services.artifacts.listArtifacts(ctxB)).length, 0);
      await assert.rejects(alignMulticam(services, ctxA, { asset_ids: [a1.id] }), (e) =>
        isCutroomError(e, 'INVALID_PARAM'),
      );
      await assert.rejects(alignMulticam(services, ctxA, { asset_ids: [a1.id, a1.id] }), (e) =>
        isCutroomError(e, 'INVALID_PARAM'),
      );
      await assert.rejects(
        alignMulticam(services, ctxB, { asset_ids: [b1.id, b2.id], reference_asset_id: 'ast_nope' }),
        (e) => isCutroomError(e, 'INVALID_PARAM'),
      );
      await assert.rejects(
        alignMulticam(services, ctxB, { asset_ids: [b1.id, b2.id], search_window_ms: 10 }),
        (e) => isCutroomError(e, 'INVALID_PARAM'),
      );
    } finally {
      await services.dispose();
    }
  },
);

test(
  'POST /video/multicam/align: result, other tenant 404, tenant in body 403, bad body 400',
  { skip },
  async () => {
    const m = await media();
    const services = await makeServices();
    const app = await buildApp({ services, extraRoutes: [multicamRoutes] });
    try {
      await services.tenants.createTenant({ id: 'ta', envs: ['dev'] });
      await services.tenants.createTenant({ id: 'tb', envs: ['dev'] });
      const keyA = (await services.tenants.createApiKey({ tenantId: 'ta' })).key;
      const keyB = (await services.tenants.createApiKey({ tenantId: 'tb' })).key;
      const ctxA = { tenantId: 'ta', env: 'dev', requestId: 'r1' };
      const a = (await services.assets.registerAsset(ctxA, { source: { path: m.ref } })).asset;
      const b = (await services.assets.registerAsset(ctxA, { source: { path: m.cam } })).asset;
      const post = (key: string, payload: unknown) =>
        app.inject({
          method: 'POST',
          url: '/video/multicam/align',
          headers: { authorization: `Bearer ${key}`, 'x-env': 'dev' },
          payload: payload as object,
        });
      const ok = await post(keyA, { asset_ids: [a.id, b.id] });
      assert.equal(ok.statusCode, 200, ok.body);
      const body = ok.json() as { alignment: MulticamAlignment; artifact: { kind: string } };
      assert.equal(body.artifact.kind, 'multicam_alignment');
      assert.ok(Math.abs(body.alignment.pairs[0]!.offset_us / 1000 - 3680) < 2);
      const other = await post(keyB, { asset_ids: [a.id, b.id] });
      assert.equal(other.statusCode, 404);
      assert.equal((other.json() as { error: { code: string } }).error.code, 'ASSET_NOT_FOUND');
      const mismatch = await post(keyA, { asset_ids: [a.id, b.id], tenant_id: 'tb' });
      assert.equal(mismatch.statusCode, 403);
      assert.equal((mismatch.json() as { error: { code: string } }).error.code, 'TENANT_MISMATCH');
      const bad = await post(keyA, { asset_ids: [a.id, b.id, 'x', 'y', 'z'] });
      assert.equal(bad.statusCode, 400);
    } finally {
      await app.close();
      await services.dispose();
    }
  },
);

test('cutroom sync A B --json analyses files directly', { skip }, async () => {
  const m = await media();
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
  const program = new Command('cutroom').exitOverride();
  syncCommand(program, createCliContext({ io }));
  await program.parseAsync(['sync', m.ref, m.cam, '--json'], { from: 'user' });
  const result = JSON.parse(out.join('\n')) as MulticamAlignment;
  assert.match(result.reference_asset_id, /^1:svc-ref-/);
  assert.equal(result.pairs.length, 1);
  assert.ok(Math.abs(result.pairs[0]!.offset_us / 1000 - 3680) < 2);
  await assert.rejects(program.parseAsync(['sync', m.ref], { from: 'user' }), (e) =>
    isCutroomError(e, 'CLI_USAGE'),
  );
});
