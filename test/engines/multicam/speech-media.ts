/**
 * Real speech recorded by others (Debian's pocketsphinx-testdata), turned into "camera" recordings with known
 * offsets, codecs, noise, reverb, sample rates and clock drift. Every file is cached under
 * .cache/test-media/multicam/ keyed by its exact generation spec, written to a temp name and renamed into place.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';
import { TEST_MEDIA_DIR } from '../../helpers/media.js';

const GENERATOR_VERSION = 1;
const DIR = join(TEST_MEDIA_DIR, 'multicam');
const DATA = '/usr/share/pocketsphinx/test/data';
/** Rate at which shifts and drift are applied: 5 µs steps, and 1 + 50e-6 of it is an integer (asetrate). */
export const SHIFT_RATE = 200_000;

export const LIBRIVOX = [870, 880, 890, 920, 930].map(
  (n) => `${DATA}/librivox/sense_and_sensibility_01_austen_64kb-0${n}.wav`,
);
export const CARDS = [1, 2, 3, 4, 5].map((n) => `${DATA}/cards/00${n}.wav`);
/** Headerless 16 kHz s16le. */
export const RAWS = ['goforward', 'numbers', 'something', 'tidigits/dhd.2934z'].map(
  (n) => `${DATA}/${n}.raw`,
);

export function speechAvailable(): boolean {
  return [...LIBRIVOX, ...CARDS, ...RAWS].every((p) => existsSync(p));
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`)),
    );
  });
}

const inflight = new Map<string, Promise<string>>();

function cached(
  name: string,
  ext: string,
  spec: unknown,
  make: (tmp: string) => Promise<void>,
): Promise<string> {
  const hash = createHash('sha256')
    .update(JSON.stringify({ v: GENERATOR_VERSION, name, ext, spec }))
    .digest('hex')
    .slice(0, 16);
  const finalPath = join(DIR, `${name}-${hash}.${ext}`);
  const existing = inflight.get(finalPath);
  if (existing) return existing;
  const promise = (async () => {
    if (existsSync(finalPath)) return finalPath;
    mkdirSync(DIR, { recursive: true });
    const tmp = join(DIR, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}-${name}.${ext}`);
    try {
      await make(tmp);
      renameSync(tmp, finalPath);
    } finally {
      rmSync(tmp, { force: true });
    }
    return finalPath;
  })();
  inflight.set(finalPath, promise);
  promise.catch(() => inflight.delete(finalPath));
  return promise;
}

/** The given speech files (wav, or headerless 16 kHz s16le .raw) concatenated into one 16 kHz mono wav. */
export function concatSpeech(name: string, files: string[]): Promise<string> {
  return cached(name, 'wav', files, async (tmp) => {
    const inputs = files.flatMap((f) =>
      f.endsWith('.raw') ? ['-f', 's16le', '-ar', '16000', '-ac', '1', '-i', f] : ['-i', f],
    );
    const labels = files.map((_, i) => `[${i}:a]aresample=16000,aformat=channel_layouts=mono[s${i}]`);
    const graph = `${labels.join(';')};${files.map((_, i) => `[s${i}]`).join('')}concat=n=${files.length}:v=0:a=1[out]`;
    await run(ffmpegPath(), [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      ...inputs,
      '-filter_complex',
      graph,
      '-map',
      '[out]',
      '-c:a',
      'pcm_s16le',
      tmp,
    ]);
  });
}

/** All test speech (≈46 s): the recording every synthetic camera is cut from. */
export function masterSpeech(): Promise<string> {
  return concatSpeech('speech-master', [...LIBRIVOX, ...CARDS, ...RAWS]);
}

/** Deterministic Gaussian noise (mulberry32 + Box–Muller). */
function gaussianNoise(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(next(), 1e-12);
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

function readWav16(buf: Buffer): { rate: number; samples: Int16Array } {
  // Our own ffmpeg-written wavs: find the "data" chunk rather than assuming a 44-byte header.
  const rate = buf.readUInt32LE(24);
  let pos = 12;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    if (id === 'data') {
      const bytes = Math.min(size, buf.length - pos - 8);
      const samples = new Int16Array(bytes >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(pos + 8 + 2 * i);
      return { rate, samples };
    }
    pos += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}

function writeWav16(path: string, rate: number, samples: Float64Array): void {
  const buf = Buffer.alloc(44 + samples.length * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + samples.length * 2, 4);
  buf.write('WAVEfmt ', 8, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) {
    buf.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32767))), 44 + 2 * i);
  }
  writeFileSync(path, buf);
}

/** The source played backwards: same speaker, same spectrum, nothing in common in time — unrelated audio. */
export function reversedSpeech(name: string, source: string): Promise<string> {
  return cached(name, 'wav', { source, reversed: true }, async (tmp) => {
    await run(ffmpegPath(), [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-i',
      source,
      '-af',
      'areverse',
      '-c:a',
      'pcm_s16le',
      tmp,
    ]);
  });
}

export interface CameraSpec {
  /** Source wav (16 kHz mono). */
  source: string;
  /** Where the recording starts in the source, ms (5 µs resolution). */
  startMs: number;
  /** Length of the recording, ms (default: to the end of the source). */
  durationMs?: number;
  /** White Gaussian noise added at this SNR (dB) against the source's RMS. */
  snrDb?: number;
  noiseSeed?: number;
  /** sox reverb [reverberance, HF damping, room scale]. */
  reverb?: [number, number, number];
  /** The recording's clock runs slow by this many ppm: t_source = t·(1 + ppm·1e-6) + start. */
  driftPpm?: number;
  /** Output sample rate. */
  rate: number;
  codec: 'pcm' | 'aac' | 'mp3' | 'opus';
  /** Encoded bitrate for lossy codecs, e.g. '96k'. */
  bitrate?: string;
}

const EXT: Record<CameraSpec['codec'], string> = { pcm: 'wav', aac: 'm4a', mp3: 'mp3', opus: 'ogg' };
const ENCODER: Record<CameraSpec['codec'], string[]> = {
  pcm: ['-c:a', 'pcm_s16le'],
  aac: ['-c:a', 'aac'],
  mp3: ['-c:a', 'libmp3lame'],
  opus: ['-c:a', 'libopus'],
};

/**
 * A camera recording cut from `source`: noise (JS, seeded) → reverb (sox) → upsample to 200 kHz, drift
 * (asetrate), exact sub-sample trim, resample to `rate`, encode. Its true offset against a recording cut at
 * `startMs = r` without drift is `startMs - r`.
 */
export function cameraRecording(name: string, spec: CameraSpec): Promise<string> {
  return cached(name, EXT[spec.codec], spec, async (tmp) => {
    const work = `${tmp}.work`;
    mkdirSync(work, { recursive: true });
    try {
      let src = spec.source;
      if (spec.snrDb !== undefined) {
        const { rate, samples } = readWav16(await readFile(src));
        let energy = 0;
        for (const v of samples) energy += (v / 32767) ** 2;
        const rms = Math.sqrt(energy / samples.length);
        const noise = gaussianNoise(samples.length, spec.noiseSeed ?? 1);
        const scale = rms / 10 ** (spec.snrDb / 20);
        const mixed = new Float64Array(samples.length);
        for (let i = 0; i < samples.length; i++) mixed[i] = samples[i]! / 32767 + noise[i]! * scale;
        src = join(work, 'noisy.wav');
        writeWav16(src, rate, mixed);
      }
      if (spec.reverb) {
        const out = join(work, 'reverb.wav');
        await run('sox', [src, out, 'reverb', ...spec.reverb.map(String)]);
        src = out;
      }
      const shiftSamples = Math.round((spec.startMs / 1000) * SHIFT_RATE);
      const filters = [`aresample=${SHIFT_RATE}`];
      if (spec.driftPpm) {
        const declared = SHIFT_RATE * (1 + spec.driftPpm * 1e-6);
        if (!Number.isInteger(Math.round(declared * 1e6) / 1e6))
          throw new Error('drift must give an integer rate');
        filters.push(`asetrate=${Math.round(declared)}`);
      }
      const trim = [`start_sample=${shiftSamples}`];
      if (spec.durationMs !== undefined)
        trim.push(
          `end_sample=${shiftSamples + Math.round((spec.durationMs / 1000) * SHIFT_RATE * (1 + (spec.driftPpm ?? 0) * 1e-6))}`,
        );
      filters.push(`atrim=${trim.join(':')}`, 'asetpts=N/SR/TB', `aresample=${spec.rate}`);
      await run(ffmpegPath(), [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-y',
        '-i',
        src,
        '-af',
        filters.join(','),
        '-ac',
        '1',
        ...ENCODER[spec.codec],
        ...(spec.bitrate ? ['-b:a', spec.bitrate] : []),
        '-threads',
        '1',
        tmp,
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}

/** An MP4 "camera": a tiny 25 fps video track + the given audio as AAC, with an optional container timecode. */
export function cameraClip(name: string, audio: string, opts: { timecode?: string } = {}): Promise<string> {
  return cached(name, 'mp4', { audio, ...opts }, async (tmp) => {
    await run(ffmpegPath(), [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=160x120:r=25',
      '-i',
      audio,
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-shortest',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-g',
      '25',
      '-bf',
      '0',
      '-c:a',
      'aac',
      '-b:a',
      '96k',
      '-ac',
      '1',
      '-threads',
      '1',
      ...(opts.timecode ? ['-timecode', opts.timecode] : []),
      tmp,
    ]);
  });
}
