/**
 * detectX264Build: the x264 version an H.264 stream was encoded with, read from the "x264 - core N" user-data
 * SEI that x264 writes into the FIRST access unit only.
 *
 * Why it matters: ffmpeg's H.264 decoder works around bitstream bugs of old x264 builds (notably 4:4:4 with
 * 8x8 transforms before build 151) only when it has seen that SEI. A decoder started by `-ss` at a later IDR
 * never sees it and decodes those frames as garbage (python3-imageio's cockatoo.mp4, x264 core 142, High 4:4:4:
 * green/grey blocks from 3.8 s on), while a decode from the start is clean. The planner passes the build back
 * with the decoder option `-x264_build` ("assume this x264 version if no x264 version found in any SEI") on
 * every input of the source. https://ffmpeg.org/ffmpeg-codecs.html (h264 decoder options)
 */
import { capture } from './capture.js';
import { inputUrl } from './input-url.js';

const X264_SEI = /x264 - core (\d{1,5})/;

export async function detectX264Build(opts: {
  path: string;
  signal?: AbortSignal;
}): Promise<number | undefined> {
  // One packet, stream-copied to Annex B (the mp4toannexb filter is inserted for -f h264): cheap on any file size.
  const r = await capture({
    binary: 'ffmpeg',
    args: [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-i',
      inputUrl(opts.path),
      '-map',
      '0:v:0',
      '-c:v',
      'copy',
      '-frames:v',
      '1',
      '-f',
      'h264',
      'pipe:1',
    ],
    ...(opts.signal ? { signal: opts.signal } : {}),
    timeoutMs: 30_000,
    // The SEI precedes the first slice; the rest of a large IDR frame is not needed.
    maxStdoutBytes: 1024 * 1024,
  });
  const match = X264_SEI.exec(r.stdout.subarray(0, 64 * 1024).toString('latin1'));
  return match ? Number(match[1]) : undefined;
}
