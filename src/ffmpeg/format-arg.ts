/**
 * Numbers for ffmpeg arguments in this layer: fixed-point, at most 6 decimals, trailing zeros dropped, never
 * exponent notation or "-0" (e.g. 0.1 + 0.2 -> "0.3", 1e-7 -> "0"). Same rules as src/plan/format.ts
 * formatNumber, which this layer may not import (layers: ffmpeg -> timeline only).
 */
export function formatArgNumber(value: number, decimals = 6): string {
  if (!Number.isFinite(value)) throw new Error(`cannot format ${value} for ffmpeg`);
  let text = value.toFixed(decimals);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}
