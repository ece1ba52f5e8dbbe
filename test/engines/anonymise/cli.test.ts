// The `faces` and `anonymise` CLI command modules, wired into a commander program the way src/cli/program.ts
// does (they are registered in src/cli/commands/index.ts by the lead).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { anonymiseCommand } from '../../../src/cli/commands/anonymise.js';
import { facesCommand } from '../../../src/cli/commands/faces.js';
import { createCliContext } from '../../../src/cli/context.js';
import { selectFaceBackend } from '../../../src/engines/regions/select-backend.js';
import { isCutroomError } from '../../../src/errors.js';
import { frameCount, hasAudio, testsrcClip } from '../../helpers/media.js';
import { faceClipWithAudio } from './face-clip.js';
import { decodeAll, psnr } from '../regions/frames.js';
import { MEGAMIND } from '../regions/moving-face.js';

const MESSI = '/usr/share/doc/opencv-doc/examples/data/messi5.jpg';
const real = await selectFaceBackend();
const skip =
  !existsSync(MESSI) || !existsSync(MEGAMIND)
    ? 'opencv-doc examples missing'
    : real.backend.stub
      ? 'BlazeFace model missing'
      : false;

async function run(argv: string[]): Promise<{ out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  const program = new Command('cutroom').exitOverride();
  const cli = createCliContext({ io });
  facesCommand(program, cli);
  anonymiseCommand(program, cli);
  await program.parseAsync(argv, { from: 'user' });
  return { out, err };
}

test('cutroom faces FILE --json on an image and a video', { skip }, async () => {
  const image = await run(['faces', MESSI, '--json']);
  const report = JSON.parse(image.out.join('\n'));
  assert.equal(report.summary.samples.length, 1);
  assert.equal(report.summary.samples[0].faces.length, 1);
  assert.match(report.backend_version, /^blazeface/);
  assert.deepEqual(report.warnings, []);

  const video = await run(['faces', faceClipWithAudio(), '--interval-ms', '400', '--regions', 'eyes']);
  const text = video.out.join('\n');
  assert.match(text, /face track\(s\), \d+ face\(s\) in 5 sample\(s\) every 400 ms/);
  assert.match(text, /^ {2}t1: 0\.00–1\.60 s/m);

  await assert.rejects(run(['faces', MESSI, '--interval-ms', 'abc']), (e: unknown) =>
    isCutroomError(e, 'CLI_USAGE'),
  );
});

test('cutroom anonymise IN -o OUT: faces changed, audio kept; no face → byte copy', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutroom-anon-cli-'));
  try {
    const clip = faceClipWithAudio();
    const out = join(dir, 'out.mp4');
    const res = await run([
      'anonymise',
      clip,
      '-o',
      out,
      '--method',
      'pixelate',
      '--strength',
      'strong',
      '--json',
    ]);
    const result = JSON.parse(res.out.join('\n'));
    assert.equal(result.skipped, false);
    assert.ok(result.tracks >= 1);
    assert.equal(await frameCount(out), await frameCount(clip));
    assert.ok(await hasAudio(out));
    const [a] = await decodeAll({ path: clip, width: 400, height: 300, pixFmt: 'gray' });
    const [b] = await decodeAll({ path: out, width: 400, height: 300, pixFmt: 'gray' });
    // The woman's face at t=0 is around x 0.56..0.9, y 0.48..0.92 of the frame (see the regions tests).
    assert.ok(psnr(a!.data, b!.data, 400, { x0: 250, y0: 170, x1: 330, y1: 250 }) < 30, 'the face changed');
    assert.ok(psnr(a!.data, b!.data, 400, { x0: 0, y0: 0, x1: 60, y1: 60 }) > 38, 'a corner did not');

    const none = await testsrcClip({ durationMs: 1000 });
    const copy = join(dir, 'none.mp4');
    const skipped = await run(['anonymise', none, '-o', copy]);
    assert.match(skipped.out.join('\n'), /no face found/);
    assert.ok(readFileSync(copy).equals(readFileSync(none)), 'a byte copy, not a re-encode');

    await assert.rejects(run(['anonymise', clip, '-o', join(dir, 'x.mov')]), (e: unknown) =>
      isCutroomError(e, 'CLI_USAGE'),
    );
    await assert.rejects(
      run(['anonymise', clip, '-o', join(dir, 'y.mp4'), '--method', 'smudge']),
      (e: unknown) => isCutroomError(e, 'CLI_USAGE'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const { COMMANDS } = await import('../../../src/cli/commands/index.js');
const registered = COMMANDS.includes(facesCommand) && COMMANDS.includes(anonymiseCommand);

test(
  'node src/cli/main.ts faces FILE --json (the real binary)',
  { skip: skip || (!registered && 'faces/anonymise not registered in src/cli/commands/index.ts yet') },
  async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'faces', MESSI, '--json'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.summary.samples[0].faces.length, 1);
    const bad = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'anonymise', MESSI, '-o', 'x.mov'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /CLI_USAGE/);
  },
);
