// Output formats and Ken Burns (issue 15).
// Run: npm run bench -- outputs [--runs N]
// 1. GIF and WebM (VP9) of a 4 s 1280x720 testsrc2 clip through cutroom's plan vs ONE hand-written ffmpeg command
//    for the same output (same size, rate, codec settings): median wall time of N runs each and the ratio
//    (target <= 1.1), measured alternately in the same run.
// 2. Ken Burns (motion ken_burns_in) on a 4000x3000 JPEG to 1920x1080 for 5 s: wall time and peak RSS of ffmpeg
//    (GNU time), against a hand-written zoompan command on the full-size photo as the baseline.
// Prints the 1-minute load average: the machine is shared, so figures taken under load say so. Each figure also
// has its CPU time (user + sys of ffmpeg, GNU time) and the CPU-time ratio, which load inflates far less.
// --no-ken-burns runs only part 1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeMedia } from '../src/ffmpeg/probe.js';
import { compile } from '../src/plan/compile.js';
import { OutputOptionsSchema } from '../src/plan/output/output-options.js';
import type { PlanSource } from '../src/plan/types.js';
import { parseTimeline } from '../src/timeline/index.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const dir = mkdtempSync(join(tmpdir(), 'cutroom-bench-outputs-'));

function timed(args: string[]): { ms: number; rssMb: number; cpuMs: number } {
  const t0 = performance.now();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%U %S %M', 'ffmpeg', '-v', 'error', '-nostdin', '-y', ...args],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(r.stderr.toString());
  const [user, sys, kb] = r.stderr.toString().trim().split('\n').pop()!.split(' ').map(Number) as [
    number,
    number,
    number,
  ];
  return { ms, rssMb: kb / 1024, cpuMs: (user + sys) * 1000 };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f2 = (x: number) => x.toFixed(2);

async function source(id: string, path: string): Promise<PlanSource> {
  return { asset_id: id, path, content_hash: id, info: await probeMedia({ path }) };
}

async function main(): Promise<void> {
  const clip = join(dir, 'src.mp4');
  timed([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=1280x720:r=30:d=4',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=4',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-c:a',
    'aac',
    '-shortest',
    clip,
  ]);
  const src = await source('a', clip);
  const timeline = parseTimeline({
    tracks: [{ id: 'v', kind: 'video', clips: [{ id: 'c', asset_id: 'a', start_ms: 0, out_ms: 4000 }] }],
  });
  const plan = (output: unknown, ext: string) =>
    compile({
      timeline,
      sources: { a: src },
      profile: 'preview_720p',
      work_dir: dir,
      output: OutputOptionsSchema.parse(output),
      output_extension: ext,
    });

  const cases = [
    {
      name: 'gif 480x270 15 fps',
      ours: [...plan({}, 'gif').args, join(dir, 'ours.gif')],
      hand: [
        '-i',
        clip,
        '-t',
        '4',
        '-an',
        '-filter_complex',
        '[0:v]fps=15,scale=480:270,format=rgb24,split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=sierra2_4a',
        '-loop',
        '0',
        join(dir, 'hand.gif'),
      ],
    },
    {
      name: 'webm vp9+opus 1280x720',
      ours: [...plan({}, 'webm').args, join(dir, 'ours.webm')],
      hand: [
        '-i',
        clip,
        '-t',
        '4',
        '-c:v',
        'libvpx-vp9',
        '-crf',
        '32',
        '-b:v',
        '0',
        '-deadline',
        'good',
        '-cpu-used',
        '4',
        '-row-mt',
        '1',
        '-g',
        '60',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'libopus',
        '-b:a',
        '128k',
        join(dir, 'hand.webm'),
      ],
    },
  ];
  for (const c of cases) {
    const ours: Array<ReturnType<typeof timed>> = [];
    const hand: Array<ReturnType<typeof timed>> = [];
    const loadBefore = loadavg()[0]!;
    for (let i = 0; i < runs; i++) {
      ours.push(timed(c.ours));
      hand.push(timed(c.hand));
    }
    const o = median(ours.map((x) => x.ms));
    const h = median(hand.map((x) => x.ms));
    const oc = median(ours.map((x) => x.cpuMs));
    const hc = median(hand.map((x) => x.cpuMs));
    console.log(
      `${c.name}, 4 s: cutroom ${f2(o / 1000)} s, hand-written ffmpeg ${f2(h / 1000)} s, ratio ${f2(o / h)}; ` +
        `CPU time ${f2(oc / 1000)} s vs ${f2(hc / 1000)} s, CPU ratio ${f2(oc / hc)} ` +
        `(median of ${runs}; load ${f2(loadBefore)} -> ${f2(loadavg()[0]!)})`,
    );
  }
  if (process.argv.includes('--no-ken-burns')) return;

  // Ken Burns on a 4000x3000 photo.
  const photo = join(dir, 'photo.jpg');
  timed(['-f', 'lavfi', '-i', 'testsrc2=s=4000x3000:r=1', '-frames:v', '1', '-q:v', '3', photo]);
  const kb = compile({
    timeline: parseTimeline({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [{ id: 'p', asset_id: 'p', start_ms: 0, duration_ms: 5000, motion: 'ken_burns_in' }],
        },
      ],
    }),
    sources: { p: await source('p', photo) },
    profile: 'preview_720p',
    work_dir: dir,
    output: OutputOptionsSchema.parse({ width: 1920, height: 1080 }),
    output_extension: 'mp4',
  });
  const ours = timed([...kb.args, join(dir, 'kb.mp4')]);
  // Baseline: zoompan straight on the full-size photo (the common hand-written recipe), same encoder settings.
  const hand = timed([
    '-loop',
    '1',
    '-framerate',
    '30',
    '-t',
    '5',
    '-i',
    photo,
    '-vf',
    "zoompan=z='1+0.15*on/149':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=1:s=1920x1080:fps=30,format=yuv420p",
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '26',
    join(dir, 'kb-hand.mp4'),
  ]);
  console.log(
    `ken burns 4000x3000 -> 1920x1080, 5 s: cutroom ${f2(ours.ms / 1000)} s, peak RSS ${ours.rssMb.toFixed(0)} MB; ` +
      `hand-written zoompan on the full photo ${f2(hand.ms / 1000)} s, ${hand.rssMb.toFixed(0)} MB; ` +
      `time ratio ${f2(ours.ms / hand.ms)} (load ${f2(loadavg()[0]!)})`,
  );
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
