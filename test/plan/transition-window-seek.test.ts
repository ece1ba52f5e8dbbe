// Transition windows decode as cleanly as a decode from the start. Every segment (clip body, transition window)
// is its own ffmpeg input seeked with -ss; on sources that are hard to seek (x264 core 142 High 4:4:4 whose
// bug workaround depends on an SEI only in the first frame, one keyframe per 250 frames, B-frame pyramids,
// 10-bit) each window's first and middle frames must match a reference render of the same plan in which no
// input is seeked (every input decoded from its start, trimmed in the graph): PSNR >= 35 dB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { probeMedia } from '../../src/ffmpeg/probe.js';
import { compile } from '../../src/plan/compile.js';
import { frameAt } from '../../src/plan/frame-grid.js';
import type { RenderPlan } from '../../src/plan/types.js';
import { longGopClip } from '../helpers/media.js';
import { runPlan, tempDir, timeline } from './helpers/plan-fixtures.js';

const COCKATOO = '/usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4';

/**
 * The same plan with every seeked input decoded from its start instead: `-ss S -t D` (and -itsoffset, and
 * decoder hints such as -x264_build) removed from the input, and `trim=start=S:end=S+D` (atrim for audio) at the head of the
 * graph, which keeps exactly the frames an accurate input seek keeps.
 */
function unseekedPlan(plan: RenderPlan): string[] {
  const inputs = plan.inputs;
  const heads: string[] = [];
  let graph = plan.filtergraph;
  const inputArgs: string[] = [];
  for (const inp of inputs) {
    const ss = inp.options.indexOf('-ss');
    if (ss < 0) {
      inputArgs.push(...inp.options, '-i', inp.path);
      continue;
    }
    // An open-GOP-safe seek is `-ss S-M -itsoffset -M` (src/plan/seek-options.ts): the kept frames start at S.
    const its = inp.options.indexOf('-itsoffset');
    const start = Number(inp.options[ss + 1]) - (its >= 0 ? Number(inp.options[its + 1]) : 0);
    const t = inp.options.indexOf('-t');
    const end = t >= 0 ? start + Number(inp.options[t + 1]) : undefined;
    const kept: string[] = [];
    for (let i = 0; i < inp.options.length; i++) {
      if (['-ss', '-itsoffset', '-t', '-x264_build'].includes(inp.options[i]!)) i++;
      else kept.push(inp.options[i]!);
    }
    inputArgs.push(...kept, '-i', inp.path);
    const range = `start=${start}${end === undefined ? '' : `:end=${end}`}`;
    for (const kind of ['v', 'a'] as const) {
      const label = `[${inp.index}:${kind}]`;
      if (!graph.includes(label)) continue;
      const renamed = `[ref${kind}${inp.index}]`;
      graph = graph.split(label).join(renamed);
      heads.push(
        kind === 'v'
          ? `${label}trim=${range},setpts=PTS-STARTPTS${renamed}`
          : `${label}atrim=${range},asetpts=PTS-STARTPTS${renamed}`,
      );
    }
  }
  const fullGraph = [...heads, graph].join(';\n');
  const firstAfterInputs = plan.args.findIndex(
    (a) => a === '-filter_complex' || a === '-filter_complex_script',
  );
  assert.ok(firstAfterInputs > 0, 'plan passes its graph inline');
  assert.equal(plan.args[firstAfterInputs], '-filter_complex', 'test timelines are small: graph inline');
  // compile() writes: global args, then each input's options + -i path, then the graph.
  const inputLength = inputs.reduce((n, inp) => n + inp.options.length + 2, 0);
  const globals = plan.args.slice(0, firstAfterInputs - inputLength);
  return [...globals, ...inputArgs, '-filter_complex', fullGraph, ...plan.args.slice(firstAfterInputs + 2)];
}

function runArgs(args: string[], outFile: string): void {
  const fast = args.map((a) => (a === 'veryfast' || a === 'medium' ? 'ultrafast' : a));
  const r = spawnSync(
    ffmpegPath(),
    ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...fast, outFile],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`ffmpeg exited ${r.status}: ${r.stderr.toString().slice(-2000)}`);
}

/** PSNR (all planes, dB) between frame n of two files; Infinity when identical. */
function framePsnr(a: string, b: string, n: number): number {
  const pick = `select=eq(n\\,${n}),setpts=N/TB`;
  const r = spawnSync(ffmpegPath(), [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'info',
    '-i',
    a,
    '-i',
    b,
    '-lavfi',
    `[0:v]${pick}[x];[1:v]${pick}[y];[x][y]psnr`,
    '-f',
    'null',
    '-',
  ]);
  const m = /PSNR y:\S+ u:\S+ v:\S+ average:(\S+)/.exec(r.stderr.toString());
  if (!m) throw new Error(`no psnr for frame ${n}: ${r.stderr.toString().slice(-1000)}`);
  return m[1] === 'inf' ? Infinity : Number(m[1]);
}

interface Case {
  name: string;
  file: () => Promise<string>;
  /** Source in points of the two clips and where the transition sits (ms). */
  aIn: number;
  bIn: number;
}

async function checkWindows(c: Case, type: string, log: (m: string) => void): Promise<void> {
  const file = await c.file();
  const info = await probeMedia({ path: file });
  const tl = timeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'a', asset_id: 'src', start_ms: 0, in_ms: c.aIn, out_ms: c.aIn + 4000 },
          { id: 'b', asset_id: 'src', start_ms: 4000, in_ms: c.bIn, out_ms: c.bIn + 3000 },
        ],
        transitions: [{ id: 't', type, from_clip_id: 'a', to_clip_id: 'b', duration_ms: 1000 }],
      },
    ],
  });
  const plan = compile({
    timeline: tl,
    sources: { src: { asset_id: 'src', path: file, content_hash: c.name, info } },
    profile: 'draft_360p',
  });
  const tmp = tempDir(`window-seek-${c.name}`);
  try {
    const out = join(tmp.dir, 'seeked.mp4');
    const ref = join(tmp.dir, 'unseeked.mp4');
    runPlan(plan, out);
    runArgs(unseekedPlan(plan), ref);
    const grid = { fps: plan.meta.fps, sampleRate: 48000 };
    assert.equal(plan.meta.transitions.length, 1);
    for (const t of plan.meta.transitions) {
      const first = frameAt(grid, t.start_ms);
      const last = frameAt(grid, t.start_ms + t.duration_ms) - 1;
      const middle = Math.floor((first + last) / 2);
      // The body frames either side of the window too: a seek error there shows as a jump at the window edge.
      for (const n of [first - 1, first, middle, last + 1]) {
        const psnr = framePsnr(out, ref, n);
        log(`${c.name} ${type} frame ${n}: PSNR ${psnr} dB`);
        assert.ok(
          psnr >= 35,
          `${c.name} ${type}: frame ${n} PSNR ${psnr.toFixed(1)} dB < 35 against un-seeked decode`,
        );
      }
    }
  } finally {
    tmp.cleanup();
  }
}

const cases: Case[] = [
  // x264 core 142, High 4:4:4 Predictive, 2 B-frames, IDRs at 0, 3.8 and 7.25 s: both windows start past 3.8 s.
  { name: 'cockatoo-444-x264-142', file: async () => COCKATOO, aIn: 1000, bIn: 7500 },
  {
    name: 'longgop-420',
    file: () => longGopClip({ durationMs: 12000, pixFmt: 'yuv420p' }),
    aIn: 1000,
    bIn: 6200,
  },
  {
    name: 'longgop-444',
    file: () => longGopClip({ durationMs: 12000, pixFmt: 'yuv444p' }),
    aIn: 1000,
    bIn: 6200,
  },
  {
    name: 'longgop-420p10',
    file: () => longGopClip({ durationMs: 12000, pixFmt: 'yuv420p10le' }),
    aIn: 1000,
    bIn: 6200,
  },
];

for (const c of cases) {
  const skip =
    c.name.startsWith('cockatoo') && !existsSync(COCKATOO) ? 'python3-imageio not installed' : false;
  // circle_open mixes the two pictures by region, crossfade everywhere; both on the 4:4:4 sources.
  for (const type of c.name.includes('444') ? ['crossfade', 'circle_open'] : ['crossfade']) {
    test(`transition window frames match an un-seeked decode: ${c.name}, ${type}`, { skip }, async (t) => {
      await checkWindows(c, type, (m) => t.diagnostic(m));
    });
  }
}

test('probe reads the x264 build, and the planner gives it to every seeked decoder of that source', async (t) => {
  if (!existsSync(COCKATOO)) return t.skip('python3-imageio not installed');
  const info = await probeMedia({ path: COCKATOO });
  assert.equal(info.video?.x264_build, 142);
  const plan = compile({
    timeline: timeline({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [{ id: 'a', asset_id: 'k', start_ms: 0, in_ms: 4000, out_ms: 5000 }],
        },
      ],
    }),
    sources: { k: { asset_id: 'k', path: COCKATOO, content_hash: 'k', info } },
    profile: 'draft_360p',
  });
  for (const inp of plan.inputs) assert.deepEqual(inp.options.slice(0, 2), ['-x264_build', '142']);
});
