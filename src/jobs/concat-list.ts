/**
 * The concat demuxer's list file ("ffconcat version 1.0"). Paths are single-quoted; a quote inside a path is
 * written as '\'' (close, escaped quote, reopen), the demuxer's documented escaping. Newlines cannot be escaped,
 * so a path containing one is refused rather than silently splitting the list.
 * https://ffmpeg.org/ffmpeg-formats.html#concat-1
 *
 * `duration`: without it the demuxer offsets each file by the container's duration, which MP4 stores in ms
 * rounded up (a 22-frame 30 fps segment says 0.734 s, not 0.7333…), so timestamps drift by up to 1 ms per seam
 * and audio muxed beside the video slowly goes out of sync. Callers pass the exact duration in µs, computed as a
 * difference of rounded absolute times so the sum over all segments telescopes to the exact total.
 */
import { cutroomError } from '../errors.js';
import { formatNumber } from '../format.js';

export interface ConcatEntry {
  path: string;
  /** Exact duration of the file in integer µs. */
  durationUs?: number;
  /** `inpoint` / `outpoint` directives, seconds as text (smart render copies packet ranges of a source). */
  inpoint?: string;
  outpoint?: string;
}

export function concatList({ entries }: { entries: readonly ConcatEntry[] }): string {
  const lines = ['ffconcat version 1.0'];
  for (const [i, entry] of entries.entries()) {
    if (/[\r\n\0]/.test(entry.path))
      throw cutroomError('INVALID_PATH', 'a segment path contains a newline or NUL', {
        path: `entries[${i}].path`,
      });
    lines.push(`file '${entry.path.replaceAll("'", "'\\''")}'`);
    if (entry.inpoint !== undefined) lines.push(`inpoint ${entry.inpoint}`);
    if (entry.outpoint !== undefined) lines.push(`outpoint ${entry.outpoint}`);
    if (entry.durationUs !== undefined) lines.push(`duration ${formatNumber(entry.durationUs / 1_000_000)}`);
  }
  return `${lines.join('\n')}\n`;
}
