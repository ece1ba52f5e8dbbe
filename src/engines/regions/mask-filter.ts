/**
 * Filtergraph pieces that turn the low-resolution raw mask into a full-size one. Pure string builders.
 */
import { formatNumber } from '../../format.js';

/**
 * Raw mask input `[maskInput]` scaled to width×height as gray, labelled `[out]`. Bilinear upscaling of the
 * smooth low-res ellipse keeps the feather smooth; no blur needed at full size (gblur at 1080p costs more
 * than the whole mask).
 */
export function maskScaleFilter(p: {
  maskInput: string;
  width: number;
  height: number;
  out: string;
}): string {
  return `[${p.maskInput}]scale=${formatNumber(p.width)}:${formatNumber(p.height)}:flags=bilinear,format=gray[${p.out}]`;
}

/** ffmpeg arguments reading a raw gray mask file written by writeMaskRaw. */
export function rawMaskInputArgs(p: {
  path: string;
  width: number;
  height: number;
  fps: { num: number; den: number };
}): string[] {
  return [
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    '-video_size',
    `${formatNumber(p.width)}x${formatNumber(p.height)}`,
    '-framerate',
    `${formatNumber(p.fps.num)}/${formatNumber(p.fps.den)}`,
    '-i',
    p.path,
  ];
}
