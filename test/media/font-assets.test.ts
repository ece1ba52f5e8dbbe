// Font files as assets: recognised by their first bytes (not ffprobe), validated, named from the name table,
// stored as source.ttf|otf|ttc with kind font; broken fonts leave nothing behind; tenants stay walled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { RequestContext } from '../../src/context.js';
import { isCutroomError } from '../../src/errors.js';
import { detectFontSignature, parseFontInfo } from '../../src/media/font-info.js';
import { tenantPrefix } from '../../src/media/keys.js';
import { makeServices, type TestServices } from './setup.js';

const LIBERATION_SERIF = '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf';
const DEJAVU_SANS_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

let services: TestServices;
let ctx: RequestContext;
let other: RequestContext;
let tmp: string;

before(async () => {
  services = await makeServices();
  ctx = await services.tenant('dev', 'font_a');
  other = await services.tenant('dev', 'font_b');
  tmp = await mkdtemp(join(tmpdir(), 'cutroom-fonts-'));
});

after(async () => {
  await services.dispose();
  await rm(tmp, { recursive: true, force: true });
});

async function storedKeys(c: RequestContext): Promise<string[]> {
  return services.store.list(tenantPrefix({ tenantId: c.tenantId, env: c.env }));
}

/** A one-font TrueType Collection wrapping a real TTF: 'ttcf' header, every table offset shifted past it. */
function wrapAsCollection(ttf: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.write('ttcf', 0, 'latin1');
  header.writeUInt16BE(1, 4);
  header.writeUInt32BE(1, 8);
  header.writeUInt32BE(16, 12);
  const font = Buffer.from(ttf);
  const numTables = font.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    font.writeUInt32BE(font.readUInt32BE(rec + 8) + 16, rec + 8);
  }
  return Buffer.concat([header, font]);
}

test('the name table parser reads the family, style and full name of Debian fonts', async () => {
  const serif = parseFontInfo({ bytes: await readFile(LIBERATION_SERIF) });
  assert.deepEqual(serif, {
    format: 'ttf',
    family: 'Liberation Serif',
    subfamily: 'Regular',
    full_name: 'Liberation Serif',
    num_fonts: 1,
  });
  const bold = parseFontInfo({ bytes: await readFile(DEJAVU_SANS_BOLD) });
  assert.equal(bold.family, 'DejaVu Sans');
  assert.equal(bold.subfamily, 'Bold');
  assert.equal(bold.full_name, 'DejaVu Sans Bold');
  const ttc = parseFontInfo({ bytes: wrapAsCollection(await readFile(DEJAVU_SANS_BOLD)) });
  assert.equal(ttc.format, 'ttc');
  assert.equal(ttc.family, 'DejaVu Sans');
  assert.equal(ttc.num_fonts, 1);
});

test('signatures: TrueType, OpenType CFF, collections and web fonts; media is not a font', () => {
  const head = (s: string | number[]): Uint8Array =>
    typeof s === 'string' ? new Uint8Array(Buffer.from(s, 'latin1')) : new Uint8Array(s);
  assert.equal(detectFontSignature({ head: head([0, 1, 0, 0]) }), 'ttf');
  assert.equal(detectFontSignature({ head: head('true') }), 'ttf');
  assert.equal(detectFontSignature({ head: head('OTTO') }), 'otf');
  assert.equal(detectFontSignature({ head: head('ttcf') }), 'ttc');
  assert.equal(detectFontSignature({ head: head('wOFF') }), 'woff');
  assert.equal(detectFontSignature({ head: head('wOF2') }), 'woff2');
  assert.equal(detectFontSignature({ head: head([0, 0, 0, 0x20]) }), null); // an mp4 box size
  // 00 01 00 00 is also a 64 KiB box size: only a printable first table tag makes it TrueType.
  const sfnt = [0, 1, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0];
  assert.equal(detectFontSignature({ head: head([...sfnt, ...Buffer.from('GDEF')]) }), 'ttf');
  assert.equal(
    detectFontSignature({ head: head([...sfnt, ...Buffer.from('ftyp').map((b) => b ^ 0x80)]) }),
    null,
  );
  assert.equal(detectFontSignature({ head: head('\u0089PNG') }), null);
  assert.equal(detectFontSignature({ head: head('OT') }), null);
});

test('broken fonts are MEDIA_CORRUPT at every truncation point that cuts into the tables', async () => {
  const bytes = await readFile(LIBERATION_SERIF);
  for (const size of [4, 11, 40, 300, 5000, Math.floor(bytes.length / 2), bytes.length - 1]) {
    assert.throws(
      () => parseFontInfo({ bytes: bytes.subarray(0, size) }),
      (err: unknown) => isCutroomError(err, 'MEDIA_CORRUPT'),
      `truncated to ${size} bytes`,
    );
  }
  const noTables = Buffer.from(bytes.subarray(0, 12));
  noTables.writeUInt16BE(0, 4);
  assert.throws(
    () => parseFontInfo({ bytes: noTables }),
    (err: unknown) => isCutroomError(err, 'MEDIA_CORRUPT') && /0 tables/.test(err.message),
  );
});

test('a TrueType upload becomes a font asset named from its name table, stored as source.ttf', async () => {
  const { asset, meta } = await services.assets.registerAsset(ctx, { source: { path: LIBERATION_SERIF } });
  assert.equal(meta.deduplicated, false);
  assert.equal(asset.kind, 'font');
  assert.equal(asset.ext, 'ttf');
  assert.equal(asset.original_filename, 'LiberationSerif-Regular.ttf');
  assert.equal(asset.media_info.kind, 'font');
  assert.equal(asset.media_info.font?.family, 'Liberation Serif');
  assert.equal(asset.media_info.font?.format, 'ttf');
  assert.equal(asset.media_info.duration_ms, 0);
  const original = await readFile(LIBERATION_SERIF);
  assert.equal(asset.size_bytes, original.length);
  assert.match(asset.storage_key, /\/source\.ttf$/);
  // Only the final object is left under the asset prefix (the upload landed as source.bin first).
  const prefix = asset.storage_key.slice(0, asset.storage_key.lastIndexOf('/') + 1);
  assert.deepEqual(await services.store.list(prefix), [asset.storage_key]);
  assert.ok((await readFile(await services.assets.assetPath(ctx, asset.id))).equals(original));

  const again = await services.assets.registerAsset(ctx, { source: { path: LIBERATION_SERIF } });
  assert.equal(again.meta.deduplicated, true);
  assert.equal(again.asset.id, asset.id);

  // Another tenant neither sees it nor can guess it.
  await assert.rejects(services.assets.getAsset(other, asset.id), (err: unknown) =>
    isCutroomError(err, 'ASSET_NOT_FOUND'),
  );
  assert.equal((await services.assets.listAssets(other)).items.length, 0);
});

test('a font streamed under a misleading name is stored by what its bytes are (a .ttc as source.ttc)', async () => {
  const c = await services.tenant('dev', 'font_stream');
  const ttc = wrapAsCollection(await readFile(DEJAVU_SANS_BOLD));
  const { asset } = await services.assets.registerAsset(c, {
    source: { stream: Readable.from([ttc]), filename: 'upload.mp4' },
  });
  assert.equal(asset.kind, 'font');
  assert.equal(asset.ext, 'ttc');
  assert.equal(asset.media_info.font?.family, 'DejaVu Sans');
  assert.deepEqual(await storedKeys(c), [asset.storage_key]);
  assert.match(asset.storage_key, /\/source\.ttc$/);
});

test('a truncated font is MEDIA_CORRUPT and nothing is stored', async () => {
  const c = await services.tenant('dev', 'font_trunc');
  const bytes = await readFile(LIBERATION_SERIF);
  const cut = join(tmp, 'cut.ttf');
  await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  await assert.rejects(services.assets.registerAsset(c, { source: { path: cut } }), (err: unknown) => {
    assert.ok(isCutroomError(err, 'MEDIA_CORRUPT'));
    assert.match(err.message, /extends past the end of the file/);
    return true;
  });
  assert.deepEqual(await storedKeys(c), []);
  assert.equal((await services.assets.listAssets(c)).items.length, 0);
});

test('WOFF web fonts are refused with UNSUPPORTED_MEDIA naming the format; nothing is stored', async () => {
  const c = await services.tenant('dev', 'font_woff');
  const woff = Buffer.concat([Buffer.from('wOFF', 'latin1'), Buffer.alloc(60, 1)]);
  await assert.rejects(
    services.assets.registerAsset(c, { source: { stream: Readable.from([woff]), filename: 'x.woff' } }),
    (err: unknown) => isCutroomError(err, 'UNSUPPORTED_MEDIA') && /WOFF/.test(err.message),
  );
  assert.deepEqual(await storedKeys(c), []);
});
