/**
 * Hardware encoder detection. `ffmpeg -encoders` lists what the build was compiled with, not what works here
 * (h264_nvenc is listed on every Debian ffmpeg, with or without a GPU), so each listed candidate gets a real
 * one-frame test encode. Detection runs once per process and codec (the promise is cached); the order is fixed
 * so the choice is deterministic, and CPU is the fallback. `CUTROOM_ENCODER` overrides.
 */
import { existsSync } from 'node:fs';
import { cutroomError } from '../errors.js';
import { ffmpegPath, hasEncoder } from './binaries.js';
import { capture } from './capture.js';

export type EncoderKind = 'cpu' | 'nvenc' | 'vaapi' | 'qsv' | 'videotoolbox';
export type EncoderCodec = 'h264' | 'hevc';

/** Same shape as EncoderChoice in src/plan/types.ts (this layer may not import plan; structural typing). */
export interface EncoderChoice {
  /** ffmpeg encoder name, e.g. libx264, h264_nvenc. */
  video_encoder: string;
  kind: EncoderKind;
  /** Why this encoder, including why better ones were not used. */
  reason: string;
  /** VAAPI only: the render device the plan must pass as `-vaapi_device` (frames need `format=nv12,hwupload`). */
  device?: string;
}

export interface DetectEncoderOptions {
  codec: EncoderCodec;
  /** Environment to read CUTROOM_ENCODER / CUTROOM_VAAPI_DEVICE from; default process.env. */
  env?: Record<string, string | undefined>;
}

/** Preference order for automatic detection. */
const HARDWARE_ORDER: readonly EncoderKind[] = ['nvenc', 'vaapi', 'qsv', 'videotoolbox'];
const KINDS: readonly EncoderKind[] = ['cpu', ...HARDWARE_ORDER];
const TEST_TIMEOUT_MS = 10_000;
const DEFAULT_VAAPI_DEVICE = '/dev/dri/renderD128';

export function encoderName(kind: EncoderKind, codec: EncoderCodec): string {
  if (kind === 'cpu') return codec === 'h264' ? 'libx264' : 'libx265';
  return `${codec}_${kind}`;
}

interface TestResult {
  ok: boolean;
  /** Short reason when it failed (the encoder's own error line). */
  error?: string;
}

const testCache = new Map<string, Promise<TestResult>>();
const choiceCache = new Map<string, Promise<EncoderChoice>>();

/** Forget cached detections (tests; or after installing drivers in a long-running process). */
export function resetEncoderCache(): void {
  testCache.clear();
  choiceCache.clear();
}

/** The encoder's own complaint, e.g. "Cannot load libcuda.so.1", without the "[h264_nvenc @ 0x…]" prefix. */
function failureLine(stderrTail: string, encoder: string): string {
  const lines = stderrTail.split('\n').filter((l) => l.trim() !== '');
  const own = lines.find((l) => l.startsWith(`[${encoder} @`)) ?? lines[0] ?? 'no error output';
  return own.replace(/^\[[^\]]*\]\s*/, '').trim();
}

function testEncode(encoder: string, kind: EncoderKind, device: string): Promise<TestResult> {
  const key = `${ffmpegPath()}\0${encoder}\0${device}`;
  let cached = testCache.get(key);
  if (cached === undefined) {
    cached = (async (): Promise<TestResult> => {
      if (kind === 'vaapi' && !existsSync(device))
        return { ok: false, error: `VAAPI device ${device} does not exist` };
      const pre = kind === 'vaapi' ? ['-vaapi_device', device] : [];
      // VAAPI encoders take hardware frames only: upload after converting to a format the driver accepts.
      const vf = kind === 'vaapi' ? ['-vf', 'format=nv12,hwupload'] : [];
      const r = await capture({
        binary: 'ffmpeg',
        args: [
          '-hide_banner',
          '-nostdin',
          '-v',
          'error',
          ...pre,
          '-f',
          'lavfi',
          '-i',
          'color=black:s=256x256:d=0.04',
          ...vf,
          '-frames:v',
          '1',
          '-c:v',
          encoder,
          '-f',
          'null',
          '-',
        ],
        timeoutMs: TEST_TIMEOUT_MS,
      });
      if (r.timedOut) return { ok: false, error: `test encode timed out after ${TEST_TIMEOUT_MS} ms` };
      if (r.exitCode !== 0) return { ok: false, error: failureLine(r.stderrTail, encoder) };
      return { ok: true };
    })();
    cached.catch(() => testCache.delete(key));
    testCache.set(key, cached);
  }
  return cached;
}

async function forced(kind: EncoderKind, codec: EncoderCodec, device: string): Promise<EncoderChoice> {
  const encoder = encoderName(kind, codec);
  if (kind === 'cpu')
    return { video_encoder: encoder, kind, reason: `CUTROOM_ENCODER=cpu; using ${encoder}` };
  if (!(await hasEncoder(encoder))) {
    throw cutroomError(
      'ENCODER_UNAVAILABLE',
      `CUTROOM_ENCODER=${kind} but this ffmpeg does not list ${encoder}`,
      {
        encoder,
        kind,
      },
    );
  }
  const result = await testEncode(encoder, kind, device);
  if (!result.ok) {
    throw cutroomError(
      'ENCODER_UNAVAILABLE',
      `CUTROOM_ENCODER=${kind} but ${encoder} failed its test encode: ${result.error}`,
      {
        encoder,
        kind,
        reason: result.error,
      },
    );
  }
  return {
    video_encoder: encoder,
    kind,
    reason: `CUTROOM_ENCODER=${kind}; ${encoder} passed its test encode`,
    ...(kind === 'vaapi' ? { device } : {}),
  };
}

async function automatic(codec: EncoderCodec, device: string): Promise<EncoderChoice> {
  const notes: string[] = [];
  // Sequential on purpose: deterministic order, and test encodes must not compete for one GPU.
  for (const kind of HARDWARE_ORDER) {
    const encoder = encoderName(kind, codec);
    if (!(await hasEncoder(encoder))) continue;
    const result = await testEncode(encoder, kind, device);
    if (result.ok) {
      notes.push(`${encoder} passed its test encode`);
      return {
        video_encoder: encoder,
        kind,
        reason: notes.join('; '),
        ...(kind === 'vaapi' ? { device } : {}),
      };
    }
    notes.push(`${encoder} listed but test encode failed: ${result.error}`);
  }
  const cpu = encoderName('cpu', codec);
  if (notes.length === 0) notes.push('no hardware encoder listed');
  return { video_encoder: cpu, kind: 'cpu', reason: `${notes.join('; ')}; using ${cpu}` };
}

/**
 * The encoder to use for `codec`. Cached per process, codec, override and ffmpeg binary.
 * CUTROOM_ENCODER=cpu|nvenc|vaapi|qsv|videotoolbox forces one (a forced one that fails → ENCODER_UNAVAILABLE).
 */
export function detectEncoder(opts: DetectEncoderOptions): Promise<EncoderChoice> {
  const { codec } = opts;
  const env = opts.env ?? process.env;
  const override = (env.CUTROOM_ENCODER ?? '').trim().toLowerCase();
  const device = env.CUTROOM_VAAPI_DEVICE ?? DEFAULT_VAAPI_DEVICE;
  if (override !== '' && override !== 'auto' && !KINDS.includes(override as EncoderKind)) {
    return Promise.reject(
      cutroomError(
        'ENCODER_UNAVAILABLE',
        `CUTROOM_ENCODER=${override} is not one of ${KINDS.join(', ')}, auto`,
        {
          valid: [...KINDS, 'auto'],
        },
      ),
    );
  }
  let binary: string;
  try {
    binary = ffmpegPath();
  } catch (err) {
    return Promise.reject(err);
  }
  const key = `${binary}\0${codec}\0${override}\0${device}`;
  let cached = choiceCache.get(key);
  if (cached === undefined) {
    cached =
      override === '' || override === 'auto'
        ? automatic(codec, device)
        : forced(override as EncoderKind, codec, device);
    // Failures are not cached: a fixed driver or env should be picked up by the next call.
    cached.catch(() => choiceCache.delete(key));
    choiceCache.set(key, cached);
  }
  return cached;
}
