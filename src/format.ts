/**
 * The one number formatter for everything that enters an ffmpeg argument or filtergraph, in every layer:
 * fixed-point, at most `decimals` fractional digits, trailing zeros removed, never exponent notation, never
 * "-0" — so no float reaches ffmpeg as `0.30000000000000004` or `1e-7`.
 */
export function formatNumber(value: number, decimals = 6): string {
  if (!Number.isFinite(value)) throw new Error(`cannot format ${value} for ffmpeg`);
  let text = value.toFixed(decimals);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}
