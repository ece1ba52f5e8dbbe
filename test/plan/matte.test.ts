// Luma mattes (issue 15, point 3): a clip on an overlay track masked by an image's luma shows where the matte
// is white and reveals the track below where it is black; inverted, the other way round.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { compile } from '../../src/plan/compile.js';
import type { PlanSource } from '../../src/plan/types.js';
import { parseTimeline } from '../../src/timeline/index.js';
import { sampleColor } from '../helpers/media.js';
import { realSource, runPlan, tempDir } from './helpers/plan-fixtures.js';

const tmp = tempDir('matte');
after(() => tmp.cleanup());
let sources: Record<string, PlanSource> = {};
before(() => {
  const png = join(tmp.dir, 'half.png');
  const r = spawnSync(ffmpegPath(), [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=white:s=160x180[a];color=black:s=160x180[b];[a][b]hstack',
    '-frames:v',
    '1',
    png,
  ]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
  sources = { m: realSource('m', png) };
});

test('luma matte and its inverse reveal the track below where the matte is dark', async () => {
  const clip = (invert: boolean) => ({
    id: invert ? 'i' : 'n',
    asset_id: 'generator:red',
    start_ms: invert ? 300 : 0,
    duration_ms: 300,
    generator: { type: 'color', color: '#FF0000' },
    matte: { asset_id: 'm', invert },
  });
  const plan = compile({
    timeline: parseTimeline({
      tracks: [
        {
          id: 'b',
          kind: 'video',
          clips: [
            {
              id: 'blue',
              asset_id: 'generator:blue',
              start_ms: 0,
              duration_ms: 600,
              generator: { type: 'color', color: '#0000FF' },
            },
          ],
        },
        { id: 'o', kind: 'overlay', clips: [clip(false), clip(true)] as never },
      ],
    }),
    sources,
    profile: 'draft_360p',
    work_dir: tmp.dir,
  });
  assert.deepEqual(plan.warnings, []);
  const out = join(tmp.dir, 'matte.mp4');
  runPlan(plan, out);
  const at = (t: number, x: number) => sampleColor({ file: out, tMs: t, x, y: 180 });
  const red = (c: { r: number; b: number }) => c.r > 200 && c.b < 60;
  const blue = (c: { r: number; b: number }) => c.b > 200 && c.r < 60;
  assert.ok(
    red(await at(100, 100)) && blue(await at(100, 540)),
    'white half shows the clip, black half the base',
  );
  assert.ok(blue(await at(400, 100)) && red(await at(400, 540)), 'inverted');
});
