// Region-aware filters: face_blur inside a mask artifact (a white square on black) blurs inside the square only,
// and the mask stays aligned to the clip's source time (in point); without a mask the filter is skipped with
// REGIONS_MISSING and listed in meta.skipped_filters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { compile } from '../../src/plan/compile.js';
import type { CompileInput, PlanArtifact } from '../../src/plan/types.js';
import { testsrcClip } from '../helpers/media.js';
import { realSource, runPlan, tempDir, timeline } from './helpers/plan-fixtures.js';
import { makeMask } from './helpers/region-mask.js';

function grayFrame(file: string, n: number): Buffer {
  const r = spawnSync(
    ffmpegPath(),
    [
      '-v',
      'error',
      '-i',
      file,
      '-vf',
      `select=eq(n\\,${n})`,
      '-frames:v',
      '1',
      '-pix_fmt',
      'gray',
      '-f',
      'rawvideo',
      '-',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout;
}

/** Mean absolute luma difference over a rectangle of two 640x360 gray frames. */
function meanDiff(a: Buffer, b: Buffer, x0: number, y0: number, x1: number, y1: number): number {
  let sum = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) sum += Math.abs(a[y * 640 + x]! - b[y * 640 + x]!);
  return sum / ((x1 - x0) * (y1 - y0));
}

async function setup(
  dir: string,
  filters: Array<{ type: string; params?: Record<string, number> }>,
  withMask: boolean,
): Promise<CompileInput> {
  const src = await testsrcClip({ durationMs: 2000 });
  const maskFile = join(dir, 'mask.mp4');
  makeMask(maskFile);
  const mask: PlanArtifact = {
    id: 'mask1',
    kind: 'mask',
    asset_id: 'cam',
    backend_version: 'ellipse-mask-1',
    cache_key: 'ck-mask',
    path: maskFile,
    meta: {},
  };
  const mouthFile = join(dir, 'mouth.mp4');
  makeMask(mouthFile);
  // A mouth-only mask (as the regions engine writes with include_regions ["mouth"]): for teeth_whiten.
  const mouth: PlanArtifact = {
    ...mask,
    id: 'mask2',
    cache_key: 'ck-mouth',
    path: mouthFile,
    meta: { include_regions: ['mouth'] },
  };
  return {
    timeline: timeline({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          // in_ms 500: source t < 1 s (the square) is output frames 0..14.
          clips: [{ id: 'c', asset_id: 'cam', start_ms: 0, in_ms: 500, out_ms: 1500, filters }],
        },
      ],
    }),
    sources: { cam: realSource('cam', src) },
    artifacts: withMask ? { mask1: mask, mask2: mouth } : {},
    profile: 'draft_360p',
    work_dir: join(dir, 'work'),
  };
}

test('face_blur blurs inside the mask only, aligned with the clip in point', async () => {
  const tmp = tempDir('region');
  try {
    const plain = compile(await setup(tmp.dir, [], true));
    const blurred = compile(await setup(tmp.dir, [{ type: 'face_blur', params: { strength: 1 } }], true));
    assert.match(blurred.filtergraph, /alphamerge/);
    assert.deepEqual(
      blurred.meta.dependency_notices.map((d) => [d.kind, d.artifact_id]),
      [['mask', 'mask1']],
    );
    const maskInputs = blurred.inputs.filter((i) => i.path.endsWith('mask.mp4'));
    assert.equal(maskInputs.length, 1);
    // Same seek as the clip's own input.
    assert.deepEqual(maskInputs[0]!.options, blurred.inputs[0]!.options);
    const a = join(tmp.dir, 'plain.mp4');
    const b = join(tmp.dir, 'blur.mp4');
    runPlan(plain, a);
    runPlan(blurred, b);
    // Canvas 640x360: the 320x240 source fits as 480x360 at x = 80, so the square is x 230..410, y 90..270.
    for (const n of [0, 7, 14]) {
      const fa = grayFrame(a, n);
      const fb = grayFrame(b, n);
      const inside = meanDiff(fa, fb, 250, 110, 390, 250);
      const outside = meanDiff(fa, fb, 440, 290, 550, 355);
      assert.ok(inside > 8, `frame ${n}: blurred inside the square (mean diff ${inside})`);
      assert.ok(outside < 3, `frame ${n}: unchanged outside (mean diff ${outside})`);
    }
    // From source t = 1 s (frame 15) the mask is black: nothing is blurred.
    for (const n of [16, 25]) {
      const inside = meanDiff(grayFrame(a, n), grayFrame(b, n), 250, 110, 390, 250);
      assert.ok(inside < 3, `frame ${n}: mask empty, picture unchanged (mean diff ${inside})`);
    }
  } finally {
    tmp.cleanup();
  }
});

test('region-aware filter without a mask: REGIONS_MISSING, skipped_filters, no alphamerge', async () => {
  const tmp = tempDir('region-missing');
  try {
    const plan = compile(
      await setup(tmp.dir, [{ type: 'brightness', params: { value: 0.1 } }, { type: 'skin_smooth' }], false),
    );
    const w = plan.warnings.find((x) => x.code === 'REGIONS_MISSING');
    assert.equal(w?.path, 'tracks[0].clips[0].filters[1]');
    assert.deepEqual(plan.meta.skipped_filters, [
      {
        clip_id: 'c',
        path: 'tracks[0].clips[0].filters[1]',
        type: 'skin_smooth',
        reason: 'no face mask artifact of asset "cam" was given to the plan',
      },
    ]);
    assert.ok(!plan.filtergraph.includes('alphamerge') && !plan.filtergraph.includes('smartblur'));
    assert.match(plan.filtergraph, /eq=brightness=0\.1/);
  } finally {
    tmp.cleanup();
  }
});

test('region-aware params are validated and clamped like every filter', async () => {
  const tmp = tempDir('region-params');
  try {
    const plan = compile(await setup(tmp.dir, [{ type: 'teeth_whiten', params: { amount: 3 } }], true));
    assert.equal(
      plan.warnings.find((x) => x.code === 'PARAM_CLAMPED')?.path,
      'tracks[0].clips[0].filters[0].params.amount',
    );
    assert.match(plan.filtergraph, /eq=brightness=0\.08:saturation=0\.4,format=yuva420p/);
    // teeth_whiten takes the mouth mask, not the face mask.
    assert.deepEqual(
      plan.meta.dependency_notices.map((d) => d.artifact_id),
      ['mask2'],
    );
    const bad = await setup(
      tmp.dir,
      [{ type: 'face_blur', params: { strength: 'x' as unknown as number } }],
      true,
    );
    assert.throws(() => compile(bad), /INVALID_PARAM|strength/);
  } finally {
    tmp.cleanup();
  }
});

test('lut with region: true runs inside the mask; without it, on the whole picture', async () => {
  const tmp = tempDir('region-lut');
  try {
    const base = await setup(tmp.dir, [], true);
    const lut: PlanArtifact = {
      id: 'lut1',
      kind: 'lut',
      asset_id: null,
      backend_version: '1',
      cache_key: 'ck-lut',
      path: '/luts/look.cube',
      meta: {},
    };
    const withFilters = (params: Record<string, string | boolean>): CompileInput => ({
      ...base,
      artifacts: { ...base.artifacts, lut1: lut },
      timeline: timeline({
        tracks: [
          {
            id: 'v',
            kind: 'video',
            clips: [
              { id: 'c', asset_id: 'cam', start_ms: 0, out_ms: 1000, filters: [{ type: 'lut', params }] },
            ],
          },
        ],
      }),
    });
    const regional = compile(withFilters({ file: 'artifact:lut1', region: true }));
    assert.match(regional.filtergraph, /\[rfx\d+\]lut3d=file=\/luts\/look\.cube,format=yuva420p\[rfilt\d+\]/);
    assert.match(regional.filtergraph, /alphamerge/);
    const whole = compile(withFilters({ file: 'artifact:lut1' }));
    assert.ok(!whole.filtergraph.includes('alphamerge'));
    assert.match(whole.filtergraph, /lut3d=file=\/luts\/look\.cube/);
  } finally {
    tmp.cleanup();
  }
});

test('the mask follows the clip speed (source time): speed 2 ends the square at output frame 15', async () => {
  const tmp = tempDir('region-speed');
  try {
    const at = async (
      filters: Array<{ type: string; params?: Record<string, number> }>,
    ): Promise<CompileInput> => {
      const base = await setup(tmp.dir, filters, true);
      return {
        ...base,
        timeline: timeline({
          tracks: [
            {
              id: 'v',
              kind: 'video',
              clips: [{ id: 'c', asset_id: 'cam', start_ms: 0, in_ms: 0, out_ms: 2000, speed: 2, filters }],
            },
          ],
        }),
      };
    };
    const a = join(tmp.dir, 'plain2.mp4');
    const b = join(tmp.dir, 'blur2.mp4');
    runPlan(compile(await at([])), a);
    runPlan(compile(await at([{ type: 'face_blur', params: { strength: 1 } }])), b);
    // Source t < 1 s at speed 2 = output frames 0..14.
    const inside = (n: number) => meanDiff(grayFrame(a, n), grayFrame(b, n), 250, 110, 390, 250);
    assert.ok(inside(13) > 8, `frame 13 blurred (${inside(13)})`);
    assert.ok(inside(16) < 3, `frame 16 not blurred (${inside(16)})`);
  } finally {
    tmp.cleanup();
  }
});

test('each filter takes the mask of its region; eyes without an eyes mask are skipped', async () => {
  const tmp = tempDir('region-which');
  try {
    const plan = compile(
      await setup(
        tmp.dir,
        [{ type: 'skin_smooth' }, { type: 'teeth_whiten' }, { type: 'face_blur' }, { type: 'eye_enhance' }],
        true,
      ),
    );
    assert.deepEqual(
      (plan.meta.region_masks as Array<{ path: string; artifact_id: string }>).map((m) => [
        m.path,
        m.artifact_id,
      ]),
      [
        ['tracks[0].clips[0].filters[0]', 'mask1'],
        ['tracks[0].clips[0].filters[1]', 'mask2'],
        ['tracks[0].clips[0].filters[2]', 'mask1'],
      ],
    );
    assert.equal(
      plan.warnings.find((w) => w.code === 'REGIONS_MISSING')?.path,
      'tracks[0].clips[0].filters[3]',
    );
    // One input per mask; the face mask is split between its two filters.
    assert.equal(plan.inputs.length, 3);
    assert.match(plan.filtergraph, /split=2\[rmask\d+\]\[rmask\d+\]/);
    const file = join(tmp.dir, 'w.mp4');
    runPlan(plan, file);
  } finally {
    tmp.cleanup();
  }
});
