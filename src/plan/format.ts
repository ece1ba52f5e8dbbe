/**
 * Number formatting and escaping for everything that enters an ffmpeg argument or filtergraph. One place, so
 * no float ever reaches ffmpeg as `0.30000000000000004` or `1e-7`, and no user string can break the graph.
 */

import { formatNumber } from '../format.js';

export { formatNumber };

/** Seconds from integer milliseconds, exact to the millisecond (e.g. 1500 -> "1.5"). */
export function formatSecondsFromMs(ms: number): string {
  return formatNumber(ms / 1000, 6);
}

/**
 * Escape a value placed inside a filter option (`key=value`), where `:` separates options and `\` and `'`
 * quote. ffmpeg parses filtergraphs in two levels (graph, then option), so special characters need escaping
 * for both: see https://ffmpeg.org/ffmpeg-filters.html#Notes-on-filtergraph-escaping.
 */
export function escapeFilterValue(value: string): string {
  // Level 1 (option parser): backslash-escape the quote, the backslash and the option separator.
  const level1 = value.replace(/[\\':]/g, (c) => `\\${c}`);
  // Level 2 (graph parser): escape the characters that delimit filters, links and chains.
  return level1.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** Escape a file path used as a filter option value (textfile=, lut3d file=, subtitles filename=). */
export function escapeFilterPath(path: string): string {
  return escapeFilterValue(path);
}

/** A filtergraph link label, e.g. label('v', 3) -> "[v3]". Labels use [A-Za-z0-9_] only. */
export function label(...parts: Array<string | number>): string {
  return `[${parts.join('_').replace(/[^A-Za-z0-9_]/g, '_')}]`;
}
