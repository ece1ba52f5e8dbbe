// `cutroom reframe IN --aspect 9:16 -o OUT` on a clip whose face moves left across the frame at a known speed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { reframeCommand } from '../../../src/cli/commands/reframe.js';
import { createCliContext } from '../../../src/cli/context.js';
import type { FocusContent } from '../../../src/engines/focus/index.js';
import { analyzeFaces } from '../../../src/engines/regions/index.js';
import { selectFaceBackend } from '../../../src/engines/regions/select-backend.js';
import { isCutroomError } from '../../../src/errors.js';
import { probeMedia } from '../../../src/ffmpeg/probe.js';
import { durationMs, probeJson } from '../../helpers/media.js';
import { expectedFaceX, MEGAMIND, panningFaceClip } from '../regions/moving-face.js';

const selected = await selectFaceBackend();
const skip = !existsSync(MEGAMIND)
  ? 'opencv-doc examples missing'
  : selected.backend.stub
    ? 'BlazeFace model missing'
    : false;

async function run(argv: string[]): Promise<{ out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('cutroom')
    .exitOverride()
    .option('--data-dir <dir>', 'data directory')
    .option('--env <env>', 'env');
  reframeCommand(program, createCliContext({ io: { out: (t) => out.push(t), err: (t) => err.push(t) } }));
  await program.parseAsync(argv, { from: 'user' });
  return { out, err };
}

/** The crop centre at t, as the renderer interpolates the keyframes (linear, cosine ease, hold). */
function centreAt(focus: FocusContent, t: number): number {
  const ks = focus.keyframes;
  let i = 0;
  while (i + 1 < ks.length && ks[i + 1]!.t_ms <= t) i++;
  const a = ks[i]!;
  const b = ks[i + 1];
  if (!b || a.easing === 'hold' || t <= a.t_ms) return a.center_x;
  const p = (t - a.t_ms) / (b.t_ms - a.t_ms);
  const e =
    a.easing === 'ease_in_out'
      ? 0.5 - 0.5 * Math.cos(Math.PI * p)
      : a.easing === 'ease_in'
        ? p * p
        : a.easing === 'ease_out'
          ? 1 - (1 - p) ** 2
          : p;
  return a.center_x + (b.center_x - a.center_x) * e;
}

test('reframe to 9:16 keeps the moving face inside the vertical frame', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutroom-reframe-'));
  try {
    const clip = panningFaceClip(); // 400x300, face centre x from 0.78 to 0.28 of the width over 2 s
    const out = join(dir, 'vertical.mp4');
    const res = await run([
      '--data-dir',
      join(dir, 'data'),
      'reframe',
      clip,
      '--aspect',
      '9:16',
      '-o',
      out,
      '--json',
    ]);
    const report = JSON.parse(res.out.join('\n')) as {
      profile: string;
      focus: FocusContent;
      warnings: unknown[];
    };
    assert.equal(report.profile, 'social_1080x1920_h264');
    assert.equal(report.focus.subject_source, 'faces');
    assert.notEqual(
      report.focus.shots[0]!.strategy,
      'stationary',
      'a face crossing half the frame needs a moving crop',
    );

    const probe = await probeJson(out);
    const v = probe.streams.find((s) => s.codec_type === 'video')!;
    assert.equal(Number(v.width) * 16, Number(v.height) * 9);
    assert.equal(v.height, 1920);
    assert.ok(Math.abs((await durationMs(out)) - 2000) <= 70);

    // Where the face lands by the plan: every sampled time, inside the middle of the vertical frame.
    const crop = report.focus.crop.width;
    for (let t = 0; t < 2000; t += 100) {
      const x = 0.5 + (expectedFaceX(t) - centreAt(report.focus, t)) / crop;
      assert.ok(x > 0.15 && x < 0.85, `t=${t}: face at ${x.toFixed(3)} of the output width`);
    }
    // And in the pixels: detect faces in the output itself.
    const info = await probeMedia({ path: out });
    const { summary } = await analyzeFaces({ path: out, info, intervalMs: 200, backend: selected.backend });
    const withFace = summary.samples.filter((s) => s.faces.length > 0);
    assert.ok(
      withFace.length >= summary.samples.length * 0.7,
      `faces in ${withFace.length}/${summary.samples.length} samples`,
    );
    for (const s of withFace) {
      const f = s.faces.reduce((a, b) => (a.box.w * a.box.h >= b.box.w * b.box.h ? a : b));
      assert.ok(
        f.box.x >= 0 && f.box.x + f.box.w <= 1,
        `t=${s.t_ms}: box ${JSON.stringify(f.box)} inside the frame`,
      );
      const cx = f.box.x + f.box.w / 2;
      const predicted = 0.5 + (expectedFaceX(s.t_ms) - centreAt(report.focus, s.t_ms)) / crop;
      assert.ok(
        Math.abs(cx - predicted) < 0.12,
        `t=${s.t_ms}: detected ${cx.toFixed(3)} vs planned ${predicted.toFixed(3)}`,
      );
    }
    await assert.rejects(
      run(['--data-dir', join(dir, 'data'), 'reframe', clip, '--aspect', '2:1', '-o', out]),
      (e: unknown) => isCutroomError(e, 'CLI_USAGE'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
