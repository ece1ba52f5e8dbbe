// Gradual transitions: the pure models on hand-made signature series, then real renders by cutroom's own planner
// (real footage from Debian packages; the demo's own edit) analysed end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { detectGradualTransitions } from '../../../src/engines/visual-meta/detect-gradual-transitions.js';
import { analyzeVisualMeta } from '../../../src/engines/visual-meta/analyze-visual-meta.js';
import { SIG_H, SIG_W } from '../../../src/engines/visual-meta/types.js';
import { probeMedia } from '../../../src/ffmpeg/probe.js';
import { compile } from '../../../src/plan/compile.js';
import { cachedFfmpeg } from './fixtures.js';
import { realSource, runPlan, tempDir, timeline } from '../../plan/helpers/plan-fixtures.js';

/** A textured signature: a horizontal ramp from `lo` to `hi` plus a vertical stripe pattern (`phase`). */
function texture(lo: number, hi: number, phase: number): Uint8Array {
  const s = new Uint8Array(SIG_W * SIG_H);
  for (let y = 0; y < SIG_H; y++)
    for (let x = 0; x < SIG_W; x++)
      s[y * SIG_W + x] = Math.round(lo + ((hi - lo) * x) / (SIG_W - 1) + ((x + y + phase) % 3) * 15);
  return s;
}

const frame = (sig: Uint8Array) => ({ luma: 120, luma_std: 40, score: 1, sig });
const A = texture(20, 120, 0);
const B = texture(200, 90, 1);

test('a left-to-right reveal is a wipe, a translation of both pictures a push, a blend a dissolve', () => {
  const D = 12;
  const build = (make: (p: number, k: number) => number) => {
    const frames = Array.from({ length: 30 }, () => frame(A));
    for (let j = 1; j < D; j++) {
      const s = new Uint8Array(SIG_W * SIG_H);
      for (let k = 0; k < s.length; k++) s[k] = make(j / D, k);
      frames.push(frame(s));
    }
    frames.push(...Array.from({ length: 30 }, () => frame(B)));
    return frames;
  };
  const wipe = build((p, k) => ((k % SIG_W) + 0.5 < p * SIG_W ? B[k]! : A[k]!));
  const push = build((p, k) => {
    const x = k % SIG_W;
    const y = (k - x) / SIG_W;
    const u = Math.round(x + p * SIG_W);
    return u < SIG_W ? A[y * SIG_W + u]! : B[y * SIG_W + u - SIG_W]!;
  });
  const blend = build((p, k) => Math.round((1 - p) * A[k]! + p * B[k]!));
  const run = (frames: ReturnType<typeof build>) => detectGradualTransitions({ frames, isEdge: () => false });
  // Frames 30..40 are partial, 41 is the first frame of B.
  const w = run(wipe);
  assert.equal(w.length, 1, JSON.stringify(w));
  assert.equal(w[0]!.kind, 'wipe');
  // ±3 frames, the tolerance the benchmark scores with: the last columns of this wipe change little.
  assert.ok(Math.abs(w[0]!.start_frame - 30) <= 3 && Math.abs(w[0]!.end_frame - 41) <= 3, JSON.stringify(w));
  const p = run(push);
  assert.equal(p.length, 1, JSON.stringify(p));
  assert.equal(p[0]!.kind, 'push');
  assert.equal(p[0]!.direction, 'left');
  const b = run(blend);
  assert.equal(b.length, 1, JSON.stringify(b));
  assert.equal(b[0]!.kind, 'dissolve');
});

test('content moving through a steady shot (it comes and goes) is no transition', () => {
  const frames = Array.from({ length: 30 }, () => frame(A));
  for (let j = 0; j < 20; j++) {
    const s = Uint8Array.from(A);
    // A bright object crossing the frame: 3 columns wide, moving one column per frame.
    for (let y = 0; y < SIG_H; y++)
      for (let x = j - 3; x < j; x++) if (x >= 0 && x < SIG_W) s[y * SIG_W + x] = 250;
    frames.push(frame(s));
  }
  frames.push(...Array.from({ length: 30 }, () => frame(A)));
  assert.deepEqual(detectGradualTransitions({ frames, isEdge: () => false }), []);
});

const FOOTAGE = {
  megamind: '/usr/share/doc/opencv-doc/examples/data/Megamind.avi',
  diver: '/usr/share/doc/pd-extendedview/media/diver.mov',
};
const skipReal = Object.values(FOOTAGE).every((p) => existsSync(p))
  ? false
  : 'Debian packages opencv-doc and pd-extendedview are not installed';

test(
  'transitions rendered by cutroom over real footage come back as ranges of the right kind',
  { skip: skipReal },
  async () => {
    // Megamind's shots (ms): 42–4046 woman, 4088–6382 man, 6423–8300 shoulder, 8342–11220 bald man; diver 0–10640.
    const clips = [
      { id: 'c0', asset_id: 'm', start_ms: 0, in_ms: 500, out_ms: 1700 },
      { id: 'c1', asset_id: 'm', start_ms: 1200, in_ms: 4600, out_ms: 5800 },
      { id: 'c2', asset_id: 'd', start_ms: 2400, in_ms: 2000, out_ms: 3200 },
      { id: 'c3', asset_id: 'm', start_ms: 3600, in_ms: 9000, out_ms: 10200 },
      ];
    const transitions = [
      { id: 't0', type: 'crossfade', from_clip_id: 'c0', to_clip_id: 'c1', duration_ms: 600 },
      { id: 't1', type: 'wipe_left', from_clip_id: 'c1', to_clip_id: 'c2', duration_ms: 500 },
    ];
    const plan = compile({
      timeline: timeline({ tracks: [{ id: 'v', kind: 'video', clips, transitions }] }),
      sources: { m: realSource('m', FOOTAGE.megamind), d: realSource('d', FOOTAGE.diver) },
      profile: 'draft_360p',
    });
    const tmp = tempDir('gradual-real');
    try {
      const out = join(tmp.dir, 'edit.mp4');
      runPlan(plan, out);
      const r = await analyzeVisualMeta({
        path: out,
        info: await probeMedia({ path: out }),
        intervalMs: 1000,
      });
      const list = r.shotList;
      // Window [w0, w1) of a transition: w0 + 1 is the first partial frame, w1 the first frame of the new shot.
      const want = plan.meta.transitions.map((m) => ({
        type: m.type,
        start: Math.round((m.start_ms * 30) / 1000) + 1,
        end: Math.round(((m.start_ms + m.duration_ms) * 30) / 1000),
      }));
      const kindOf: Record<string, string> = {
        crossfade: 'dissolve',
        wipe_left: 'wipe',
        circle_open: 'wipe',
      };
      for (const w of want) {
        const got = list.transitions.find(
          (t) => Math.abs(t.start_frame - w.start) <= 3 && Math.abs(t.end_frame - w.end) <= 3,
        );
        assert.ok(got, `${w.type} ${w.start}–${w.end} not found in ${JSON.stringify(list.transitions)}`);
        assert.equal(got.kind, kindOf[w.type], w.type);
      }
      assert.equal(list.transitions.length, want.length, JSON.stringify(list.transitions));
      // c2 → c3 is a plain cut at 3.6 s = frame 108.
      assert.deepEqual(list.cuts, [108]);
    } finally {
      tmp.cleanup();
    }
  },
);

test("the demo's own edit: its crossfade and its wipe are both reported", async () => {
  const make = (name: string, src: string) =>
    cachedFfmpeg(name, [
      '-f',
      'lavfi',
      '-i',
      `${src},trim=duration=6`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
    ]);
  const testsrc = await make('demo-testsrc', 'testsrc2=s=320x180:r=30');
  const mandel = await make('demo-mandel', 'mandelbrot=s=320x180:r=30');
  const bars = await make('demo-bars', 'smptehdbars=s=320x180:r=30');
  // The demo's a-roll (scripts/demo.ts): crossfade 1 s centred on 4 s, wipe_left 0.8 s centred on 8 s.
  const plan = compile({
    timeline: timeline({
      tracks: [
        {
          id: 'a-roll',
          kind: 'video',
          clips: [
            { id: 'c1', asset_id: 't', start_ms: 0, in_ms: 0, out_ms: 4000 },
            { id: 'c2', asset_id: 'm', start_ms: 4000, in_ms: 500, out_ms: 4500 },
            { id: 'c3', asset_id: 'b', start_ms: 8000, in_ms: 0, out_ms: 4000 },
          ],
          transitions: [
            { id: 't1', type: 'crossfade', from_clip_id: 'c1', to_clip_id: 'c2', duration_ms: 1000 },
            { id: 't2', type: 'wipe_left', from_clip_id: 'c2', to_clip_id: 'c3', duration_ms: 800 },
          ],
        },
      ],
    }),
    sources: { t: realSource('t', testsrc), m: realSource('m', mandel), b: realSource('b', bars) },
    profile: 'draft_360p',
  });
  const tmp = tempDir('gradual-demo');
  try {
    const out = join(tmp.dir, 'demo.mp4');
    runPlan(plan, out);
    const r = await analyzeVisualMeta({ path: out, info: await probeMedia({ path: out }), intervalMs: 1000 });
    const t = r.shotList.transitions;
    assert.equal(t.length, 2, JSON.stringify(t));
    assert.equal(t[0]!.kind, 'dissolve');
    assert.ok(
      Math.abs(t[0]!.start_frame - 106) <= 3 && Math.abs(t[0]!.end_frame - 135) <= 3,
      JSON.stringify(t),
    );
    assert.equal(t[1]!.kind, 'wipe');
    assert.ok(
      Math.abs(t[1]!.start_frame - 229) <= 3 && Math.abs(t[1]!.end_frame - 252) <= 3,
      JSON.stringify(t),
    );
    assert.deepEqual(r.shotList.cuts, []);
  } finally {
    tmp.cleanup();
  }
});
