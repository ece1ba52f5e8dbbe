// Stabilisation and slow motion on real footage not made by us.
// Run: node --import tsx bench/stabilise.ts [--no-slowmo] [--no-stabilise]
// Stabilise: cockatoo.mp4 (python3-imageio, hand-held phone, 1280x720 20 fps 14 s) and diver.mov
// (pd-extendedview, hand-held underwater, 640x480 25 fps 14 s): vidstabdetect time, vidstabtransform render
// time (x264 veryfast), and residual camera motion before vs after — mean per-frame shift (block-matching
// median of a 3x3 grid on 160x120 gray frames, see src/engines/stabilise/measure-motion.ts) and jitter (distance
// of the camera path from its ±15-frame moving average). The baseline is the unstabilised input, measured in
// the same run; the ratio after/before is printed. The measured render has vidstab's automatic zoom off (zoom
// magnifies residual shifts); the timed render is the default one.
// Slow motion: each slowmo_quality at 1280x720 and 1920x1080 on 1 s of cockatoo (20 fps) at speed 0.5 onto a
// 20 fps grid (40 output frames, half of them made), output frames per second of wall time, and PSNR of medium
// (half size) vs a full-size interpolation with the same settings (medium_full).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDetectParams } from '../src/engines/stabilise/detect-params.js';
import { detectTransforms } from '../src/engines/stabilise/detect-transforms.js';
import { measureMotion } from '../src/engines/stabilise/measure-motion.js';
import { renderStabilised } from '../src/engines/stabilise/render-stabilised.js';
import { capture, inputUrl, probeMedia, runFfmpeg } from '../src/ffmpeg/index.js';
import { DEFAULT_STABILISE_PARAMS, stabiliseFilter } from '../src/plan/stabilise/index.js';
import { slowmoFilter, SLOWMO_QUALITIES } from '../src/plan/slowmo/index.js';

const SOURCES = [
  '/usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4',
  '/usr/share/doc/pd-extendedview/media/diver.mov',
];

const f2 = (x: number): string => x.toFixed(2);

async function stabiliseBench(source: string, dir: string): Promise<void> {
  const info = await probeMedia({ path: source });
  const v = info.video!;
  const trf = join(dir, 'bench.trf');
  const d = await detectTransforms({ source, output: trf, params: resolveDetectParams({}) });
  const timed = await renderStabilised({
    source,
    transformsPath: trf,
    output: join(dir, 'stable.mp4'),
    params: DEFAULT_STABILISE_PARAMS,
    hasAudio: false,
    backend: 'bench',
  });
  const { filter } = stabiliseFilter({
    ...DEFAULT_STABILISE_PARAMS,
    transformsPath: trf,
    clipPath: 'bench',
    clipId: 'bench',
    backend: 'bench',
    optimalZoom: false,
  });
  const measured = join(dir, 'measured.mkv');
  await runFfmpeg({
    args: ['-i', inputUrl(source), '-map', '0:v:0', '-vf', filter, '-c:v', 'ffv1'],
    output: measured,
    stage: 'encode',
  });
  const size = { sourceWidth: v.display_width, sourceHeight: v.display_height };
  const before = await measureMotion({ path: source, ...size });
  const after = await measureMotion({ path: measured, ...size });
  const seconds = v.duration_ms / 1000;
  console.log(
    `stabilise ${source.split('/').pop()} ${v.display_width}x${v.display_height} ${f2(seconds)} s: ` +
      `detect ${f2(d.elapsedMs / 1000)} s (${f2(seconds / (d.elapsedMs / 1000))}x realtime), ` +
      `render ${f2(timed.elapsedMs / 1000)} s (${f2(seconds / (timed.elapsedMs / 1000))}x realtime)`,
  );
  console.log(
    `  mean |dx| ${f2(before.mean_abs_dx)} -> ${f2(after.mean_abs_dx)} px/frame, ` +
      `mean |dy| ${f2(before.mean_abs_dy)} -> ${f2(after.mean_abs_dy)}, ` +
      `shift ${f2(before.mean_shift)} -> ${f2(after.mean_shift)} (ratio ${f2(after.mean_shift / before.mean_shift)}), ` +
      `jitter ${f2(before.jitter)} -> ${f2(after.jitter)} px (ratio ${f2(after.jitter / before.jitter)})`,
  );
}

async function frames(path: string): Promise<number> {
  const r = await capture({
    binary: 'ffprobe',
    args: [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=nb_read_frames',
      '-of',
      'csv=p=0',
      path,
    ],
  });
  return Number(r.stdout.toString('utf8').trim());
}

async function slowmoBench(source: string, dir: string): Promise<void> {
  for (const [w, h] of [
    [1280, 720],
    [1920, 1080],
  ] as const) {
    const clip = join(dir, `src_${w}.mkv`);
    await runFfmpeg({
      args: [
        '-ss',
        '3',
        '-t',
        '1',
        '-i',
        inputUrl(source),
        '-an',
        '-vf',
        `scale=${w}:${h},setsar=1`,
        '-c:v',
        'ffv1',
      ],
      output: clip,
      stage: 'encode',
    });
    const outs: Record<string, string> = {};
    for (const quality of [...SLOWMO_QUALITIES, 'medium_full'] as const) {
      const s = slowmoFilter({
        quality: quality === 'medium_full' ? 'high' : quality,
        speed: 0.5,
        fps: { num: 20, den: 1 },
        width: w,
        height: h,
        clipPath: 'bench',
        clipId: 'bench',
        hasMinterpolate: true,
        maxInterpolatePixels: Number.POSITIVE_INFINITY,
      });
      const filter =
        quality === 'medium_full'
          ? 'minterpolate=fps=20/1:mi_mode=mci:mc_mode=obmc:me_mode=bilat:scd=fdiff:scd_threshold=5'
          : s.filter;
      const out = join(dir, `${quality}_${w}.mkv`);
      const r = await runFfmpeg({
        args: ['-i', inputUrl(clip), '-vf', `setpts=2*(PTS-STARTPTS),${filter},fps=20/1`, '-c:v', 'ffv1'],
        output: out,
        stage: 'encode',
      });
      outs[quality] = out;
      const n = await frames(out);
      console.log(
        `slowmo ${quality} ${w}x${h}: ${n} frames in ${f2(r.elapsedMs / 1000)} s = ${f2(n / (r.elapsedMs / 1000))} fps`,
      );
    }
    const psnr = await capture({
      binary: 'ffmpeg',
      args: [
        '-hide_banner',
        '-i',
        outs.medium!,
        '-i',
        outs.medium_full!,
        '-lavfi',
        'psnr',
        '-f',
        'null',
        '-',
      ],
    });
    const m = /average:([\d.inf]+)/.exec(psnr.stderrTail);
    console.log(`slowmo medium (half size) vs full-size obmc/bilat ${w}x${h}: PSNR ${m?.[1] ?? '?'} dB`);
  }
}

const dir = await mkdtemp(join(tmpdir(), 'cutroom-bench-stab-'));
try {
  console.log(`machine: ${availableParallelism()} cores, load ${loadavg().map(f2).join(' ')}`);
  for (const s of process.argv.includes('--no-stabilise') ? [] : SOURCES) {
    if (existsSync(s)) await stabiliseBench(s, dir);
    else console.log(`missing ${s}`);
  }
  if (!process.argv.includes('--no-slowmo') && existsSync(SOURCES[0]!)) await slowmoBench(SOURCES[0]!, dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}
