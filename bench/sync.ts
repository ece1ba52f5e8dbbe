// Multicam sync on two 30-minute recordings: decode time and correlation time, against a 3 s target.
// Run: node --import tsx bench/sync.ts [--unrelated]. The tracks are built once from pocketsphinx-testdata speech
// (chunks in seeded-random order, gain and gaps, so the 30 minutes never repeat exactly), encoded as 48 kHz AAC
// and cached under .cache/bench/. The second camera starts 7345.25 ms later and has its own noise (20 dB SNR).
// --unrelated also aligns two different 30-minute compositions and prints their PSR (threshold calibration).
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { estimateOffset, DEFAULT_PSR_THRESHOLD } from '../src/engines/multicam/estimate-offset.js';
import { SYNC_SAMPLE_RATE } from '../src/engines/multicam/align-recordings.js';
import { FFT_BACKEND } from '../src/engines/multicam/fft.js';
import { readPcm } from '../src/ffmpeg/frames.js';
import { runFfmpeg } from '../src/ffmpeg/run.js';

const CACHE = resolve('.cache/bench');
const RATE = 16000;
const MINUTES = 30;
const OFFSET_MS = 7345.25;
const TARGET_MS = 3000;
const SOURCES = [
  ...[870, 880, 890, 920, 930].map(
    (n) => `/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0${n}.wav`,
  ),
  ...[1, 2, 3, 4, 5].map((n) => `/usr/share/pocketsphinx/test/data/cards/00${n}.wav`),
];

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(next(), 1e-12))) * Math.cos(2 * Math.PI * next());
}

/** 30 minutes of speech chunks in seeded order with random gain and gaps. */
function compose(speech: Float32Array, seed: number): Float32Array {
  const next = prng(seed);
  const out = new Float32Array(MINUTES * 60 * RATE + RATE * 10);
  let pos = 0;
  while (pos < out.length) {
    const len = Math.floor((2 + 4 * next()) * RATE);
    const from = Math.floor(next() * (speech.length - len));
    const gain = 0.4 + 0.6 * next();
    for (let i = 0; i < len && pos + i < out.length; i++) out[pos + i] = speech[from + i]! * gain;
    pos += len + Math.floor((0.2 + 1.3 * next()) * RATE);
  }
  return out;
}

function writeWav(path: string, samples: Float32Array): void {
  const buf = Buffer.alloc(44 + samples.length * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + samples.length * 2, 4);
  buf.write('WAVEfmt ', 8, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(RATE, 24);
  buf.writeUInt32LE(RATE * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++)
    buf.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32767))), 44 + 2 * i);
  writeFileSync(path, buf);
}

async function encode(wav: string, out: string): Promise<void> {
  const tmp = `${out}.tmp.m4a`;
  await runFfmpeg({
    args: ['-y', '-i', wav, '-ar', '48000', '-c:a', 'aac', '-b:a', '128k', tmp],
    output: tmp,
    stage: 'encode',
  });
  renameSync(tmp, out);
}

async function tracks(): Promise<{ ref: string; cam: string; other: string }> {
  mkdirSync(CACHE, { recursive: true });
  const ref = resolve(CACHE, `sync-ref-${MINUTES}min.m4a`);
  const cam = resolve(CACHE, `sync-cam-${MINUTES}min.m4a`);
  const other = resolve(CACHE, `sync-other-${MINUTES}min.wav`);
  if (existsSync(ref) && existsSync(cam) && existsSync(other)) return { ref, cam, other };
  const parts = await Promise.all(SOURCES.map((path) => readPcm({ path, sampleRate: RATE })));
  const speech = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    speech.set(p, at);
    at += p.length;
  }
  const master = compose(speech, 1);
  const total = MINUTES * 60 * RATE;
  const shift = Math.round((OFFSET_MS / 1000) * RATE);
  const refPcm = master.subarray(0, total);
  const camPcm = master.slice(shift, shift + total);
  let energy = 0;
  for (const v of camPcm) energy += v * v;
  const noiseRms = Math.sqrt(energy / camPcm.length) / 10; // 20 dB SNR
  const next = prng(2);
  for (let i = 0; i < camPcm.length; i++) camPcm[i]! += noiseRms * gaussian(next);
  const refWav = resolve(CACHE, 'sync-ref.tmp.wav');
  const camWav = resolve(CACHE, 'sync-cam.tmp.wav');
  writeWav(refWav, refPcm);
  writeWav(camWav, camPcm);
  await encode(refWav, ref);
  await encode(camWav, cam);
  rmSync(refWav);
  rmSync(camWav);
  writeWav(`${other}.tmp`, compose(speech, 3).subarray(0, total));
  renameSync(`${other}.tmp`, other);
  return { ref, cam, other };
}

const { ref, cam, other } = await tracks();
let t = performance.now();
const [refPcm, camPcm] = await Promise.all([
  readPcm({ path: ref, sampleRate: SYNC_SAMPLE_RATE }),
  readPcm({ path: cam, sampleRate: SYNC_SAMPLE_RATE }),
]);
const decodeMs = performance.now() - t;
t = performance.now();
// Correlation is single-threaded JS: its CPU time is what the wall time would be on an idle machine.
const cpuBefore = process.cpuUsage();
const est = estimateOffset({ ref: refPcm, cam: camPcm, sampleRate: SYNC_SAMPLE_RATE });
const correlateMs = performance.now() - t;
const correlateCpuMs = process.cpuUsage(cpuBefore).user / 1000;

console.log(
  `multicam sync, 2 × ${MINUTES} min (AAC 48 kHz → mono ${SYNC_SAMPLE_RATE} Hz), FFT: ${FFT_BACKEND}`,
);
// Timings on a shared machine mean little without the load they were taken under.
console.log(
  `  machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(
  `  result: ${est.status} offset ${est.offsetMs.toFixed(3)} ms (truth ${OFFSET_MS}, error ${Math.abs(est.offsetMs - OFFSET_MS).toFixed(3)} ms), drift ${est.driftPpm.toFixed(2)} ppm, PSR ${est.psr.toFixed(1)}, coarse ${est.coarse.sample_rate} Hz / FFT ${est.coarse.fft_size}, windows used ${est.windows.filter((w) => w.used).length}/${est.windows.length}`,
);
console.log(`  decode     ${decodeMs.toFixed(0)} ms (two ffmpeg processes in parallel)`);
console.log(
  `  correlate breakdown: decimate ${est.timings.decimate_ms} ms, coarse GCC-PHAT ${est.timings.coarse_ms} ms, fine windows ${est.timings.fine_ms} ms`,
);
console.log(
  `  correlate  ${correlateMs.toFixed(0)} ms  → ratio to ${TARGET_MS} ms target: ${(correlateMs / TARGET_MS).toFixed(2)}`,
);
console.log(
  `  correlate CPU time ${correlateCpuMs.toFixed(0)} ms  → ratio to ${TARGET_MS} ms target: ${(correlateCpuMs / TARGET_MS).toFixed(2)} (wall time on an idle core)`,
);
console.log(
  `  total      ${(decodeMs + correlateMs).toFixed(0)} ms  → ratio to ${TARGET_MS} ms target: ${((decodeMs + correlateMs) / TARGET_MS).toFixed(2)}`,
);
if (process.argv.includes('--unrelated')) {
  const otherPcm = await readPcm({ path: other, sampleRate: SYNC_SAMPLE_RATE });
  const u = estimateOffset({ ref: refPcm, cam: otherPcm, sampleRate: SYNC_SAMPLE_RATE });
  console.log(
    `  unrelated 30 min: ${u.status} PSR ${u.psr.toFixed(1)} (threshold ${DEFAULT_PSR_THRESHOLD}), window PSRs ${u.windows.map((w) => w.psr.toFixed(1)).join(' ')}`,
  );
}
