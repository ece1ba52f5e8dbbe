/**
 * `npm run bench -- smart [--minutes N]`: smart render vs one hand-written ffmpeg re-encode (same x264/AAC
 * settings as the profile) of the same cut-only edit, in the same run. Source: N minutes (default 10) of 1080p30
 * H.264 (testsrc2 + tone, x264 veryfast, 1 s closed GOPs with B-frames, like a phone), cached in
 * .cache/bench/smart. Edit: 60 cuts keeping 70 % (61 kept ranges at deterministic pseudo-random positions),
 * profile social_1080p_h264. Prints wall times, the ratio smart / hand-written (target ≤ 0.2), copied percent,
 * the decode-error check of the smart output, and the 1-minute load average.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runFfmpeg } from '../src/ffmpeg/run.js';
import { ffmpegPath } from '../src/ffmpeg/binaries.js';
import { createServices } from '../src/media/services.js';
import { smartRenderToFile } from '../src/render/smart-render.js';
import { parseTimeline } from '../src/timeline/index.js';

const DIR = resolve('.cache/bench/smart');
const at = process.argv.indexOf('--minutes');
const minutes = at > 0 ? Number(process.argv[at + 1]) : 10;
const totalMs = minutes * 60_000;

async function main(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const src = join(DIR, `source-${minutes}min.mp4`);
  if (!existsSync(src)) {
    await runFfmpeg({
      args: [
        ...['-f', 'lavfi', '-i', `testsrc2=s=1920x1080:r=30:d=${minutes * 60}`],
        ...['-f', 'lavfi', '-i', `sine=f=440:sample_rate=48000:d=${minutes * 60}`],
        ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p'],
        ...['-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-bf', '3'],
        ...['-c:a', 'aac', '-b:a', '128k', '-f', 'mp4'],
      ],
      output: src,
      stage: 'encode',
    });
  }
  // 61 kept ranges, 30 % removed in 60 gaps; positions jittered by a fixed LCG (same edit every run).
  let seed = 17;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const slot = totalMs / 61;
  const gap = (0.3 * totalMs) / 60;
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < 61; i++) {
    const a = Math.round(i * slot + (i === 0 ? 0 : gap / 2 + rand() * 200));
    const b = Math.round(i === 60 ? totalMs - 100 : (i + 1) * slot - gap / 2 - rand() * 200);
    ranges.push([a, b]);
  }
  const keptMs = ranges.reduce((n, [a, b]) => n + b - a, 0);

  const dataDir = join(DIR, 'data');
  const services = await createServices({ dataDir });
  await services.tenants.ensureLocalTenant();
  const ctx = { tenantId: 'local', env: 'dev', requestId: 'bench-smart' };
  const id = (await services.assets.registerAsset(ctx, { source: { path: src } })).asset.id;
  let t = 0;
  const timeline = parseTimeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: ranges.map(([a, b], i) => {
          const clip = { id: `k${i}`, asset_id: id, start_ms: t, in_ms: a, out_ms: b };
          t += b - a;
          return clip;
        }),
      },
    ],
  });
  console.log(
    `source ${minutes} min 1080p30, ${ranges.length} kept ranges, ${((keptMs / totalMs) * 100).toFixed(1)} % kept`,
  );
  console.log(`load average (1 min) before: ${loadavg()[0]!.toFixed(2)}`);

  const smartOut = join(DIR, 'smart.mp4');
  let t0 = performance.now();
  const smart = await smartRenderToFile({
    services,
    ctx,
    timeline,
    profile: 'social_1080p_h264',
    output: smartOut,
  });
  const smartS = (performance.now() - t0) / 1000;
  const m = smart.meta.smart;
  console.log(
    `smart render: ${smartS.toFixed(1)} s, ${m.frames_copied}/${m.frames_total} frames copied (${m.copied_percent} %), load ${loadavg()[0]!.toFixed(2)}`,
  );

  // Hand-written: one ffmpeg, select the kept ranges, same encoder settings as social_1080p_h264.
  const sel = ranges.map(([a, b]) => `between(t,${a / 1000},${(b - 1) / 1000})`).join('+');
  const handOut = join(DIR, 'hand.mp4');
  t0 = performance.now();
  await runFfmpeg({
    args: [
      ...['-i', src],
      ...['-vf', `select='${sel}',setpts=N/FRAME_RATE/TB`, '-af', `aselect='${sel}',asetpts=N/SR/TB`],
      ...[
        '-c:v',
        'libx264',
        '-preset',
        'medium',
        '-crf',
        '20',
        '-profile:v',
        'high',
        '-g',
        '60',
        '-pix_fmt',
        'yuv420p',
      ],
      ...['-c:a', 'aac', '-b:a', '192k', '-ar', '48000', '-ac', '2', '-r', '30', '-f', 'mp4'],
    ],
    output: handOut,
    stage: 'encode',
  });
  const handS = (performance.now() - t0) / 1000;
  console.log(`hand-written ffmpeg re-encode: ${handS.toFixed(1)} s, load ${loadavg()[0]!.toFixed(2)}`);
  console.log(`smart / hand-written = ${(smartS / handS).toFixed(3)} (target <= 0.2)`);
  const check = spawnSync(ffmpegPath(), ['-v', 'error', '-i', smartOut, '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  console.log(
    `decode-error check of the smart output: ${check.stderr.trim() === '' && check.status === 0 ? 'clean' : check.stderr.slice(0, 500)}`,
  );
  await services.close();
}

await main();
