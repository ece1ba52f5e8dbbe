// ffmpeg measurements shared by the smart-render end-to-end tests (H.264 and HEVC): framemd5 per frame, audio
// md5, decode errors and per-frame PSNR, each run by ffmpeg itself on the output.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';

export function runFfmpeg(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), ['-hide_banner', '-nostdin', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs ffmpeg (errors only, overwrite) and returns its stdout; a non-zero exit throws with its stderr. */
export async function ffmpegOk(args: string[]): Promise<string> {
  const r = await runFfmpeg(['-v', 'error', '-y', ...args]);
  if (r.code !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Per-frame [pts in the stream's time base, md5 of the decoded picture]. */
export async function frameMd5(file: string): Promise<Array<[number, string]>> {
  const out = await ffmpegOk(['-i', file, '-map', '0:v:0', '-f', 'framemd5', '-']);
  return out
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const c = l.split(',').map((x) => x.trim());
      return [Number(c[2]), c[5]!] as [number, string];
    });
}

export async function audioMd5(file: string): Promise<string> {
  return (await ffmpegOk(['-i', file, '-map', '0:a:0', '-f', 'md5', '-'])).trim();
}

/** Everything ffmpeg complains about while decoding the whole file (should be nothing). */
export async function decodeErrors(file: string): Promise<string> {
  const r = await runFfmpeg(['-v', 'error', '-i', file, '-f', 'null', '-']);
  return `${r.stderr}${r.code === 0 ? '' : `exit ${r.code}`}`;
}

/** Per-frame PSNR (Y) of a against b; the stats file goes into dir. */
export async function psnrPerFrame(a: string, b: string, dir: string): Promise<number[]> {
  const stats = join(dir, `psnr-${Date.now()}-${Math.random()}.log`);
  await ffmpegOk(['-i', a, '-i', b, '-lavfi', `[0:v][1:v]psnr=stats_file=${stats}`, '-f', 'null', '-']);
  return (await readFile(stats, 'utf8'))
    .split('\n')
    .filter((l) => l.includes('psnr_y:'))
    .map((l) => {
      const v = /psnr_y:(\S+)/.exec(l)![1]!;
      return v === 'inf' ? 99 : Number(v);
    });
}
