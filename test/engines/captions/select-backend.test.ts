import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CAPTIONS_STUB_BACKEND,
  CAPTIONS_WHISPER_UNAVAILABLE,
  selectAsrBackend,
  WHISPER_BINDING_PACKAGE,
} from '../../../src/engines/captions/index.js';
import { isCutroomError } from '../../../src/errors.js';

let dir: string;
let goodModel: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutroom-asr-select-'));
  goodModel = join(dir, 'ggml-tiny.bin');
  const buf = Buffer.alloc(2 << 20);
  buf.writeUInt32LE(0x67676d6c, 0); // "lmgg": whisper.cpp's ggml magic, little-endian
  await writeFile(goodModel, buf);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const failingImporter = async () => {
  throw new Error(`Cannot find package '${WHISPER_BINDING_PACKAGE}'`);
};

function modelError(variablePathReason: RegExp) {
  return (e: unknown) =>
    isCutroomError(e, 'CAPTIONS_MODEL_INVALID') &&
    e.details.variable === 'VIDEO_CAPTIONS_MODEL' &&
    e.message.includes('VIDEO_CAPTIONS_MODEL') &&
    variablePathReason.test(e.message);
}

describe('selectAsrBackend', () => {
  it('uses pocketsphinx by default when it is installed', async () => {
    const { backend, warnings } = await selectAsrBackend({ env: { PATH: process.env.PATH } });
    assert.equal(backend.name, 'pocketsphinx');
    assert.equal(backend.stub, false);
    assert.deepEqual(warnings, []);
  });

  it('VIDEO_CAPTIONS_BACKEND=stub gives the stub with a warning', async () => {
    const { backend, warnings } = await selectAsrBackend({
      env: { PATH: process.env.PATH, VIDEO_CAPTIONS_BACKEND: 'stub' },
    });
    assert.equal(backend.stub, true);
    assert.deepEqual(
      warnings.map((w) => w.code),
      [CAPTIONS_STUB_BACKEND],
    );
  });

  it('falls back to the stub when pocketsphinx is not on PATH', async () => {
    const { backend, warnings } = await selectAsrBackend({ env: { PATH: dir } });
    assert.equal(backend.name, 'stub');
    assert.equal(warnings[0]?.code, CAPTIONS_STUB_BACKEND);
    assert.match(warnings[0]!.message, /pocketsphinx/);
  });

  it('a forced pocketsphinx that is missing is an error, not a stub', async () => {
    await assert.rejects(
      selectAsrBackend({ env: { PATH: dir, VIDEO_CAPTIONS_BACKEND: 'pocketsphinx' } }),
      (e: unknown) => isCutroomError(e, 'DEPENDENCY_MISSING'),
    );
  });

  it('an unknown VIDEO_CAPTIONS_BACKEND is refused with the valid names', async () => {
    await assert.rejects(
      selectAsrBackend({ env: { VIDEO_CAPTIONS_BACKEND: 'kaldi' } }),
      (e: unknown) =>
        isCutroomError(e, 'CAPTIONS_BACKEND_UNKNOWN') && (e.details.valid as string[]).includes('whisper'),
    );
  });
});

describe('whisper model checks', () => {
  const env = (model: string) => ({
    PATH: process.env.PATH,
    VIDEO_CAPTIONS_BACKEND: 'whisper',
    VIDEO_CAPTIONS_MODEL: model,
  });

  it('names the variable when it is unset', async () => {
    await assert.rejects(
      selectAsrBackend({ env: { VIDEO_CAPTIONS_BACKEND: 'whisper' } }),
      modelError(/not set|needs/),
    );
  });

  it('names the variable for a missing file', async () => {
    await assert.rejects(selectAsrBackend({ env: env(join(dir, 'nope.bin')) }), modelError(/does not exist/));
  });

  it('names the variable for a file without ggml/GGUF magic', async () => {
    const p = join(dir, 'fake.bin');
    await writeFile(p, Buffer.alloc(2 << 20, 0x41));
    await assert.rejects(selectAsrBackend({ env: env(p) }), modelError(/magic/));
  });

  it('names the variable for an implausibly small model', async () => {
    const p = join(dir, 'small.gguf');
    await writeFile(p, Buffer.from('GGUF\x03\x00\x00\x00'));
    await assert.rejects(selectAsrBackend({ env: env(p) }), modelError(/size/));
  });

  it(
    'names the variable for an unreadable file',
    { skip: process.getuid?.() === 0 ? 'root reads everything' : false },
    async () => {
      const p = join(dir, 'locked.bin');
      await writeFile(p, Buffer.alloc(2 << 20));
      await chmod(p, 0o000);
      await assert.rejects(selectAsrBackend({ env: env(p) }), modelError(/not readable/));
    },
  );

  it('a valid model without the binding names the npm package', async () => {
    await assert.rejects(
      selectAsrBackend({ env: env(goodModel), importer: failingImporter }),
      (e: unknown) =>
        isCutroomError(e, 'DEPENDENCY_MISSING') &&
        e.details.package === WHISPER_BINDING_PACKAGE &&
        e.message.includes(`npm install ${WHISPER_BINDING_PACKAGE}`),
    );
  });

  it('automatic choice: a valid model without binding falls back to pocketsphinx with a warning', async () => {
    const { backend, warnings } = await selectAsrBackend({
      env: { PATH: process.env.PATH, VIDEO_CAPTIONS_MODEL: goodModel },
      importer: failingImporter,
    });
    assert.equal(backend.name, 'pocketsphinx');
    assert.equal(warnings[0]?.code, CAPTIONS_WHISPER_UNAVAILABLE);
    assert.ok(warnings[0]!.message.includes(WHISPER_BINDING_PACKAGE));
  });

  it('automatic choice: a broken model path is an error naming the variable', async () => {
    await assert.rejects(
      selectAsrBackend({ env: { PATH: process.env.PATH, VIDEO_CAPTIONS_MODEL: join(dir, 'missing.bin') } }),
      modelError(/does not exist/),
    );
  });
});
