/** '#RRGGBB' / '#RRGGBBAA' -> '0xRRGGBB' / '0xRRGGBBAA' (av_parse_color syntax; `#` is avoided in graphs). */
export function ffmpegColor(hex: string, options: { alpha?: boolean } = {}): string {
  if (!/^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(hex)) throw new Error(`not a colour: ${hex}`);
  const digits = hex.slice(1).toUpperCase();
  return `0x${options.alpha === false ? digits.slice(0, 6) : digits}`;
}
