// ffmpeg measurements shared by the smart-render end-to-end tests (H.264 and HEVC): framemd5 per frame, audio
// md5, decode errors, per-frame PSNR and the bit-exactness of copied frames, each run by ffmpeg on the output.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import type { SmartRenderResult } from '../../src/render/index.js';

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

/**
 * Copied frames of a smart render equal a full decode of their source, bit for bit. `frames` is the output's
 * framemd5, `paths` maps asset ids to source files. Returns the number of frames checked.
 */
export async function assertCopiesExact(
  smart: SmartRenderResult,
  frames: Array<[number, string]>,
  paths: Record<string, string>,
): Promise<number> {
  let checked = 0;
  const bySource = new Map<string, Array<[number, string]>>();
  for (const seg of smart.meta.smart.segments) {
    if (seg.kind !== 'copy') continue;
    const path = paths[seg.asset_id];
    assert.ok(path, `copied asset ${seg.asset_id} is one of the test sources`);
    if (!bySource.has(path)) bySource.set(path, await frameMd5(path));
    const src = bySource.get(path)!;
    for (let i = 0; i < seg.frames[1] - seg.frames[0]; i++) {
      assert.equal(
        frames[seg.frames[0] + i]![1],
        src[seg.source_frames[0] + i]![1],
        `output frame ${seg.frames[0] + i} = source ${path} frame ${seg.source_frames[0] + i}`,
      );
      checked++;
    }
  }
  return checked;
}
