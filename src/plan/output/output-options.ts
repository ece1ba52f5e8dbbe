/**
 * Output options of a render, on top of its profile: the file format (container and codecs), an exact size and
 * frame rate, and the settings of the formats that are not a video file (GIF caps, poster time, thumbnail
 * sprite). Profiles stay named presets; these options adjust one render.
 *
 * The schema is shared by the HTTP routes, render jobs and the CLI, so all three accept the same options.
 */
import { z } from 'zod';

export const OUTPUT_FORMATS = [
  'mp4',
  'mov',
  'webm',
  'gif',
  'mp3',
  'wav',
  'm4a',
  'jpg',
  'png',
  'sprite',
  // Numbered frames (frame_000000.png …, frame N at N/fps) in one stored .zip: a download is one file.
  'png_sequence',
  'jpg_sequence',
] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const even = (v: number) => v % 2 === 0;

/** NTSC rates by their usual decimal names; any other rate is 1–120 fps as a number or a fraction. */
export const FpsSchema = z.union([
  z.number().min(1).max(120),
  z
    .object({ num: z.int().min(1).max(120_000), den: z.int().min(1).max(1001) })
    .refine((r) => r.num / r.den >= 1 && r.num / r.den <= 120, { message: 'fps must be between 1 and 120' }),
]);

export const OutputOptionsSchema = z.object({
  /** Default: from the output file's extension, else the profile's container. */
  format: z.enum(OUTPUT_FORMATS).optional(),
  /** WebM only: VP9 (libvpx-vp9, default) or AV1 (libsvtav1). */
  video_codec: z.enum(['vp9', 'av1']).optional(),
  /** Canvas size on top of the profile: even, 16–4096. Give one and the other follows the profile's aspect. */
  width: z.int().min(16).max(4096).refine(even, { message: 'must be even' }).optional(),
  height: z.int().min(16).max(4096).refine(even, { message: 'must be even' }).optional(),
  /** Frame rate on top of the profile: 1–120; 23.976, 29.97, 59.94 and 119.88 mean the NTSC rates (x/1001). */
  fps: FpsSchema.optional(),
  /** jpg/png poster: the timeline time of the frame. Default 0. */
  poster_ms: z
    .int()
    .min(0)
    .max(24 * 3600 * 1000)
    .optional(),
  gif: z
    .object({
      /** The GIF's frame rate is the render's, capped at this (GIF delays are in 1/100 s). */
      max_fps: z.number().min(1).max(50).default(15),
      /** Width cap (height follows the aspect). */
      max_width: z.int().min(16).max(1920).default(480),
      /** Palette size (palettegen max_colors). */
      colors: z.int().min(2).max(256).default(256),
      dither: z.enum(['sierra2_4a', 'bayer', 'floyd_steinberg', 'none']).default('sierra2_4a'),
      /** 0 = loop forever, -1 = play once. */
      loop: z.int().min(-1).max(65535).default(0),
    })
    .optional(),
  sprite: z
    .object({
      /** One thumbnail every interval. */
      interval_ms: z.int().min(100).max(600_000).default(1000),
      columns: z.int().min(1).max(50).default(10),
      /** Width of one thumbnail (height follows the aspect). */
      tile_width: z.int().min(16).max(1920).refine(even, { message: 'must be even' }).default(160),
    })
    .optional(),
});
export type OutputOptions = z.infer<typeof OutputOptionsSchema>;

/** File extensions of each format (the first is the canonical one). */
export const FORMAT_EXTENSIONS: Record<OutputFormat, readonly string[]> = {
  mp4: ['mp4'],
  mov: ['mov'],
  webm: ['webm'],
  gif: ['gif'],
  mp3: ['mp3'],
  wav: ['wav'],
  m4a: ['m4a'],
  jpg: ['jpg', 'jpeg'],
  png: ['png'],
  sprite: ['jpg', 'jpeg', 'png'],
  png_sequence: ['zip'],
  jpg_sequence: ['zip'],
};

/** Formats that write every frame as an image into a .zip (see src/render/write-zip.ts). */
export const SEQUENCE_FORMATS: ReadonlySet<OutputFormat> = new Set(['png_sequence', 'jpg_sequence']);
