/**
 * The integrated loudness from the summary ffmpeg's `ebur128` filter prints when it closes:
 *
 *   [Parsed_ebur128_3 @ 0x…] Summary:
 *     Integrated loudness:
 *       I:         -21.8 LUFS
 *       Threshold: -31.8 LUFS
 *
 * ffmpeg prints I: -70.0 when no 400 ms block passes the absolute gate (silence): that is reported as
 * `silent`, since -70 is the meter's floor, not a loudness a gain could be computed from.
 */
export interface Ebur128Summary {
  integrated_lufs: number;
  /** No block above the -70 LUFS absolute gate. */
  silent: boolean;
}

/** The last summary in `text` (an ffmpeg stderr, possibly only its tail), or null when there is none. */
export function parseEbur128Summary(text: string): Ebur128Summary | null {
  const at = text.lastIndexOf('Summary:');
  if (at < 0) return null;
  const m = /Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+|-inf)\s*LUFS/.exec(text.slice(at));
  if (!m) return null;
  const value = m[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(m[1]);
  if (Number.isNaN(value)) return null;
  return { integrated_lufs: value, silent: value <= -70 };
}
