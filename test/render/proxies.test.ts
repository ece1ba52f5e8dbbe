// The proxy ladder: timing kept exactly (same frames, same pts — also for a variable-frame-rate phone clip),
// scaled down, audio kept; cached on the second call; a changed profile parameter regenerates.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '../../src/context.js';
import { capture } from '../../src/ffmpeg/capture.js';
import { ensureProxies, findProxy } from '../../src/render/proxies.js';
import { hasAudio, solidClip, vfrClip, pngImage } from '../helpers/media.js';
import { makeServices, type TestServices } from '../media/setup.js';

let services: TestServices;
let ctx: RequestContext;
let vfr: string;
let solid: string;
let image: string;

before(async () => {
  services = await makeServices();
  ctx = await services.tenant('dev', 'proxy_a');
  const reg = async (path: string) =>
    (await services.assets.registerAsset(ctx, { source: { path } })).asset.id;
  vfr = await reg(await vfrClip());
  solid = await reg(await solidClip({ color: '#336699', durationMs: 1000, width: 640, height: 480 }));
  image = await reg(await pngImage({ color: '#FF0000' }));
});

after(async () => {
  await services.dispose();
});

async function probe(file: string, entries: string): Promise<string[]> {
  const r = await capture({
    binary: 'ffprobe',
    args: ['-v', 'error', '-select_streams', 'v:0', '-show_entries', entries, '-of', 'csv=p=0', file],
  });
  return r.stdout.toString('utf8').trim().split('\n');
}

test('proxies keep every frame timestamp of the source (VFR too), are smaller, keep audio', async () => {
  const { proxies, warnings } = await ensureProxies({
    services,
    ctx,
    assetIds: [vfr, solid, image],
    profiles: ['draft_360p'],
  });
  assert.deepEqual(
    warnings.map((w) => w.code),
    ['PROXY_SKIPPED'],
  );
  assert.equal(proxies.length, 2);
  for (const p of proxies) {
    assert.equal(p.cached, false);
    const artifact = await services.artifacts.getArtifact(ctx, p.artifact_id);
    assert.equal(artifact.kind, 'proxy');
    assert.equal(
      artifact.storage_key,
      `tenants/${ctx.tenantId}/dev/media_v2/${p.asset_id}/proxy_draft_360p.mp4`,
    );
    assert.equal(artifact.meta.profile, 'draft_360p');
    assert.equal(artifact.meta.source_asset_id, p.asset_id);
    assert.equal(artifact.meta.hw_encoder_used, false);
    const proxyFile = await services.artifacts.artifactPath(ctx, p.artifact_id);
    const sourceFile = await services.assets.assetPath(ctx, p.asset_id);
    const [src, prx] = [await probe(sourceFile, 'frame=pts_time'), await probe(proxyFile, 'frame=pts_time')];
    assert.ok(src.length >= 30);
    assert.deepEqual(prx, src, `frame timestamps differ for ${p.asset_id}`);
    assert.deepEqual(await probe(proxyFile, 'stream=time_base'), await probe(sourceFile, 'stream=time_base'));
  }
  const solidProxy = proxies.find((p) => p.asset_id === solid)!;
  // 640x480 → 480x360; the 320x240 VFR clip is not upscaled.
  assert.deepEqual([solidProxy.width, solidProxy.height], [480, 360]);
  const solidFile = await services.artifacts.artifactPath(ctx, solidProxy.artifact_id);
  assert.deepEqual(await probe(solidFile, 'stream=width,height'), ['480,360']);
  assert.ok(await hasAudio(solidFile));
  const vfrProxy = proxies.find((p) => p.asset_id === vfr)!;
  assert.deepEqual([vfrProxy.width, vfrProxy.height], [320, 240]);
});

test('a second call is a cache hit; a changed profile parameter regenerates', async () => {
  const first = await ensureProxies({ services, ctx, assetIds: [solid], profiles: ['draft_360p'] });
  assert.equal(first.proxies[0]!.cached, true);
  const found = await findProxy({ services, ctx, assetId: solid, profile: 'draft_360p' });
  assert.equal(found?.id, first.proxies[0]!.artifact_id);

  const changed = await ensureProxies({
    services,
    ctx,
    assetIds: [solid],
    profiles: ['draft_360p'],
    profileOverrides: { draft_360p: { height: 240 } },
  });
  assert.equal(changed.proxies[0]!.cached, false);
  assert.notEqual(changed.proxies[0]!.artifact_id, first.proxies[0]!.artifact_id);
  const file = await services.artifacts.artifactPath(ctx, changed.proxies[0]!.artifact_id);
  assert.deepEqual(await probe(file, 'stream=width,height'), ['320,240']);
});

test("another tenant's asset gets no proxy (reported missing)", async () => {
  const other = await services.tenant('dev', 'proxy_b');
  const r = await ensureProxies({ services, ctx: other, assetIds: [solid], profiles: ['draft_360p'] });
  assert.deepEqual(r.proxies, []);
  assert.equal(r.warnings[0]!.code, 'MISSING_ASSET');
});
