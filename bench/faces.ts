// Face regions and anonymise cost on real footage (Megamind.avi from opencv-doc).
// Run: node --import tsx bench/faces.ts [rounds]   (rounds of the anonymise/re-encode comparison, default 2)
// Prints:
//   1. detector ms per frame at 640×360 (BlazeFace only, frames decoded beforehand);
//   2. whole-file face regions of a 60 s 1080p30 clip at 5 samples/s with tracking (target ≤ 10 s on 2 cores),
//      next to ffmpeg's decode-only time of the same file (the floor for any analysis that sees every frame);
//   3. anonymise (blur, medium) vs a plain re-encode with the same encoder settings (target ratio ≤ 1.5),
//      alternating runs so machine-load drift hits both alike; medians.
// Wall times swing with other load on a shared machine; CPU times (this process + ffmpeg children) show the
// work itself, so both are printed, and the ratios of both.
// The 60 s clip (Megamind scaled to 1080p, pillarboxed, looped, AAC audio) is made once under .cache/bench/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ANONYMISE_VIDEO_CODEC_ARGS,
  anonymiseAudioArgs,
  renderAnonymised,
} from '../src/engines/anonymise/render-anonymised.js';
import { analyzeFaces } from '../src/engines/regions/analyze.js';
import { frameGeometry } from '../src/engines/regions/frame-geometry.js';
import { selectFaceBackend } from '../src/engines/regions/select-backend.js';
import { readFrames } from '../src/ffmpeg/frames.js';
import { probeMedia } from '../src/ffmpeg/probe.js';
import { runFfmpeg } from '../src/ffmpeg/run.js';

const MEGAMIND = '/usr/share/doc/opencv-doc/examples/data/Megamind.avi';
const CACHE = resolve('.cache/bench');
const ROUNDS = Number(process.argv[2] ?? 2);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** CPU ms of this process and its waited-for children (ffmpeg), from /proc/self/stat (10 ms ticks). */
function cpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
  } catch {
    return NaN;
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const c0 = cpuMs();
  const t0 = performance.now();
  const value = await fn();
  return { value, wallMs: performance.now() - t0, cpuMs: cpuMs() - c0 };
}

async function clip1080p(): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const out = join(CACHE, 'faces-megamind-1080p30-60s-v1.mp4');
  if (existsSync(out)) return out;
  process.stderr.write(`generating ${out} (one-off, a minute or two)\n`);
  const tmp = `${out}.tmp.mp4`;
  await runFfmpeg({
    stage: 'encode',
    args: [
      '-stream_loop',
      '5',
      '-i',
      MEGAMIND,
      '-t',
      '60',
      '-vf',
      'scale=-2:1080:flags=bicubic,pad=1920:1080:(ow-iw)/2:0,setsar=1,fps=30,format=yuv420p',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '20',
      '-g',
      '60',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
    ],
    output: tmp,
  });
  renameSync(tmp, out);
  return out;
}

async function main(): Promise<void> {
  if (!existsSync(MEGAMIND)) throw new Error(`${MEGAMIND} missing (apt install opencv-doc)`);
  const selected = await selectFaceBackend();
  if (selected.backend.stub) throw new Error('BlazeFace model missing: bash scripts/fetch-models.sh');
  const { backend } = selected;

  // 1. Detector only, 640×360 frames.
  const frames: Buffer[] = [];
  for await (const f of readFrames({ path: MEGAMIND, width: 640, height: 360, pixFmt: 'rgb24', fps: 2 }))
    frames.push(Buffer.from(f.data));
  for (const data of frames.slice(0, 3)) await backend.detect({ data, width: 640, height: 360 }); // warm-up
  const per: number[] = [];
  for (let round = 0; round < 3; round++)
    for (const data of frames) {
      const t0 = performance.now();
      await backend.detect({ data, width: 640, height: 360 });
      per.push(performance.now() - t0);
    }
  const detectMs = median(per);
  console.log(
    `detector (${backend.version}): ${detectMs.toFixed(1)} ms/frame at 640x360 (median of ${per.length})`,
  );

  // 2. Whole file, 5 samples/s with tracking, vs decode-only.
  const path = await clip1080p();
  const info = await probeMedia({ path });
  const decode = await timed(() =>
    runFfmpeg({ stage: 'encode', args: ['-i', path, '-map', '0:v:0', '-f', 'null', '-'] }),
  );
  const analysis = await timed(() => analyzeFaces({ path, info, intervalMs: 200, backend }));
  const { summary } = analysis.value;
  const samples = summary.samples.length;
  console.log(
    `face regions, 60 s 1080p30 at 5 samples/s: ${fmt(analysis.wallMs)} wall, ${fmt(analysis.cpuMs)} cpu ` +
      `(${samples} samples, ${summary.tracks.length} tracks; target ≤ 10 s) | decode-only ${fmt(decode.wallMs)} wall, ` +
      `${fmt(decode.cpuMs)} cpu | ratio to decode ${(analysis.wallMs / decode.wallMs).toFixed(2)}`,
  );

  // 3. Anonymise vs plain re-encode, alternating.
  const geometry = frameGeometry(info)!;
  const work = mkdtempSync(join(tmpdir(), 'cutroom-bench-faces-'));
  const plain: number[] = [];
  const anon: number[] = [];
  const plainCpu: number[] = [];
  const anonCpu: number[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const p = await timed(() =>
        runFfmpeg({
          stage: 'encode',
          args: [
            '-i',
            path,
            '-map',
            '0:v:0',
            ...anonymiseAudioArgs(info, false),
            ...ANONYMISE_VIDEO_CODEC_ARGS,
            '-pix_fmt',
            'yuv420p',
            '-movflags',
            '+faststart',
            '-f',
            'mp4',
          ],
          output: join(work, 'plain.mp4'),
        }),
      );
      plain.push(p.wallMs);
      plainCpu.push(p.cpuMs);
      const a = await timed(() =>
        renderAnonymised({
          source: path,
          info,
          geometry,
          summary,
          method: 'blur',
          strength: 'medium',
          include: ['face'],
          feather: 0.3,
          workDir: work,
          output: join(work, 'anon.mp4'),
        }),
      );
      anon.push(a.wallMs);
      anonCpu.push(a.cpuMs);
      console.log(`  round ${r + 1}: re-encode ${fmt(p.wallMs)}, anonymise ${fmt(a.wallMs)}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const pm = median(plain);
  const am = median(anon);
  console.log(
    `anonymise (blur medium, ${ANONYMISE_VIDEO_CODEC_ARGS.join(' ')}): ${fmt(am)} wall (${fmt(median(anonCpu))} cpu) ` +
      `vs re-encode ${fmt(pm)} wall (${fmt(median(plainCpu))} cpu) | ratio ${(am / pm).toFixed(2)} (target ≤ 1.5), ` +
      `cpu ratio ${(median(anonCpu) / median(plainCpu)).toFixed(2)}`,
  );
}

await main();
