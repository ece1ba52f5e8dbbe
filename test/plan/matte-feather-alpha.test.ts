// Matte edges and alpha mattes on rendered pixels: `feather_px` turns the hard edge of a half-white matte into a
// ramp (intermediate values across the edge, monotonic), and `mode: "alpha"` reads a PNG's alpha channel (opaque,
// half and fully transparent thirds of a black picture: luma alone would hide the clip everywhere).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { compile } from '../../src/plan/compile.js';
import type { PlanSource } from '../../src/plan/types.js';
import { parseTimeline, type Matte } from '../../src/timeline/index.js';
import { sampleColor } from '../helpers/media.js';
import { realSource, runPlan, tempDir } from './helpers/plan-fixtures.js';

const tmp = tempDir('matte-edges');
after(() => tmp.cleanup());

function png(name: string, graph: string): PlanSource {
  const file = join(tmp.dir, `${name}.png`);
  const r = spawnSync(ffmpegPath(), [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    graph,
    '-frames:v',
    '1',
    file,
  ]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return realSource(name, file);
}

/** Red clip on an overlay track over a blue base, matted by `matte`; rendered at 640x360. */
function render(name: string, source: PlanSource, matte: Partial<Matte>): string {
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
              duration_ms: 300,
              generator: { type: 'color', color: '#0000FF' },
            },
          ],
        },
        {
          id: 'o',
          kind: 'overlay',
          clips: [
            {
              id: 'red',
              asset_id: 'generator:red',
              start_ms: 0,
              duration_ms: 300,
              generator: { type: 'color', color: '#FF0000' },
              matte: { asset_id: source.asset_id, ...matte },
            },
          ],
        },
      ],
    }),
    sources: { [source.asset_id]: source },
    profile: 'draft_360p',
    work_dir: tmp.dir,
  });
  assert.deepEqual(plan.warnings, []);
  const out = join(tmp.dir, `${name}.mp4`);
  runPlan(plan, out);
  return out;
}

test('feather_px softens the matte edge: a monotonic ramp of intermediate values where the hard matte jumps', async (t) => {
  // White left half, black right half: the edge is at x = 320 of the 640-wide render.
  const half = png('half', 'color=white:s=160x180[a];color=black:s=160x180[b];[a][b]hstack');
  const hard = render('hard', half, { feather_px: 0 });
  const soft = render('soft', half, { feather_px: 40 });
  const xs = [256, 280, 296, 308, 316, 324, 332, 344, 360, 384];
  const red = async (file: string) =>
    Promise.all(xs.map(async (x) => (await sampleColor({ file, tMs: 100, x: x - 2, y: 178 })).r));
  const hardR = await red(hard);
  const softR = await red(soft);
  t.diagnostic(
    `red across the edge at x=${xs.join(',')}: hard ${hardR.join(' ')}; feathered ${softR.join(' ')}`,
  );
  // Hard: full red left of the edge, none right of it (a pixel or two of chroma bleed at most at the edge).
  for (const [i, x] of xs.entries()) {
    if (x <= 308) assert.ok(hardR[i]! > 200, `hard x=${x}: ${hardR[i]}`);
    if (x >= 332) assert.ok(hardR[i]! < 40, `hard x=${x}: ${hardR[i]}`);
  }
  // Feathered: intermediate values over tens of pixels either side of the edge, falling monotonically.
  const between = softR.filter((r) => r > 20 && r < 235).length;
  assert.ok(between >= 5, `only ${between} intermediate samples: ${softR.join(' ')}`);
  for (let i = 1; i < softR.length; i++)
    assert.ok(softR[i]! <= softR[i - 1]! + 3, `not monotonic: ${softR.join(' ')}`);
  const mid = softR[xs.indexOf(316)]!;
  assert.ok(mid > 90 && mid < 200, `at the edge ${mid}`);
});

test('mode alpha reads the matte PNG alpha: opaque shows the clip, half transparent blends, transparent shows below', async (t) => {
  // A black picture (luma 0 everywhere) whose alpha is 1, 0.5 and 0 in its left, middle and right thirds.
  const thirds = png(
    'thirds',
    'color=black@1:s=120x180,format=rgba[a];color=black@0.5:s=120x180,format=rgba[b];color=black@0:s=120x180,format=rgba[c];[a][b][c]hstack=inputs=3,format=rgba',
  );
  const alpha = render('alpha', thirds, { mode: 'alpha' });
  const at = (file: string, x: number) => sampleColor({ file, tMs: 100, x, y: 178 });
  const [left, middle, right] = await Promise.all([at(alpha, 100), at(alpha, 318), at(alpha, 540)]);
  t.diagnostic(
    `alpha matte: left ${JSON.stringify(left)} middle ${JSON.stringify(middle)} right ${JSON.stringify(right)}`,
  );
  assert.ok(left.r > 200 && left.b < 60, `opaque third shows the clip: ${JSON.stringify(left)}`);
  assert.ok(right.b > 200 && right.r < 60, `transparent third shows the base: ${JSON.stringify(right)}`);
  assert.ok(
    middle.r > 80 && middle.r < 180 && middle.b > 80 && middle.b < 180,
    `half: ${JSON.stringify(middle)}`,
  );
  // The same picture as a luma matte is black everywhere: the clip is hidden across the frame.
  const luma = render('luma', thirds, { mode: 'luma' });
  const l = await at(luma, 100);
  assert.ok(l.b > 200 && l.r < 60, `luma of black hides the clip: ${JSON.stringify(l)}`);
});

test('matte from another clip: that clip asset, at the source time it shows (in_ms, start_ms), its track hidden', async (t) => {
  // A matte video that is white for 500 ms, then black.
  const file = join(tmp.dir, 'white-then-black.mp4');
  const r = spawnSync(ffmpegPath(), [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=white:s=320x180:r=30:d=0.5[a];color=black:s=320x180:r=30:d=0.5[b];[a][b]concat=n=2:v=1:a=0',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    file,
  ]);
  assert.equal(r.status, 0, r.stderr.toString());
  const wb = realSource('wb', file);
  const timelineWith = (matte: Record<string, unknown>) =>
    parseTimeline({
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
        {
          id: 'o',
          kind: 'overlay',
          clips: [
            {
              id: 'red',
              asset_id: 'generator:red',
              start_ms: 0,
              duration_ms: 600,
              generator: { type: 'color', color: '#FF0000' },
              matte,
            },
          ],
        },
        // The luma clip: starts 250 ms into its source; hidden, so it is only a matte.
        {
          id: 'm',
          kind: 'overlay',
          hidden: true,
          clips: [{ id: 'luma', asset_id: 'wb', start_ms: 0, in_ms: 250, out_ms: 1000 }],
        },
      ],
    });
  const renderWith = (name: string, matte: Record<string, unknown>) => {
    const plan = compile({
      timeline: timelineWith(matte),
      sources: { wb },
      profile: 'draft_360p',
      work_dir: tmp.dir,
    });
    assert.deepEqual(plan.warnings, []);
    const out = join(tmp.dir, `${name}.mp4`);
    runPlan(plan, out);
    return out;
  };
  const byClip = renderWith('by-clip', { clip_id: 'luma' });
  const byAsset = renderWith('by-asset', { asset_id: 'wb' });
  const red = (c: { r: number; b: number }) => c.r > 200 && c.b < 60;
  const blue = (c: { r: number; b: number }) => c.b > 200 && c.r < 60;
  const at = (f: string, ms: number) => sampleColor({ file: f, tMs: ms, x: 320, y: 178 });
  const c100 = await at(byClip, 100);
  const c400 = await at(byClip, 400);
  const a400 = await at(byAsset, 400);
  t.diagnostic(
    `clip matte at 100 ms ${JSON.stringify(c100)}, 400 ms ${JSON.stringify(c400)}; asset matte at 400 ms ${JSON.stringify(a400)}`,
  );
  // The clip shows source 350 ms (white) at 100 ms and 650 ms (black) at 400 ms; the asset matte is still white.
  assert.ok(red(c100), JSON.stringify(c100));
  assert.ok(blue(c400), JSON.stringify(c400));
  assert.ok(red(a400), JSON.stringify(a400));
  // A clip matte on the same track, or naming no clip, is a warning, never silently dropped.
  const bad = compile({
    timeline: timelineWith({ clip_id: 'nope' }),
    sources: { wb },
    profile: 'draft_360p',
    work_dir: tmp.dir,
  });
  assert.deepEqual(
    bad.warnings.map((w) => [w.code, w.path]),
    [['MATTE_IGNORED', 'tracks[1].clips[0].matte']],
  );
});
