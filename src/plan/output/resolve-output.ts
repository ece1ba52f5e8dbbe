/**
 * Profile + output options (+ the output file's extension) -> what one render writes: the format, the effective
 * profile (size, frame rate, codecs, pixel format) and the muxer. Pure: the planner and the render service call
 * it, so a dry run shows exactly what the render writes.
 */
import { cutroomError } from '../../errors.js';
import type { Rational } from '../../timeline/index.js';
import type { RenderProfile } from '../profiles.js';
import {
  FORMAT_EXTENSIONS,
  OUTPUT_FORMATS,
  SEQUENCE_FORMATS,
  type OutputFormat,
  type OutputOptions,
} from './output-options.js';

/** What a format produces: a video file, sound only, an animated GIF, one still image, a contact sheet. */
export type OutputKind = 'video' | 'audio' | 'gif' | 'image' | 'sprite' | 'sequence';

export interface ResolvedOutput {
  format: OutputFormat;
  kind: OutputKind;
  /** Canonical extension of the file (jpg for jpg and jpeg). */
  extension: string;
  /** The profile with the options applied (size, fps, codecs, pix_fmt). */
  profile: RenderProfile;
  /** ffmpeg muxer (-f). */
  muxer: string;
  options: OutputOptions;
}

const KIND: Record<OutputFormat, OutputKind> = {
  mp4: 'video',
  mov: 'video',
  webm: 'video',
  gif: 'gif',
  mp3: 'audio',
  wav: 'audio',
  m4a: 'audio',
  jpg: 'image',
  png: 'image',
  sprite: 'sprite',
  png_sequence: 'sequence',
  jpg_sequence: 'sequence',
};

const MUXER: Record<OutputFormat, string> = {
  mp4: 'mp4',
  mov: 'mov',
  webm: 'webm',
  gif: 'gif',
  mp3: 'mp3',
  wav: 'wav',
  m4a: 'ipod',
  jpg: 'image2',
  png: 'image2',
  sprite: 'image2',
  png_sequence: 'image2',
  jpg_sequence: 'image2',
};

/**
 * The output format a file extension stands for, or undefined. `.jpg` is a poster (a sprite needs format);
 * `.zip` needs format too (png_sequence or jpg_sequence).
 */
export function formatOfExtension(extension: string): OutputFormat | undefined {
  const ext = extension.replace(/^\./, '').toLowerCase();
  return OUTPUT_FORMATS.find(
    (f) => f !== 'sprite' && !SEQUENCE_FORMATS.has(f) && FORMAT_EXTENSIONS[f].includes(ext),
  );
}

/** Every extension an output file may have. */
export function validExtensions(): string[] {
  return [...new Set(Object.values(FORMAT_EXTENSIONS).flat())].sort();
}

/**
 * The rate a decimal fps stands for: 23.976 / 29.97 / 59.94 / 119.88 (and 47.952) are the NTSC rates N·1000/1001,
 * whole numbers are N/1, others become an exact fraction of their decimal (12.5 -> 25/2).
 */
export function fpsRational(fps: number | Rational): Rational {
  if (typeof fps !== 'number') return reduce(fps.num, fps.den);
  for (const n of [24, 30, 48, 60, 120]) {
    if (Math.abs(fps - (n * 1000) / 1001) < 0.01) return { num: n * 1000, den: 1001 };
  }
  if (Number.isInteger(fps)) return { num: fps, den: 1 };
  return reduce(Math.round(fps * 1000), 1000);
}

function reduce(num: number, den: number): Rational {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

function even(x: number): number {
  return Math.max(2, 2 * Math.round(x / 2));
}

export function resolveOutput(input: {
  profile: RenderProfile;
  options?: OutputOptions;
  /** The output file's extension, when there is a file (its format must match). */
  extension?: string;
}): ResolvedOutput {
  const options = input.options ?? {};
  const base = input.profile;
  const ext = input.extension?.replace(/^\./, '').toLowerCase();
  const fromExt = ext !== undefined && ext !== '' ? formatOfExtension(ext) : undefined;
  const formatNamesExtension =
    options.format !== undefined && (options.format === 'sprite' || SEQUENCE_FORMATS.has(options.format));
  if (ext !== undefined && ext !== '' && fromExt === undefined && !formatNamesExtension) {
    throw cutroomError(
      'OUTPUT_FORMAT_MISMATCH',
      `the output file's extension ".${ext}" is not a supported format; valid: ${validExtensions().join(', ')}`,
      { extension: ext, valid: validExtensions() },
    );
  }
  const format: OutputFormat = options.format ?? fromExt ?? base.container;
  if (ext !== undefined && ext !== '' && !FORMAT_EXTENSIONS[format].includes(ext)) {
    throw cutroomError(
      'OUTPUT_FORMAT_MISMATCH',
      `format ${format} is written as .${FORMAT_EXTENSIONS[format].join(' or .')}, not .${ext}`,
      { extension: ext, format, valid: [...FORMAT_EXTENSIONS[format]] },
    );
  }
  if (options.video_codec !== undefined && format !== 'webm') {
    throw cutroomError('INVALID_PARAM', `video_codec ${options.video_codec} applies to webm output only`, {
      path: 'output.video_codec',
    });
  }
  const kind = KIND[format];

  // Size and rate on top of the profile.
  let width = options.width ?? base.width;
  let height = options.height ?? base.height;
  if (options.width !== undefined && options.height === undefined)
    height = Math.min(4096, even((options.width * base.height) / base.width));
  if (options.height !== undefined && options.width === undefined)
    width = Math.min(4096, even((options.height * base.width) / base.height));
  let fps = options.fps !== undefined ? fpsRational(options.fps) : base.fps;
  if (kind === 'gif') {
    const gif = { max_fps: 15, max_width: 480, ...options.gif };
    if (fps.num / fps.den > gif.max_fps) fps = fpsRational(gif.max_fps);
    if (width > gif.max_width) {
      height = even((height * gif.max_width) / width);
      width = gif.max_width;
    }
  }

  const profile: RenderProfile = {
    ...base,
    width,
    height,
    fps,
    video: { ...base.video },
    audio: { ...base.audio },
  };
  const extension = ext ?? FORMAT_EXTENSIONS[format][0]!;
  switch (format) {
    case 'mp4':
      // MP4 holds the H.264 and HEVC profiles as they are; anything else (ProRes) becomes H.264.
      if (base.video.codec !== 'libx264' && base.video.codec !== 'libx265') {
        profile.video = { codec: 'libx264', crf: 18, preset: 'medium', gop: base.video.gop ?? 60 };
        profile.pix_fmt = 'yuv420p';
      }
      if (!['aac'].includes(base.audio.codec))
        profile.audio = { ...base.audio, codec: 'aac', bitrate: '192k' };
      break;
    case 'mov':
      break;
    case 'webm':
      profile.video =
        options.video_codec === 'av1'
          ? { codec: 'libsvtav1', crf: 35, preset: '8', gop: base.video.gop ?? 60 }
          : { codec: 'libvpx-vp9', crf: 32, gop: base.video.gop ?? 60 };
      profile.pix_fmt = 'yuv420p';
      profile.audio = {
        codec: 'libopus',
        bitrate: '128k',
        sample_rate: 48000,
        channels: base.audio.channels,
      };
      break;
    case 'gif':
      profile.video = { codec: 'gif' };
      profile.pix_fmt = 'rgb24';
      break;
    case 'mp3':
      profile.audio = { ...base.audio, codec: 'libmp3lame', bitrate: '192k' };
      break;
    case 'wav':
      profile.audio = {
        codec: 'pcm_s16le',
        sample_rate: base.audio.sample_rate,
        channels: base.audio.channels,
      };
      break;
    case 'm4a':
      if (base.audio.codec !== 'aac') profile.audio = { ...base.audio, codec: 'aac', bitrate: '192k' };
      break;
    case 'jpg':
    case 'png':
    case 'sprite':
    case 'png_sequence':
    case 'jpg_sequence': {
      const png =
        format === 'png' || format === 'png_sequence' || (format === 'sprite' && extension === 'png');
      profile.video = { codec: png ? 'png' : 'mjpeg' };
      profile.pix_fmt = png ? 'rgb24' : 'yuvj420p';
      break;
    }
  }
  return { format, kind, extension, profile, muxer: MUXER[format], options };
}
