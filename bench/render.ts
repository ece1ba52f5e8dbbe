/**
 * `npm run bench -- render [--rounds N]`: cutroom's render of the reference edit against ONE hand-written ffmpeg
 * command that produces the same output with the same encoder settings, alternating runs in this process.
 *
 * Reference edit: 3 × 10 s 1920×1080 30 fps clips (testsrc2, mandelbrot, smptehdbars, each with a sine tone),
 * 1 s crossfades centred on the cuts (no handles: edge frames held, as cutroom does), a centred title on clip 1,
 * audio crossfades, profile social_1080p_h264 (x264 medium CRF 20, AAC 192k, loudnorm −14 LUFS).
 *
 * Prints: median wall time of each, their ratio (target ≤ 1.05), peak RSS of each ffmpeg (GNU time through a
 * CUTROOM_FFMPEG wrapper, the same for both), and the compile time of a 500-clip timeline. The render of a
 * loudness-target profile is two ffmpeg runs (an audio-only ebur128 measurement pass, then the render with a
 * measured gain); the figures are the render's, and its wall time includes the measurement pass. `--single-pass`
 * renders with single-pass loudnorm instead (the planner's fallback), for comparison.
 *
 * `--long [--ranges 45,90] [--single-pass]`: the 10-minute edit with 20 transitions (21 clips of ~28.5 s cut
 * from 30 s loops of the three sources, crossfade / dip_to_black / wipe_left in turn, a title on clip 1) at
 * social_1080p_h264. A whole 10-minute 1080p medium encode takes far longer than a bench run here, so it renders
 * the first N seconds of the SAME timeline (the planner's `range`) for each N in --ranges, and prints peak RSS
 * of the measurement pass and of the render (GNU time), the inputs each range opens, and those of the full plan.
 * `--single-pass` renders each range once more with single-pass loudnorm (measureLoudness: false). `--chunked`
 * instead renders the whole 10 minutes as a render job (createRenderJobHandler, 30 s chunks) and prints the
 * largest peak RSS among its ffmpeg runs.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runFfmpeg } from '../src/ffmpeg/run.js';
import { createServices } from '../src/media/services.js';
import { compile } from '../src/plan/compile.js';
import { prepareRender } from '../src/render/prepare-render.js';
import type { JobHandlerTools, JobRecord } from '../src/jobs/job-queue.js';
import {
  createRenderJobHandler,
  type RenderJobParams,
  type RenderJobResult,
} from '../src/render/jobs/index.js';
import { renderToFile } from '../src/render/render-to-file.js';
import { parseTimeline, type TimelineInput } from '../src/timeline/index.js';

const DIR = resolve('.cache/bench/render');
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 2;

const SOURCES = [
  { name: 'testsrc2', lavfi: 'testsrc2=s=1920x1080:r=30', tone: 440 },
  { name: 'mandelbrot', lavfi: 'mandelbrot=s=1920x1080:r=30', tone: 550 },
  { name: 'smptehdbars', lavfi: 'smptehdbars=s=1920x1080:r=30', tone: 660 },
];
const TITLE = 'cutroom reference edit';
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

async function makeSource(s: (typeof SOURCES)[number]): Promise<string> {
  const path = join(DIR, `${s.name}.mp4`);
  if (existsSync(path)) return path;
  await runFfmpeg({
    args: [
      ...[
        '-f',
        'lavfi',
        '-t',
        '10',
        '-i',
        s.lavfi,
        '-f',
        'lavfi',
        '-t',
        '10',
        '-i',
        `sine=frequency=${s.tone}:sample_rate=48000`,
      ],
      ...[
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-crf',
        '16',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-b:a',
        '192k',
      ],
    ],
    output: path,
    stage: 'encode',
  });
  return path;
}

/** Runs ffmpeg through GNU time so peak RSS is measured the same way for both contenders. */
function writeTimeWrapper(): string {
  const wrapper = join(DIR, 'ffmpeg-timed.sh');
  writeFileSync(wrapper, '#!/bin/sh\nexec /usr/bin/time -f %M -o "$CUTROOM_BENCH_RSS" ffmpeg "$@"\n');
  chmodSync(wrapper, 0o755);
  return wrapper;
}

function readRssMb(file: string): number {
  const kb = Number(readFileSync(file, 'utf8').trim().split('\n').pop());
  return Math.round(kb / 1024);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The same edit written by hand: tpad holds the edge frames, xfade + acrossfade blend, drawtext titles clip 1. */
function handWrittenArgs({
  paths,
  encoderArgs,
  textFile,
}: {
  paths: string[];
  encoderArgs: string[];
  textFile: string;
}): string[] {
  const graph = [
    '[0:v]fps=30,format=yuv420p,tpad=stop_mode=clone:stop_duration=0.5[v0]',
    '[1:v]fps=30,format=yuv420p,tpad=start_mode=clone:start_duration=0.5:stop_mode=clone:stop_duration=0.5[v1]',
    '[2:v]fps=30,format=yuv420p,tpad=start_mode=clone:start_duration=0.5[v2]',
    '[v0][v1]xfade=transition=fade:duration=1:offset=9.5[v01]',
    '[v01][v2]xfade=transition=fade:duration=1:offset=19.5[vx]',
    `[vx]drawtext=fontfile=${FONT}:textfile=${textFile}:expansion=none:fontsize=64:fontcolor=white:` +
      "x=(w-text_w)/2:y=(h-text_h)/2:enable='between(t,0,10)'[vout]",
    '[0:a]apad=pad_dur=0.5[a0]',
    '[1:a]adelay=500:all=1,apad=pad_dur=0.5[a1]',
    '[2:a]adelay=500:all=1[a2]',
    '[a0][a1]acrossfade=d=1[a01]',
    '[a01][a2]acrossfade=d=1,loudnorm=I=-14:TP=-1.5:LRA=11,aresample=48000,atrim=end=30[aout]',
  ].join(';');
  return [
    ...paths.flatMap((p) => ['-i', p]),
    '-filter_complex',
    graph,
    '-map',
    '[vout]',
    '-map',
    '[aout]',
    ...encoderArgs,
  ];
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`ffmpeg failed: ${err}`))));
  });
}

function fiveHundredClips(): TimelineInput {
  return {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: Array.from({ length: 500 }, (_, i) => ({
          id: `c${i}`,
          asset_id: `a${i % 3}`,
          start_ms: i * 1000,
          in_ms: 0,
          out_ms: 1000,
        })),
        transitions: Array.from({ length: 250 }, (_, i) => ({
          id: `t${i}`,
          type: 'crossfade',
          from_clip_id: `c${2 * i}`,
          to_clip_id: `c${2 * i + 1}`,
          duration_ms: 400,
        })),
      },
    ],
  };
}

const LONG_DIR = resolve('.cache/bench/render-long');
const LONG_CLIP_MS = 28_500;
const LONG_TOTAL_MS = 600_000;
const LONG_TRANSITIONS = ['crossfade', 'dip_to_black', 'wipe_left'];

/** A 30 s source: the cached 10 s one played three times, stream-copied (no re-encode). */
async function makeLongSource(tenSecond: string, name: string): Promise<string> {
  const path = join(LONG_DIR, `${name}-30s.mp4`);
  if (existsSync(path)) return path;
  await runFfmpeg({
    args: ['-stream_loop', '2', '-i', tenSecond, '-t', '30', '-c', 'copy', '-movflags', '+faststart'],
    output: path,
    stage: 'encode',
  });
  return path;
}

/** 21 clips back to back (20 × 28.5 s + 30 s = 10 min), a 1 s transition centred on each of the 20 cuts. */
function longTimeline(ids: string[]): TimelineInput {
  const clips = Array.from({ length: 21 }, (_, i) => {
    const start = i * LONG_CLIP_MS;
    const length = i === 20 ? LONG_TOTAL_MS - start : LONG_CLIP_MS;
    const inMs = i === 20 ? 0 : (i % 2) * 1_500; // alternate windows of the 30 s sources
    return {
      id: `c${i}`,
      asset_id: ids[i % ids.length]!,
      start_ms: start,
      in_ms: inMs,
      out_ms: inMs + length,
    };
  });
  return {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips,
        transitions: Array.from({ length: 20 }, (_, i) => ({
          id: `t${i}`,
          type: LONG_TRANSITIONS[i % LONG_TRANSITIONS.length]!,
          from_clip_id: `c${i}`,
          to_clip_id: `c${i + 1}`,
          duration_ms: 1000,
        })),
      },
      {
        id: 'titles',
        kind: 'text',
        items: [
          {
            id: 'title',
            start_ms: 0,
            duration_ms: 10_000,
            text: TITLE,
            font: { family: 'DejaVu Sans', size: 64 },
            position: 'center',
          },
        ],
      },
    ],
  };
}

function readRssLinesMb(file: string): number[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => /^\d+$/.test(l)) // GNU time also notes failed runs (encoder checks) in words
    .map((l) => Math.round(Number(l) / 1024));
}

async function mainLong(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  mkdirSync(LONG_DIR, { recursive: true });
  const tenSecond = await Promise.all(SOURCES.map(makeSource));
  const paths = await Promise.all(tenSecond.map((p, i) => makeLongSource(p, SOURCES[i]!.name)));
  const rangesArg = process.argv.indexOf('--ranges');
  const ranges = (rangesArg > 0 ? process.argv[rangesArg + 1]! : '45,90')
    .split(',')
    .map((x) => Number(x) * 1000);
  const singlePass = process.argv.includes('--single-pass');
  const chunked = process.argv.includes('--chunked');
  const dataDir = join(LONG_DIR, chunked ? 'data-chunked' : 'data');
  rmSync(dataDir, { recursive: true, force: true });
  const services = await createServices({ dataDir });
  await services.tenants.ensureLocalTenant();
  const ctx = { tenantId: 'local', env: 'dev', requestId: 'bench-long' };
  const ids: string[] = [];
  for (const p of paths)
    ids.push((await services.assets.registerAsset(ctx, { source: { path: p } })).asset.id);
  const timeline = parseTimeline(longTimeline(ids));
  const PROFILE = 'social_1080p_h264';

  const full = await prepareRender({ services, ctx, timeline, profile: PROFILE, workDir: LONG_DIR });
  console.log(
    `10-minute plan: ${full.plan.meta.duration_ms} ms, ${full.plan.meta.frame_count} frames, ` +
      `${full.plan.meta.transitions.length} transitions, ${full.plan.inputs.length} inputs`,
  );

  // GNU time appends (-a): one line per ffmpeg run (measurement pass, then the render).
  const wrapper = join(LONG_DIR, 'ffmpeg-timed.sh');
  writeFileSync(wrapper, '#!/bin/sh\nexec /usr/bin/time -a -f %M -o "$CUTROOM_BENCH_RSS" ffmpeg "$@"\n');
  chmodSync(wrapper, 0o755);
  const rssFile = join(LONG_DIR, chunked ? 'rss-chunked.txt' : 'rss.txt');
  if (chunked) {
    // The render job as production runs it: default 30 s chunks (video only, closed GOPs), one measured audio
    // pass over the whole timeline, a lossless join. Peak RSS is the largest of all its ffmpeg runs.
    rmSync(rssFile, { force: true });
    process.env.CUTROOM_FFMPEG = wrapper;
    process.env.CUTROOM_BENCH_RSS = rssFile;
    const handler = createRenderJobHandler({ services });
    const job = {
      id: 'job_bench_long',
      params: { timeline, profile: PROFILE } satisfies RenderJobParams,
    } as unknown as JobRecord<RenderJobParams, RenderJobResult>;
    const t0 = performance.now();
    const result = await handler(job, {
      signal: new AbortController().signal,
      reportProgress: () => undefined,
      checkpoint: null,
      saveCheckpoint: async () => undefined,
      attempt: 1,
      ctx,
    } satisfies JobHandlerTools);
    delete process.env.CUTROOM_FFMPEG;
    const rss = readRssLinesMb(rssFile);
    console.log(
      `whole 10 min as a render job: ${result.chunks} chunks, ${result.frame_count} frames, ` +
        `peak RSS over its ${rss.length} ffmpeg runs ${Math.max(...rss)} MB; wall ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    await services.close();
    return;
  }
  for (const mode of singlePass ? ['measured', 'single_pass'] : ['measured']) {
    for (const durationMs of ranges) {
      rmSync(rssFile, { force: true });
      process.env.CUTROOM_FFMPEG = wrapper;
      process.env.CUTROOM_BENCH_RSS = rssFile;
      const t0 = performance.now();
      const r = await renderToFile({
        services,
        ctx,
        timeline,
        profile: PROFILE,
        output: join(LONG_DIR, `long-${durationMs / 1000}s-${mode}.mp4`),
        range: { start_ms: 0, duration_ms: durationMs },
        measureLoudness: mode === 'measured',
      });
      const wall = (performance.now() - t0) / 1000;
      delete process.env.CUTROOM_FFMPEG;
      const rss = readRssLinesMb(rssFile);
      const render = rss[rss.length - 1]!;
      // The measurement pass is the ffmpeg run right before the render (encoder/filter checks come first).
      const measure =
        r.loudness && rss.length > 1
          ? `, measurement pass ${rss[rss.length - 2]} MB (${((r.loudness?.elapsed_ms ?? 0) / 1000).toFixed(1)} s, ` +
            `${r.loudness?.integrated_lufs.toFixed(1)} LUFS over the whole 10 min)`
          : '';
      console.log(
        `first ${durationMs / 1000} s, ${mode} (loudness_mode ${String(r.plan.meta.loudness_mode)}): render peak RSS ${render} MB${measure}; ` +
          `${r.plan.inputs.length} inputs, ${r.plan.meta.transitions.length} transitions in range; wall ${wall.toFixed(1)} s`,
      );
    }
  }
  await services.close();
}

async function main(): Promise<void> {
  if (process.argv.includes('--long')) return mainLong();
  mkdirSync(DIR, { recursive: true });
  const paths = await Promise.all(SOURCES.map(makeSource));
  const dataDir = join(DIR, 'data');
  rmSync(dataDir, { recursive: true, force: true });
  const services = await createServices({ dataDir });
  await services.tenants.ensureLocalTenant();
  const ctx = { tenantId: 'local', env: 'dev', requestId: 'bench' };
  const ids: string[] = [];
  for (const p of paths)
    ids.push((await services.assets.registerAsset(ctx, { source: { path: p } })).asset.id);

  const timeline = parseTimeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: ids.map((id, i) => ({
          id: `c${i}`,
          asset_id: id,
          start_ms: i * 10_000,
          in_ms: 0,
          out_ms: 10_000,
        })),
        transitions: [
          { id: 't1', type: 'crossfade', from_clip_id: 'c0', to_clip_id: 'c1', duration_ms: 1000 },
          { id: 't2', type: 'crossfade', from_clip_id: 'c1', to_clip_id: 'c2', duration_ms: 1000 },
        ],
      },
      {
        id: 'titles',
        kind: 'text',
        items: [
          {
            id: 'title',
            start_ms: 0,
            duration_ms: 10_000,
            text: TITLE,
            font: { family: 'DejaVu Sans', size: 64 },
            position: 'center',
          },
        ],
      },
    ],
  });

  // Same encoder settings for the hand-written command: everything after cutroom's last -map.
  const probeSources = Object.fromEntries(
    await Promise.all(
      ids.map(async (id) => {
        const a = await services.assets.getAsset(ctx, id);
        return [
          id,
          {
            asset_id: id,
            path: await services.assets.assetPath(ctx, id),
            content_hash: a.content_hash,
            info: a.media_info,
          },
        ];
      }),
    ),
  );
  const plan = compile({
    timeline,
    sources: probeSources,
    profile: 'social_1080p_h264',
    fonts: { 'DejaVu Sans': FONT },
  });
  const lastMap = plan.args.lastIndexOf('-map');
  const encoderArgs = plan.args.slice(lastMap + 2);
  const textFile = join(DIR, 'title.txt');
  writeFileSync(textFile, TITLE);

  const wrapper = writeTimeWrapper();
  const rssFile = join(DIR, 'rss.txt');
  const env = { ...process.env, CUTROOM_FFMPEG: wrapper, CUTROOM_BENCH_RSS: rssFile };
  const times = { cutroom: [] as number[], hand: [] as number[] };
  const rss = { cutroom: [] as number[], hand: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    process.env.CUTROOM_FFMPEG = wrapper;
    process.env.CUTROOM_BENCH_RSS = rssFile;
    let t0 = performance.now();
    await renderToFile({
      services,
      ctx,
      timeline,
      profile: 'social_1080p_h264',
      output: join(DIR, 'cutroom.mp4'),
      measureLoudness: !process.argv.includes('--single-pass'),
    });
    times.cutroom.push(performance.now() - t0);
    rss.cutroom.push(readRssMb(rssFile));

    t0 = performance.now();
    await run(
      wrapper,
      [...handWrittenArgs({ paths, encoderArgs, textFile }), '-y', join(DIR, 'hand.mp4')],
      env,
    );
    times.hand.push(performance.now() - t0);
    rss.hand.push(readRssMb(rssFile));
    console.log(
      `round ${r + 1}/${rounds}: cutroom ${(times.cutroom[r]! / 1000).toFixed(1)} s (${rss.cutroom[r]} MB), ` +
        `hand-written ${(times.hand[r]! / 1000).toFixed(1)} s (${rss.hand[r]} MB)`,
    );
  }
  delete process.env.CUTROOM_FFMPEG;

  const big = parseTimeline(fiveHundredClips());
  const fakeSources = Object.fromEntries(
    ['a0', 'a1', 'a2'].map((id, i) => [id, { ...probeSources[ids[i]!]!, asset_id: id }]),
  );
  const compileTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    compile({
      timeline: big,
      sources: fakeSources,
      profile: 'social_1080p_h264',
      work_dir: '/tmp/bench-500',
    });
    compileTimes.push(performance.now() - t0);
  }

  const ratio = median(times.cutroom) / median(times.hand);
  console.log('');
  console.log(
    `cutroom render      median ${(median(times.cutroom) / 1000).toFixed(2)} s, peak RSS ${Math.max(...rss.cutroom)} MB`,
  );
  console.log(
    `hand-written ffmpeg median ${(median(times.hand) / 1000).toFixed(2)} s, peak RSS ${Math.max(...rss.hand)} MB`,
  );
  console.log(`ratio cutroom / hand-written: ${ratio.toFixed(3)} (target ≤ 1.05)`);
  console.log(
    `compile of a 500-clip timeline (250 transitions): median ${median(compileTimes).toFixed(0)} ms`,
  );
  await services.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
