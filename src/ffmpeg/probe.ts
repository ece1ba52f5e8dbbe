/**
 * probeMedia: what a file is (MediaInfo), or a coded reason why it is not usable media.
 *
 * One ffprobe call reads format, streams and the packet timestamps of the first 10 s (bounded cost on any file
 * size; used to tell VFR from CFR). In parallel, a demux-only pass over the last second catches files whose
 * index is intact but whose data is cut short (faststart MP4 truncated mid-upload): ffprobe alone reports
 * those as healthy.
 */
import { open, stat } from 'node:fs/promises';
import { cutroomError, isCutroomError } from '../errors.js';
import type { MediaInfo } from '../timeline/index.js';
import { capture } from './capture.js';
import { detectX264Build } from './detect-x264-build.js';
import { inputUrl } from './input-url.js';
import { parseProbeOutput, withFrameRotation, type FfprobeJson } from './parse-probe.js';

export interface ProbeMediaOptions {
  path: string;
  signal?: AbortSignal;
  /** Skip the end-of-file demux check (saves one process; truncation with an intact index goes unnoticed). */
  skipTailCheck?: boolean;
}

const PROBE_TIMEOUT_MS = 30_000;

/** Errors from the demuxer that mean "this data is cut or broken" rather than "not media". */
const CORRUPT_STDERR =
  /partial file|moov atom not found|Invalid NAL unit|error reading header|Packet corrupt|truncat|Invalid data found when processing input|End of file/i;

/** Leading bytes of containers ffprobe reads; a file that starts like one but fails to open is corrupt media. */
function looksLikeMedia(head: Buffer): boolean {
  const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
  const box = ascii(4, 8);
  if (['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip', 'pnot', 'styp'].includes(box)) return true; // ISO BMFF / QuickTime
  if (head.readUInt32BE(0) === 0x1a45dfa3) return true; // Matroska / WebM (EBML)
  if (['RIFF', 'OggS', 'fLaC', 'FORM', 'caff'].includes(ascii(0, 4))) return true;
  if (ascii(0, 3) === 'ID3' || ascii(0, 3) === 'FLV') return true;
  if (head[0] === 0xff && head[1] !== undefined && (head[1] & 0xe0) === 0xe0) return true; // MPEG audio / ADTS
  if (head[0] === 0x47 && head.length > 188 && head[188] === 0x47) return true; // MPEG-TS sync bytes
  if (head.readUInt32BE(0) === 0x000001ba) return true; // MPEG-PS
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return true; // PNG
  if (head[0] === 0xff && head[1] === 0xd8) return true; // JPEG
  return false;
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, Math.max(bytesRead, 8));
  } finally {
    await handle.close();
  }
}

async function tailCheck(path: string, signal: AbortSignal): Promise<string | undefined> {
  const r = await capture({
    binary: 'ffmpeg',
    args: [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-sseof',
      '-1',
      '-i',
      inputUrl(path),
      '-map',
      '0',
      '-c',
      'copy',
      '-f',
      'null',
      '-',
    ],
    signal,
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  const match = r.stderrTail.split('\n').find((line) => CORRUPT_STDERR.test(line));
  return match;
}

export async function probeMedia(opts: ProbeMediaOptions): Promise<MediaInfo> {
  const { path, signal } = opts;
  let sizeBytes: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw cutroomError('PROBE_FAILED', `${path} is not a regular file`, { path });
    sizeBytes = st.size;
  } catch (err) {
    if (isCutroomError(err)) throw err;
    throw cutroomError('PROBE_FAILED', `${path}: ${(err as Error).message}`, { path }, { cause: err });
  }
  if (sizeBytes === 0) throw cutroomError('EMPTY_UPLOAD', `${path} has zero bytes`, { path });

  const tailAbort = new AbortController();
  const onAbort = () => tailAbort.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const tail = opts.skipTailCheck
    ? Promise.resolve(undefined)
    : tailCheck(path, tailAbort.signal).catch((err: unknown) => {
        if (tailAbort.signal.aborted) return undefined;
        throw err;
      });
  try {
    const probe = await capture({
      binary: 'ffprobe',
      args: [
        '-v',
        'error',
        '-hide_banner',
        '-show_format',
        '-show_streams',
        '-show_entries',
        'packet=stream_index,dts_time',
        '-read_intervals',
        '%+10',
        '-of',
        'json',
        inputUrl(path),
      ],
      ...(signal ? { signal } : {}),
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    if (probe.timedOut) {
      throw cutroomError('PROBE_FAILED', `${path}: ffprobe timed out`, {
        path,
        stderr_tail: probe.stderrTail,
      });
    }
    if (probe.exitCode !== 0) {
      const head = await readHead(path);
      const details = { path, stderr_tail: probe.stderrTail, exit_code: probe.exitCode };
      if (looksLikeMedia(head) && CORRUPT_STDERR.test(probe.stderrTail)) {
        throw cutroomError(
          'MEDIA_CORRUPT',
          `${path} looks like media but cannot be read: ${lastLine(probe.stderrTail)}`,
          details,
        );
      }
      if (/Invalid data found|could not find codec|not supported/i.test(probe.stderrTail)) {
        throw cutroomError(
          'UNSUPPORTED_MEDIA',
          `${path} is not audio, video or an image ffprobe can read`,
          details,
        );
      }
      throw cutroomError('PROBE_FAILED', `${path}: ffprobe failed: ${lastLine(probe.stderrTail)}`, details);
    }
    let json: FfprobeJson;
    try {
      json = JSON.parse(probe.stdout.toString('utf8')) as FfprobeJson;
    } catch (err) {
      throw cutroomError('PROBE_FAILED', `${path}: ffprobe printed invalid JSON`, { path }, { cause: err });
    }
    let info = parseProbeOutput({ json, sizeBytes, path });
    if (info.kind === 'image') info = withFrameRotation(info, await firstFrameSideData(path, signal));
    if (info.kind === 'video' && info.video?.codec === 'h264') {
      const build = await detectX264Build({ path, ...(signal ? { signal } : {}) });
      if (build !== undefined) info = { ...info, video: { ...info.video, x264_build: build } };
    }
    if (info.kind !== 'image') {
      const broken = await tail;
      if (broken !== undefined) {
        throw cutroomError('MEDIA_CORRUPT', `${path} is cut short or damaged near its end: ${broken}`, {
          path,
          reason: broken,
        });
      }
    }
    return info;
  } finally {
    tailAbort.abort();
    signal?.removeEventListener('abort', onAbort);
    await tail.catch(() => undefined);
  }
}

/** Side data of an image's first decoded frame (where EXIF orientation shows up as a display matrix). */
async function firstFrameSideData(
  path: string,
  signal: AbortSignal | undefined,
): Promise<{ side_data_list?: Array<{ side_data_type?: string; rotation?: number }> } | undefined> {
  const r = await capture({
    binary: 'ffprobe',
    args: [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-read_intervals',
      '%+#1',
      '-show_entries',
      'frame_side_data=rotation',
      '-of',
      'json',
      inputUrl(path),
    ],
    ...(signal ? { signal } : {}),
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  if (r.exitCode !== 0) return undefined;
  try {
    const j = JSON.parse(r.stdout.toString('utf8')) as {
      frames?: Array<{ side_data_list?: Array<{ side_data_type?: string; rotation?: number }> }>;
    };
    return j.frames?.[0];
  } catch {
    return undefined;
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
