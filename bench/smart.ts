/**
 * `npm run bench -- smart [--minutes N] [--cuts C]`: cutroom's smart render vs cutroom's full render vs ONE
 * hand-written ffmpeg re-encode (the same x264/AAC settings as the profile) of the same cut-only edit, all in the
 * same run.
 *
 * Source: N minutes (default 10) of 1080p30 H.264, testsrc2 + a 440 Hz tone, x264 High, long-GOP IPB: closed
 * 1 s GOPs (-g 30, no scene cuts) with up to 3 B-frames in a pyramid, like a phone or a camera's "long GOP"
 * mode. Generated once, under `nice`, at x264 veryfast (the source encode is not measured) and cached in
 * .cache/bench/smart. Edit: C cuts (default 60) keeping 70 % — C + 1 kept ranges at deterministic pseudo-random
 * positions — at profile social_1080p_h264 (x264 medium CRF 20, AAC 192k, loudness −14 LUFS).
 *
 * Order: smart, hand-written, full (the target's two first). Prints: wall time and CPU time (user + sys of
 * this process and its ffmpeg children) of each, the 1/5/15-minute load averages, the ratios (target smart / hand-written ≤ 0.2), where the smart render's time went
 * (packet index, patches, audio, join), frames copied vs encoded, the decode-error check of the smart output
 * (`ffmpeg -v error -i OUT -f null -` must print nothing), its frame count against the plan's and the full
 * render's, and the load averages before and after every step.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ffmpegPath, ffprobePath } from '../src/ffmpeg/binaries.js';
import { runFfmpeg } from '../src/ffmpeg/run.js';
import { createServices } from '../src/media/services.js';
import { prepareRender } from '../src/render/prepare-render.js';
import { renderToFile } from '../src/render/render-to-file.js';
import { smartRenderToFile } from '../src/render/smart-render.js';
import { parseTimeline } from '../src/timeline/index.js';

const DIR = resolve('.cache/bench/smart');
function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}
const minutes = arg('--minutes', 10);
/** `--only smart,hand`: run only these of smart, full, hand (a loaded machine cannot run all three in time). */
const onlyAt = process.argv.indexOf('--only');
const only = new Set(onlyAt > 0 ? process.argv[onlyAt + 1]!.split(',') : ['smart', 'full', 'hand']);
const cuts = arg('--cuts', 60);
const totalMs = minutes * 60_000;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/**
 * CPU seconds used so far by this process and its waited-for children (ffmpeg, ffprobe): user + sys. Children
 * from /proc/self/stat (cutime, cstime, in clock ticks of 1/100 s on Linux), NaN elsewhere. CPU time is what
 * a loaded machine inflates least: other sessions stretch the wall time, not the work done.
 */
function cpuSeconds(): number {
  const self = process.cpuUsage();
  let children = NaN;
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // After "pid (comm) ": field 3 is state, so cutime (16) and cstime (17) are at 13 and 14.
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    // not Linux
  }
  return (self.user + self.system) / 1e6 + children;
}
const cpuFmt = (cpu: number, wall: number) => `CPU ${cpu.toFixed(1)} s (${(cpu / wall).toFixed(2)} cores)`;

/** The source, generated once at low priority (not measured). */
async function makeSource(): Promise<string> {
  const src = join(DIR, `source-${minutes}min-g30.mp4`);
  if (existsSync(src)) return src;
  const tmp = `${src}.partial.mp4`;
  console.log(`generating the ${minutes}-minute source (once, under nice) ...`);
  const t0 = performance.now();
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(
      'nice',
      [
        ...['-n', '10', ffmpegPath(), '-hide_banner', '-nostdin', '-nostats', '-v', 'error', '-y'],
        ...['-f', 'lavfi', '-i', `testsrc2=s=1920x1080:r=30:d=${minutes * 60}`],
        ...['-f', 'lavfi', '-i', `sine=f=440:sample_rate=48000:d=${minutes * 60}`],
        ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p'],
        ...['-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-bf', '3'],
        ...['-c:a', 'aac', '-b:a', '128k', '-f', 'mp4', tmp],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0) throw new Error(`source generation failed (exit ${code})`);
  renameSync(tmp, src);
  console.log(`  generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return src;
}

function videoPackets(file: string): number {
  const r = spawnSync(
    ffprobePath(),
    [
      ...['-v', 'error', '-select_streams', 'v:0', '-count_packets'],
      ...['-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file],
    ],
    { encoding: 'utf8' },
  );
  return Number(r.stdout.trim());
}

async function main(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const src = await makeSource();
  // cuts + 1 kept ranges, 30 % removed in `cuts` gaps; positions jittered by a fixed LCG (same edit every run).
  let seed = 17;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = cuts + 1;
  const slot = totalMs / n;
  const gap = (0.3 * totalMs) / cuts;
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const a = Math.round(i * slot + (i === 0 ? 0 : gap / 2 + rand() * 200));
    const b = Math.round(i === n - 1 ? totalMs - 100 : (i + 1) * slot - gap / 2 - rand() * 200);
    ranges.push([a, b]);
  }
  const keptMs = ranges.reduce((s, [a, b]) => s + b - a, 0);

  const dataDir = join(DIR, 'data');
  rmSync(dataDir, { recursive: true, force: true });
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
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ffmpeg ${ffmpegVersion()}`);
  console.log(
    `source ${minutes} min 1080p30 H.264 (1 s closed GOPs, B-frames), ${cuts} cuts, ${ranges.length} kept ranges, ${((keptMs / totalMs) * 100).toFixed(1)} % kept, profile social_1080p_h264`,
  );

  // --- smart render ------------------------------------------------------------------------------------------
  const smartOut = join(DIR, 'smart.mp4');
  const fullOut = join(DIR, 'full.mp4');
  let smartS = NaN;
  let fullS = NaN;
  let handS = NaN;
  let smartCpu = NaN;
  let fullCpu = NaN;
  let handCpu = NaN;
  let expected = NaN;
  if (only.has('smart')) {
    console.log(`load before smart: ${load()}`);
    const phases: Array<[string, number]> = [];
    let phase = '';
    const t0 = performance.now();
    const c0 = cpuSeconds();
    const smart = await smartRenderToFile({
      services,
      ctx,
      timeline,
      profile: 'social_1080p_h264',
      output: smartOut,
      onProgress: (_f, detail) => {
        const p = String(detail.phase);
        if (p !== phase) {
          phases.push([p, performance.now() - t0]);
          phase = p;
        }
      },
    });
    smartS = (performance.now() - t0) / 1000;
    smartCpu = cpuSeconds() - c0;
    expected = smart.meta.frame_count;
    const m = smart.meta.smart;
    console.log(
      `smart render: ${smartS.toFixed(1)} s wall, ${cpuFmt(smartCpu, smartS)}, ${m.frames_copied}/${m.frames_total} frames copied (${m.copied_percent} %), ${m.copy_segments} copies + ${m.encode_segments} patches in ${m.patch_runs ?? 0} ffmpeg runs, load ${load()}`,
    );
    // Each phase reports as it starts; it ends where the next starts.
    const marks = [...phases.map(([p, at]) => [p, at / 1000] as const), ['end', smartS] as const];
    const spans = [`prepare + packet index + plan ${(marks[0]?.[1] ?? 0).toFixed(1)} s`];
    for (let i = 0; i + 1 < marks.length; i++)
      if (marks[i]![0] !== 'done')
        spans.push(`${marks[i]![0]} ${(marks[i + 1]![1] - marks[i]![1]).toFixed(1)} s`);
    console.log(`  where the time went (progress marks): ${spans.join(', ')}`);
  }

  // --- hand-written: one ffmpeg, select the kept ranges, the same encoder settings as social_1080p_h264 ----------
  if (only.has('hand')) {
    console.log(`load before hand-written: ${load()}`);
    const sel = ranges.map(([a, b]) => `between(t,${a / 1000},${(b - 1) / 1000})`).join('+');
    const handOut = join(DIR, 'hand.mp4');
    const t0 = performance.now();
    const c0 = cpuSeconds();
    await runFfmpeg({
      args: [
        ...['-i', src],
        ...['-vf', `select='${sel}',setpts=N/FRAME_RATE/TB`],
        ...['-af', `aselect='${sel}',asetpts=N/SR/TB,loudnorm=I=-14:TP=-1.5:LRA=11,aresample=48000`],
        ...['-c:v', 'libx264', '-preset', 'medium', '-crf', '20', '-profile:v', 'high', '-g', '60'],
        ...['-pix_fmt', 'yuv420p', '-r', '30'],
        ...['-c:a', 'aac', '-b:a', '192k', '-ar', '48000', '-ac', '2', '-f', 'mp4'],
      ],
      output: handOut,
      stage: 'encode',
    });
    handS = (performance.now() - t0) / 1000;
    handCpu = cpuSeconds() - c0;
    console.log(
      `hand-written ffmpeg re-encode: ${handS.toFixed(1)} s wall, ${cpuFmt(handCpu, handS)}, load ${load()}, ${videoPackets(handOut)} frames`,
    );
    if (only.has('smart'))
      console.log(
        `smart / hand-written = ${(smartS / handS).toFixed(3)} wall, ${(smartCpu / handCpu).toFixed(3)} CPU (target <= 0.2)`,
      );
  }

  // The full render runs last: the target is smart / hand-written, printed as soon as both are measured.
  // --- full render -------------------------------------------------------------------------------------------
  if (only.has('full')) {
    console.log(`load before full: ${load()}`);
    const t0 = performance.now();
    const c0 = cpuSeconds();
    const full = await renderToFile({
      services,
      ctx,
      timeline,
      profile: 'social_1080p_h264',
      output: fullOut,
    });
    fullS = (performance.now() - t0) / 1000;
    fullCpu = cpuSeconds() - c0;
    expected = full.plan.meta.frame_count;
    console.log(`cutroom full render: ${fullS.toFixed(1)} s wall, ${cpuFmt(fullCpu, fullS)}, load ${load()}`);
  }

  if (only.has('smart') && only.has('hand'))
    console.log(
      `smart / hand-written = ${(smartS / handS).toFixed(3)} wall, ${(smartCpu / handCpu).toFixed(3)} CPU (target <= 0.2)`,
    );
  if (only.has('smart') && only.has('full'))
    console.log(
      `smart / cutroom full = ${(smartS / fullS).toFixed(3)} wall, ${(smartCpu / fullCpu).toFixed(3)} CPU`,
    );
  if (only.has('full') && only.has('hand'))
    console.log(
      `cutroom full / hand-written = ${(fullS / handS).toFixed(3)} wall, ${(fullCpu / handCpu).toFixed(3)} CPU`,
    );

  if (Number.isNaN(expected)) {
    const workDir = join(DIR, 'data', 'plan');
    mkdirSync(workDir, { recursive: true });
    const p = await prepareRender({ services, ctx, timeline, profile: 'social_1080p_h264', workDir });
    expected = p.plan.meta.frame_count;
  }

  // --- checks of the smart output (this run's or the last one's) --------------------------------------------
  let clean = true;
  let smartFrames = NaN;
  if (existsSync(smartOut)) {
    const check = spawnSync(ffmpegPath(), ['-v', 'error', '-i', smartOut, '-f', 'null', '-'], {
      encoding: 'utf8',
    });
    clean = check.stderr === '' && check.status === 0;
    console.log(
      `decode-error check (ffmpeg -v error -i smart.mp4 -f null -): ${clean ? 'prints nothing' : check.stderr.slice(0, 800)}`,
    );
    smartFrames = videoPackets(smartOut);
  }
  const fullFrames = existsSync(fullOut) && only.has('full') ? videoPackets(fullOut) : NaN;
  console.log(
    `frames: smart ${smartFrames}, full render ${fullFrames}, plan ${expected}: ${smartFrames === expected && (Number.isNaN(fullFrames) || fullFrames === expected) ? 'exact' : 'MISMATCH or not measured'}`,
  );
  console.log(`load after: ${load()}`);
  await services.close();
  if (!clean || (only.has('smart') && smartFrames !== expected)) process.exitCode = 1;
}

function ffmpegVersion(): string {
  const r = spawnSync(ffmpegPath(), ['-version'], { encoding: 'utf8' });
  return /ffmpeg version (\S+)/.exec(r.stdout)?.[1] ?? '?';
}

await main();
