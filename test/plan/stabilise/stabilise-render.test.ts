// Stabilisation on real shaky footage (diver.mov, not made by us): frame mapping of trimmed clips and the
// measured reduction of camera motion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDetectParams } from '../../../src/engines/stabilise/detect-params.js';
import { detectTransforms } from '../../../src/engines/stabilise/detect-transforms.js';
import { measureMotion } from '../../../src/engines/stabilise/measure-motion.js';
import { inputUrl, runFfmpeg } from '../../../src/ffmpeg/index.js';
import { stabiliseFilter, stabiliseSegment } from '../../../src/plan/stabilise/index.js';
import {
  allFrames,
  cockatooExcerpt,
  diverExcerpt,
  meanAbsDiff,
  skipNoCockatoo,
  skipNoDiver,
} from './fixtures.js';

const W = 320;
const H = 240;
const FPS = 25;

async function renderVideo(o: { inputOptions: string[]; source: string; filters: string[]; output: string }) {
  await runFfmpeg({
    args: [
      ...o.inputOptions,
      '-i',
      inputUrl(o.source),
      '-map',
      '0:v:0',
      '-vf',
      [...o.filters, 'setpts=PTS-STARTPTS'].join(','),
      '-c:v',
      'ffv1',
      '-threads',
      '1',
    ],
    output: o.output,
    stage: 'encode',
  });
}

test(
  'stabilised clips: a trimmed clip gets exactly the frames of a fully stabilised render; less motion',
  {
    skip: skipNoDiver,
  },
  async () => {
    const source = await diverExcerpt();
    // Quotes, colons, commas and brackets in the path: the escaped filter option must still find the file.
    const root = await mkdtemp(join(tmpdir(), 'cutroom-stab-'));
    const dir = join(root, "it's:a,[dir]");
    await mkdir(dir);
    try {
      const trf = join(dir, 'transforms.trf');
      await detectTransforms({ source, output: trf, params: resolveDetectParams({}) });
      const { filter } = stabiliseFilter({
        transformsPath: trf,
        smoothing: 15,
        zoom: 0,
        crop: 'keep',
        tripod: false,
        clipPath: 'tracks[0].clips[0]',
        clipId: 'c',
        backend: 'test',
      });

      const full = join(root, 'full.mkv');
      await renderVideo({ inputOptions: [], source, filters: [filter], output: full });
      // The clip [1600 ms, 3000 ms) of the source, as the planner's segment input would read it.
      const seg = stabiliseSegment({ windowStartMs: 1600, windowEndMs: 3000, filter });
      const trimmed = join(root, 'trimmed.mkv');
      await renderVideo({
        inputOptions: seg.inputOptions,
        source,
        filters: seg.videoFilters,
        output: trimmed,
      });
      // What an input seek would do: vidstabtransform numbers frames from ITS first input frame.
      const seeked = join(root, 'seeked.mkv');
      await renderVideo({
        inputOptions: ['-ss', '1.6', '-t', '1.4'],
        source,
        filters: [filter],
        output: seeked,
      });

      const F = await allFrames(full, W, H);
      const T = await allFrames(trimmed, W, H);
      const S = await allFrames(seeked, W, H);
      assert.equal(F.length, 4 * FPS);
      assert.equal(T.length, 1.4 * FPS);
      const offset = 1.6 * FPS;
      for (const k of [0, 12, T.length - 1]) {
        assert.equal(meanAbsDiff(T[k]!, F[offset + k]!), 0, `trimmed frame ${k} = full frame ${offset + k}`);
      }
      // Control: the seeked render applies the wrong frames' corrections, and the comparison sees it.
      const wrong = [0, 12, S.length - 1].map((k) => meanAbsDiff(S[k]!, F[offset + k]!));
      assert.ok(Math.max(...wrong) > 1, `a seeked input must differ (mean abs diff ${wrong.join(', ')})`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
);

/** Residual camera motion before and after, rendered without vidstab's automatic zoom (it magnifies shifts). */
async function motionBeforeAfter(source: string): Promise<{ before: number; after: number; pairs: number }> {
  const root = await mkdtemp(join(tmpdir(), 'cutroom-stab-'));
  try {
    const trf = join(root, 't.trf');
    await detectTransforms({ source, output: trf, params: resolveDetectParams({}) });
    const { filter } = stabiliseFilter({
      transformsPath: trf,
      smoothing: 15,
      zoom: 0,
      crop: 'keep',
      tripod: false,
      clipPath: 'p',
      clipId: 'c',
      backend: 'test',
      optimalZoom: false,
    });
    const out = join(root, 'stable.mkv');
    await renderVideo({ inputOptions: [], source, filters: [filter], output: out });
    const before = await measureMotion({ path: source, sourceWidth: W, sourceHeight: H });
    const after = await measureMotion({ path: out, sourceWidth: W, sourceHeight: H });
    assert.equal(after.pairs, before.pairs);
    return { before: before.mean_shift, after: after.mean_shift, pairs: before.pairs };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

test(
  'stabilising real hand-held footage lowers the measured camera motion (cockatoo.mp4)',
  {
    skip: skipNoCockatoo,
  },
  async () => {
    const m = await motionBeforeAfter(await cockatooExcerpt());
    assert.equal(m.pairs, 79);
    assert.ok(
      m.after < 0.7 * m.before,
      `${m.after.toFixed(2)} px/frame after vs ${m.before.toFixed(2)} before`,
    );
  },
);

test(
  'stabilising real hand-held footage lowers the measured camera motion (diver.mov)',
  {
    skip: skipNoDiver,
  },
  async () => {
    const m = await motionBeforeAfter(await diverExcerpt());
    assert.equal(m.pairs, 99);
    assert.ok(m.after < m.before, `${m.after.toFixed(2)} px/frame after vs ${m.before.toFixed(2)} before`);
  },
);
