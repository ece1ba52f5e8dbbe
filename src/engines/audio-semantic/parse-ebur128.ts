/**
 * Parser for the log of ffmpeg's `ebur128` filter (`-af ebur128 -f null -`), kept as a pure function so the
 * figures can be cross-checked against ffmpeg's own meter without this engine spawning anything. Lines look
 * like `[Parsed_ebur128_0 @ 0x…] t: 0.4  TARGET:-23 LUFS  M: -20.9 S:-120.7  I: -20.9 LUFS  LRA: 0.0 LU …`
 * and the summary block ends with `I: -20.9 LUFS`.
 */
export interface Ebur128Log {
  points: Array<{ t_ms: number; momentary_lufs: number; short_term_lufs: number }>;
  integrated_lufs: number | null;
}

const POINT_RE =
  /\bt:\s*([\d.]+)\s+TARGET:\S+\s+LUFS\s+M:\s*(-?[\d.]+|-?inf|nan)\s+S:\s*(-?[\d.]+|-?inf|nan)/;

export function parseEbur128Log(text: string): Ebur128Log {
  const points: Ebur128Log['points'] = [];
  for (const line of text.split('\n')) {
    const m = POINT_RE.exec(line);
    if (m)
      points.push({
        t_ms: Math.round(Number(m[1]) * 1000),
        momentary_lufs: Number(m[2]),
        short_term_lufs: Number(m[3]),
      });
  }
  const summary = text.lastIndexOf('Summary:');
  let integrated: number | null = null;
  if (summary >= 0) {
    const m = /Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+)\s*LUFS/.exec(text.slice(summary));
    if (m) integrated = Number(m[1]);
  }
  return { points, integrated_lufs: integrated };
}
