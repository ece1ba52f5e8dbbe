/**
 * Real speech (Debian's pocketsphinx-testdata LibriVox clips) with silences inserted at known places, as a small
 * video (160x120 testsrc, PCM audio in Matroska), plus a music bed whose tones sit above the speech's 8 kHz
 * bandwidth so the bed and the speech can be measured apart in one mix. Made once per test file in a temp dir.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';
import { parseEbur128Summary } from '../../../src/ffmpeg/parse-ebur128.js';

const LIBRIVOX = '/usr/share/pocketsphinx/test/data/librivox';
export const CLIPS = ['0880', '0930', '0890'].map((n) => `${LIBRIVOX}/sense_and_sensibility_01_austen_64kb-${n}.wav`);
/** Inserted between clip 0/1 and 1/2. */
export const SILENCES_MS = [1500, 2000];

export function speechDataAvailable(): boolean {
  return CLIPS.every((p) => existsSync(p));
}

export function ff(args: string[], opts: { input?: Buffer } = {}): Buffer {
  const r = spawnSync(ffmpegPath(), ['-hide_banner', '-nostdin', '-y', ...args], {
    maxBuffer: 512 * 1024 * 1024,
    ...(opts.input ? { input: opts.input } : {}),
  });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr.toString().slice(-1500)}`);
  return Buffer.concat([r.stdout, r.stderr]);
}

/** Mono float PCM of a file's audio (after an optional -af chain). */
export function pcm(file: string, rate: number, af?: string): Float32Array {
  const r = spawnSync(
    ffmpegPath(),
    ['-v', 'error', '-nostdin', '-i', file, ...(af ? ['-af', af] : []), '-ac', '1', '-ar', String(rate), '-f', 'f32le', '-'],
    { maxBuffer: 512 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(r.stderr.toString());
  const b = r.stdout;
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function rmsDb(x: Float32Array, rate: number, startMs: number, endMs: number): number {
  const a = Math.max(0, Math.floor((startMs * rate) / 1000));
  const b = Math.min(x.length, Math.floor((endMs * rate) / 1000));
  let s = 0;
  for (let i = a; i < b; i++) s += x[i]! * x[i]!;
  return 10 * Math.log10(s / Math.max(1, b - a) + 1e-12);
}

export function integratedLufs(file: string, af?: string): number {
  const out = ff(['-i', file, '-vn', '-af', `${af ? `${af},` : ''}ebur128=framelog=verbose`, '-f', 'null', '-']).toString();
  return parseEbur128Summary(out)!.integrated_lufs;
}

export interface SpeechFixture {
  file: string;
  /** Inserted silences [start, end) in ms on the fixture's clock. */
  silences: Array<{ start_ms: number; end_ms: number }>;
  duration_ms: number;
}

/**
 * Each clip trimmed to its speech (leading/trailing quiet below -35 dBFS removed), joined by digital silence
 * of SILENCES_MS, at 16 kHz mono, under 160x120 testsrc at 30 fps.
 */
export function speechWithSilences(dir: string): SpeechFixture {
  const trimmed = CLIPS.map((clip, i) => {
    const out = join(dir, `clip${i}.wav`);
    const trim = 'silenceremove=start_periods=1:start_threshold=-35dB:start_silence=0.02';
    ff(['-i', clip, '-af', `${trim},areverse,${trim},areverse`, '-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', out]);
    return out;
  });
  const lengths = trimmed.map((f) => (pcm(f, 16000).length / 16000) * 1000);
  const wav = join(dir, 'speech.wav');
  const inputs: string[] = [];
  const parts: string[] = [];
  trimmed.forEach((f, i) => {
    inputs.push('-i', f);
    parts.push(`[${i * 2}:a]`);
    if (i < SILENCES_MS.length) {
      inputs.push('-f', 'lavfi', '-t', String(SILENCES_MS[i]! / 1000), '-i', 'anullsrc=r=16000:cl=mono');
      parts.push(`[${i * 2 + 1}:a]`);
    }
  });
  ff([...inputs, '-filter_complex', `${parts.join('')}concat=n=${parts.length}:v=0:a=1[a]`, '-map', '[a]', '-c:a', 'pcm_s16le', wav]);
  const duration = (pcm(wav, 16000).length / 16000) * 1000;
  const silences: SpeechFixture['silences'] = [];
  let t = 0;
  lengths.forEach((len, i) => {
    t += len;
    if (i < SILENCES_MS.length) {
      silences.push({ start_ms: t, end_ms: t + SILENCES_MS[i]! });
      t += SILENCES_MS[i]!;
    }
  });
  const file = join(dir, 'talk.mkv');
  ff([
    '-f', 'lavfi', '-i', `testsrc=s=160x120:r=30:d=${(duration / 1000).toFixed(3)}`,
    '-i', wav,
    '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-pix_fmt', 'yuv420p',
    '-c:a', 'pcm_s16le', '-shortest', file,
  ]);
  return { file, silences, duration_ms: duration };
}

/** Two steady tones at 10 and 11.5 kHz (above 16 kHz speech's band), -23 dBFS, 48 kHz stereo WAV. */
export function musicBed(dir: string, durationMs: number): string {
  const out = join(dir, 'bed.wav');
  const d = (durationMs / 1000).toFixed(3);
  ff([
    '-f', 'lavfi', '-i', `sine=f=10000:r=48000:d=${d}`,
    '-f', 'lavfi', '-i', `sine=f=11500:r=48000:d=${d}`,
    '-filter_complex', '[0:a][1:a]amix=inputs=2:normalize=1,volume=-14dB,aformat=channel_layouts=stereo[a]',
    '-map', '[a]', '-c:a', 'pcm_s16le', out,
  ]);
  return out;
}
