/**
 * `node --import tsx bench/jobs.ts [--rounds N] [--profile ID] [--only proxies|preview|chunks]`: render jobs, proxies and previews.
 *
 * 1. Proxy generation speed for a 10 s 1920×1080 30 fps source (testsrc2 + tone): × realtime per proxy profile.
 * 2. Preview first-byte latency: GET /video/preview on a real socket for a 5 s window of the reference edit
 *    (proxies present), time to the first body bytes on a cache miss (streamed fragmented MP4) and on a hit.
 * 3. Chunked vs single render of the reference edit (3 × 10 s 1080p testsrc2/mandelbrot/smptehdbars with tones,
 *    1 s crossfades): the render job handler with 10 s chunks vs the same handler in one piece (both include
 *    storing the result as an asset); alternating runs; ratio target ≤ 1.10. Default profile preview_720p (the
 *    2-core machine this runs on); pass --profile social_1080p_h264 for the full-size figure.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runFfmpeg } from '../src/ffmpeg/run.js';
import { buildApp } from '../src/http/index.js';
import { engineRoutes } from '../src/http/engine-routes.js';
import type { JobHandlerTools, JobRecord } from '../src/jobs/job-queue.js';
import { createServices, type Services } from '../src/media/services.js';
import {
  createRenderJobHandler,
  type RenderJobParams,
  type RenderJobResult,
} from '../src/render/jobs/index.js';
import { ensureProxies } from '../src/render/proxies.js';
import { parseTimeline, type Timeline } from '../src/timeline/index.js';

const DIR = resolve('.cache/bench/render');
const arg = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const rounds = Number(arg('--rounds')) || 2;
const profile = arg('--profile') ?? 'preview_720p';

const SOURCES = [
  { name: 'testsrc2', lavfi: 'testsrc2=s=1920x1080:r=30', tone: 440 },
  { name: 'mandelbrot', lavfi: 'mandelbrot=s=1920x1080:r=30', tone: 550 },
  { name: 'smptehdbars', lavfi: 'smptehdbars=s=1920x1080:r=30', tone: 660 },
];

/** Same generation args as bench/render.ts, so both benches share the cached sources. */
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function referenceEdit(ids: string[]): Timeline {
  return parseTimeline({
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
    ],
  });
}

async function fresh(name: string): Promise<{ services: Services; ids: string[]; paths: string[] }> {
  const dataDir = join(DIR, `jobs-${name}`);
  rmSync(dataDir, { recursive: true, force: true });
  const services = await createServices({ dataDir });
  await services.tenants.ensureLocalTenant();
  const paths = await Promise.all(SOURCES.map(makeSource));
  const ids: string[] = [];
  for (const p of paths)
    ids.push((await services.assets.registerAsset(ctx, { source: { path: p } })).asset.id);
  return { services, ids, paths };
}
const ctx = { tenantId: 'local', env: 'dev', requestId: 'bench' };

async function proxySpeed(): Promise<void> {
  for (const p of ['draft_360p', 'preview_720p'] as const) {
    const speeds: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const { services, ids } = await fresh(`proxy-${p}-${r}`);
      const t0 = performance.now();
      await ensureProxies({ services, ctx, assetIds: [ids[0]!], profiles: [p] });
      const s = (performance.now() - t0) / 1000;
      speeds.push(10 / s);
      await services.close();
    }
    console.log(
      `proxy ${p} of a 10 s 1080p source: ×${median(speeds).toFixed(2)} realtime (median of ${rounds})`,
    );
  }
}

async function previewLatency(): Promise<void> {
  const { services, ids } = await fresh('preview');
  await ensureProxies({ services, ctx, assetIds: ids, profiles: ['draft_360p'] });
  const key = (await services.tenants.createApiKey({ tenantId: 'local' })).key;
  const project = await services.projects.createProject(ctx, {
    document: { name: 'bench', sequences: [{ ...referenceEdit(ids), id: 's' }] },
  });
  const app = await buildApp({ services, extraRoutes: engineRoutes() });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  /** Time to the first body bytes (ftyp/moov) and to the first complete fragment start (an `mdat` box). */
  const firstByte = async (
    start: number,
  ): Promise<{ ms: number; fragMs: number; total: number; cache: string }> => {
    const t0 = performance.now();
    const res = await fetch(`${address}/video/preview/${project.id}?start_ms=${start}&duration_ms=5000`, {
      headers: { authorization: `Bearer ${key}`, 'x-env': 'dev' },
    });
    const reader = res.body!.getReader();
    let ms = -1;
    let fragMs = -1;
    let seen = Buffer.alloc(0);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (ms < 0) ms = performance.now() - t0;
      if (fragMs < 0) {
        seen = Buffer.concat([seen, Buffer.from(value)]);
        if (seen.includes('mdat')) fragMs = performance.now() - t0;
      }
    }
    return { ms, fragMs, total: performance.now() - t0, cache: res.headers.get('x-preview-cache') ?? '?' };
  };
  const miss: number[] = [];
  const missFrag: number[] = [];
  const missTotal: number[] = [];
  const hit: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // A window across the first crossfade; each round another start, so the miss is a real miss.
    const m = await firstByte(7000 + r * 100);
    if (m.cache !== 'miss') throw new Error(`expected a cache miss, got ${m.cache}`);
    miss.push(m.ms);
    missFrag.push(m.fragMs);
    missTotal.push(m.total);
    await new Promise((res) => setTimeout(res, 300));
    hit.push((await firstByte(7000 + r * 100)).ms);
  }
  console.log(
    `preview 5 s window, first bytes: miss ${median(miss).toFixed(0)} ms, first fragment ${median(missFrag).toFixed(0)} ms, ` +
      `whole window ${median(missTotal).toFixed(0)} ms; ` +
      `hit ${median(hit).toFixed(0)} ms (target < 1000 ms)`,
  );
  await app.close();
  await services.close();
}

async function chunkedVsSingle(): Promise<void> {
  const run = async (chunkMs: number, n: number): Promise<number> => {
    // A fresh data dir per run: finished segments are cached by key and must not be reused across runs.
    const { services, ids } = await fresh(`chunks-${chunkMs}-${n}`);
    const handler = createRenderJobHandler({ services, chunkMs });
    const job = {
      id: `job_bench_${chunkMs}_${n}`,
      params: { timeline: referenceEdit(ids), profile } satisfies RenderJobParams,
    } as unknown as JobRecord<RenderJobParams, RenderJobResult>;
    const tools: JobHandlerTools = {
      signal: new AbortController().signal,
      reportProgress: () => undefined,
      checkpoint: null,
      saveCheckpoint: async () => undefined,
      attempt: 1,
      ctx,
    };
    try {
      const t0 = performance.now();
      const result = await handler(job, tools);
      const s = (performance.now() - t0) / 1000;
      if (chunkMs < 60_000 && result.chunks < 2) throw new Error('expected a chunked render');
      return s;
    } finally {
      await services.close();
    }
  };
  const single: number[] = [];
  const chunked: number[] = [];
  for (let r = 0; r < rounds; r++) {
    single.push(await run(600_000, r));
    chunked.push(await run(10_000, r));
  }
  const [s, c] = [median(single), median(chunked)];
  console.log(
    `reference edit (${profile}): single ${s.toFixed(2)} s, chunked (10 s chunks) ${c.toFixed(2)} s, ratio ${(c / s).toFixed(3)} (target ≤ 1.10)`,
  );
}

mkdirSync(DIR, { recursive: true });
const only = arg('--only'); // proxies | preview | chunks
if (!only || only === 'proxies') await proxySpeed();
if (!only || only === 'preview') await previewLatency();
if (!only || only === 'chunks') await chunkedVsSingle();
