// stabiliseFile (the `cutroom stabilise` command's work): a stabilised copy with the source's timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stabiliseFile } from '../../../src/engines/stabilise/stabilise-file.js';
import { isCutroomError } from '../../../src/errors.js';
import { durationMs, frameCount, hasAudio } from '../../helpers/media.js';
import { diverExcerpt, skipNoDiver } from '../../plan/stabilise/fixtures.js';

test(
  'stabiliseFile writes a stabilised .mp4 with every frame and the audio',
  { skip: skipNoDiver },
  async () => {
    const input = await diverExcerpt();
    const dir = await mkdtemp(join(tmpdir(), 'cutroom-stabfile-'));
    try {
      const output = join(dir, 'out.mp4');
      const r = await stabiliseFile({ input, output, render: { smoothing: 10, crop: 'black' } });
      assert.equal(r.output, output);
      assert.equal(r.render.smoothing, 10);
      assert.equal(await frameCount(output, { decode: true }), await frameCount(input, { decode: true }));
      assert.ok(Math.abs((await durationMs(output, 'video')) - (await durationMs(input, 'video'))) <= 40);
      assert.equal(await hasAudio(output), true);
      await assert.rejects(
        stabiliseFile({ input, output: join(dir, 'x.mp4'), render: { smoothing: 500 } }),
        (e: unknown) => isCutroomError(e, 'CLI_USAGE'),
      );
      assert.equal(existsSync(join(dir, 'x.mp4')), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
