/**
 * Where ffmpeg and ffprobe live, and what this build of ffmpeg can do. The only place that decides which
 * binary runs: CUTROOM_FFMPEG / CUTROOM_FFPROBE (absolute path or a name on PATH), else `ffmpeg` / `ffprobe`
 * from PATH. Listings are cached per process because `ffmpeg -filters` costs ~50 ms and never changes.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { cutroomError } from '../errors.js';

export type FfmpegBinary = 'ffmpeg' | 'ffprobe';

const INSTALL_REMEDY =
  'install it (Debian/Ubuntu: apt-get install -y ffmpeg; macOS: brew install ffmpeg) or set CUTROOM_FFMPEG / CUTROOM_FFPROBE to its path';

function envVar(binary: FfmpegBinary): string {
  return binary === 'ffmpeg' ? 'CUTROOM_FFMPEG' : 'CUTROOM_FFPROBE';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function searchPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Absolute path of ffmpeg or ffprobe. Resolved on every call (cheap) so tests and operators can change the
 * env var at run time; throws FFMPEG_NOT_FOUND with the install remedy.
 */
export function binaryPath(binary: FfmpegBinary): string {
  const configured = process.env[envVar(binary)];
  const wanted = configured !== undefined && configured !== '' ? configured : binary;
  const found =
    isAbsolute(wanted) || wanted.includes('/')
      ? isExecutable(wanted)
        ? wanted
        : undefined
      : searchPath(wanted);
  if (found === undefined) {
    throw cutroomError(
      'FFMPEG_NOT_FOUND',
      `${binary} not found (looked for "${wanted}"); ${INSTALL_REMEDY}.`,
      {
        binary,
        looked_for: wanted,
        env: envVar(binary),
      },
    );
  }
  return found;
}

export function ffmpegPath(): string {
  return binaryPath('ffmpeg');
}

export function ffprobePath(): string {
  return binaryPath('ffprobe');
}

/** Run a binary to completion and collect stdout (small listings only). */
function capture(
  path: string,
  args: string[],
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code,
      }),
    );
  });
}

const listingCache = new Map<string, Promise<string>>();

function listing(flag: '-filters' | '-encoders' | '-version'): Promise<string> {
  const path = ffmpegPath();
  const key = `${path}\0${flag}`;
  let cached = listingCache.get(key);
  if (cached === undefined) {
    cached = capture(path, ['-hide_banner', flag]).then((r) => r.stdout);
    // A failed listing must not poison the cache for the rest of the process.
    cached.catch(() => listingCache.delete(key));
    listingCache.set(key, cached);
  }
  return cached;
}

/** e.g. "5.1.9-0+deb12u1" (the first line of `ffmpeg -version`). */
export async function ffmpegVersion(): Promise<string> {
  const text = await listing('-version');
  const m = /ffmpeg version (\S+)/.exec(text);
  return m?.[1] ?? 'unknown';
}

/** Names from an `ffmpeg -filters` / `-encoders` listing: lines are " FLAGS name description". */
function names(text: string, flagsPattern: RegExp): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+)\s+(\S+)\s/.exec(line);
    if (m && flagsPattern.test(m[1]!)) out.add(m[2]!);
  }
  return out;
}

/** Whether this ffmpeg build has the filter (e.g. "vidstabdetect", "zscale", "libplacebo"). */
export async function hasFilter(name: string): Promise<boolean> {
  // Filter flags are 3 chars of [T.][S.][C.] ("..." / "TSC"), then name, then "V->V".
  return names(await listing('-filters'), /^[TSC.]{3}$/).has(name);
}

/** Whether `ffmpeg -encoders` lists the encoder (listing is not proof it works: see encoders.ts). */
export async function hasEncoder(name: string): Promise<boolean> {
  // Encoder flags are 6 chars starting with V, A or S ("V....D").
  return names(await listing('-encoders'), /^[VAS][F.][S.][X.][B.][D.]$/).has(name);
}
