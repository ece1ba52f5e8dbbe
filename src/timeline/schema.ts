/**
 * The timeline model: zod schemas are the single source of the TypeScript types, the JSON Schema served in
 * /openapi.json, and validation. No I/O and no node:* imports: the web editor reuses this folder unchanged.
 *
 * Time is integer milliseconds everywhere in JSON. Frame-exact snapping happens in the planner, which knows the
 * output frame rate.
 *
 * Transitions are centred on the cut between two butt-joined clips of one track (as in Premiere or Resolve):
 * a 1000 ms transition at a cut at 10 000 ms blends from 9 500 to 10 500 ms. The outgoing clip's media after its
 * out point (its "handle") fills the second half, or its last frame is held when the source has none; the same
 * for the incoming clip before its in point. The timeline's length never changes when a transition is added.
 */
import { z } from 'zod';
import { ClipTransitionSchema } from './clip-transition.js';
import { GeneratorSchema } from './generator.js';
import { MatteSchema } from './matte.js';
import { MotionSchema } from './motion.js';

const ms = z
  .int()
  .min(0)
  .max(24 * 3600 * 1000);
const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'ids use letters, digits and _ . : - only');

export const EasingSchema = z.enum(['linear', 'ease_in', 'ease_out', 'ease_in_out', 'hold']);
export type Easing = z.infer<typeof EasingSchema>;

export const KeyframeSchema = z.object({
  /** Relative to the clip's (or layer's) start on the timeline. */
  t_ms: ms,
  value: z.number(),
  /** Easing of the segment that starts at this keyframe. */
  easing: EasingSchema.default('linear'),
});
export type Keyframe = z.infer<typeof KeyframeSchema>;

/**
 * Animatable clip params: transform and opacity/volume, or a filter param addressed as `filter:{filter_id}.{param}`.
 */
export const AutomationParamSchema = z.union([
  z.enum(['opacity', 'volume', 'position_x', 'position_y', 'scale', 'rotation_deg']),
  z
    .string()
    .regex(
      /^filter:[A-Za-z0-9_.:-]+\.[a-z0-9_]+$/,
      'filter params are addressed as filter:{filter_id}.{param}',
    ),
]);

export const AutomationSchema = z.object({
  param: AutomationParamSchema,
  keyframes: z.array(KeyframeSchema).min(1).max(1000),
});
export type Automation = z.infer<typeof AutomationSchema>;

export const TransformSchema = z.object({
  /** Centre of the clip on the canvas, 0..1 of the canvas width/height (0.5, 0.5 = centred). */
  position_x: z.number().min(-2).max(3).default(0.5),
  position_y: z.number().min(-2).max(3).default(0.5),
  /** 1 = the clip fitted to the canvas per `fit`; 0.5 = half that size (picture-in-picture). */
  scale: z.number().min(0.01).max(20).default(1),
  rotation_deg: z.number().min(-3600).max(3600).default(0),
});
export type Transform = z.infer<typeof TransformSchema>;

/** Crop in fractions of the source frame, so the same crop applies to proxies and originals. */
export const CropSchema = z
  .object({
    left: z.number().min(0).max(1).default(0),
    top: z.number().min(0).max(1).default(0),
    right: z.number().min(0).max(1).default(0),
    bottom: z.number().min(0).max(1).default(0),
  })
  .refine((c) => c.left + c.right < 1 && c.top + c.bottom < 1, { message: 'crop removes the whole frame' });
export type Crop = z.infer<typeof CropSchema>;

export const FilterInstanceSchema = z.object({
  /** Unique within the clip; automation addresses filter params through it. */
  id: id.optional(),
  /** A filter type from the catalog (GET /video/presets); checked by the planner, which knows the catalog. */
  type: z.string().min(1).max(64),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
});
export type FilterInstance = z.infer<typeof FilterInstanceSchema>;

export const FitSchema = z.enum(['fit', 'fill', 'blur', 'stretch']);
export type Fit = z.infer<typeof FitSchema>;

export const SlowmoQualitySchema = z.enum(['high', 'medium', 'fast']);

export const MediaClipSchema = z.object({
  id,
  asset_id: id,
  /** Where the clip starts on the timeline. */
  start_ms: ms,
  /** Source in point. */
  in_ms: ms.default(0),
  /** Source out point; defaults to the end of the asset. Required for images unless duration_ms is given. */
  out_ms: ms.optional(),
  /** Length on the timeline for stills and freeze frames (images have no duration of their own). */
  duration_ms: ms.optional(),
  speed: z.number().min(0.25).max(4).default(1),
  reverse: z.boolean().default(false),
  /** Show the source frame at this source time for the clip's whole duration (needs duration_ms). */
  freeze_at_ms: ms.optional(),
  volume: z.number().min(0).max(4).default(1),
  muted: z.boolean().default(false),
  audio_fade_in_ms: ms.default(0),
  audio_fade_out_ms: ms.default(0),
  opacity: z.number().min(0).max(1).default(1),
  fit: FitSchema.optional(),
  transform: TransformSchema.prefault({}),
  crop: CropSchema.optional(),
  filters: z.array(FilterInstanceSchema).max(64).default([]),
  automation: z.array(AutomationSchema).max(64).default([]),
  /** Stabilise with vidstab transforms (issue: stabilise); true = defaults. */
  stabilise: z
    .union([
      z.boolean(),
      z.object({
        smoothing: z.int().min(0).max(100).default(15),
        zoom: z.number().min(-50).max(50).default(0),
        crop: z.enum(['keep', 'black']).default('keep'),
        tripod: z.boolean().default(false),
      }),
    ])
    .optional(),
  slowmo_quality: SlowmoQualitySchema.optional(),
  /** Ken Burns / zoom-pan over the clip's picture: a preset id, a preset with intensity/easing, or rectangles (motion.ts). */
  motion: MotionSchema.optional(),
  /** Transition of this clip alone, in from nothing / out to nothing (clip-transition.ts). */
  transition_in: ClipTransitionSchema.optional(),
  transition_out: ClipTransitionSchema.optional(),
  /** Draw a colour fill, gradient or shape instead of reading an asset (generator.ts); asset_id "generator:…". */
  generator: GeneratorSchema.optional(),
  /** Luma or alpha matte from another asset, revealing the tracks below (matte.ts). */
  matte: MatteSchema.optional(),
  /**
   * Audio tracks: repeat the source range [in_ms, out_ms) until the clip's duration_ms is filled (a music bed
   * shorter than the edit). Optional so documents without it parse to the same bytes.
   */
  loop: z.boolean().optional(),
  /** `false` mutes the clip's own sound (a video's embedded audio); the same as `muted: true`. Default true. */
  keep_source_audio: z.boolean().optional(),
});
export type MediaClip = z.infer<typeof MediaClipSchema>;

export const TransitionSchema = z.object({
  id,
  type: z.string().min(1).max(64),
  from_clip_id: id,
  to_clip_id: id,
  duration_ms: z.int().min(1).max(10_000),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
});
export type Transition = z.infer<typeof TransitionSchema>;

export const ColorSchema = z
  .string()
  .regex(/^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'colours are #RRGGBB or #RRGGBBAA');

export const TextAnimationSchema = z.enum([
  'none',
  'fade',
  'slide_up',
  'slide_down',
  'slide_left',
  'slide_right',
  'pop',
]);

export const PositionPresetSchema = z.enum([
  'center',
  'top',
  'bottom',
  'left',
  'right',
  'top_left',
  'top_right',
  'bottom_left',
  'bottom_right',
  'lower_third',
]);

export const TextLayerSchema = z.object({
  id,
  start_ms: ms,
  duration_ms: z
    .int()
    .min(1)
    .max(24 * 3600 * 1000),
  text: z.string().min(1).max(5000),
  font: z
    .object({
      /** A system font family (fontconfig name), e.g. "DejaVu Sans". */
      family: z.string().min(1).max(128).optional(),
      /** A font file uploaded as an asset of the tenant. */
      asset_id: id.optional(),
      /** Size in px on a 1080-pixel-high canvas; scaled with the output height. */
      size: z.number().min(4).max(1000).default(64),
      bold: z.boolean().default(false),
    })
    .prefault({}),
  color: ColorSchema.default('#FFFFFF'),
  box: z
    .object({ color: ColorSchema.default('#000000A0'), padding: z.number().min(0).max(200).default(16) })
    .optional(),
  outline: z
    .object({ color: ColorSchema.default('#000000'), width: z.number().min(0).max(50).default(3) })
    .optional(),
  shadow: z
    .object({
      color: ColorSchema.default('#000000A0'),
      x: z.number().min(-50).max(50).default(3),
      y: z.number().min(-50).max(50).default(3),
    })
    .optional(),
  position: z
    .union([PositionPresetSchema, z.object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) })])
    .default('center'),
  align: z.enum(['left', 'center', 'right']).default('center'),
  /**
   * Text wider than the safe area (the canvas less 5% each side): `wrap` breaks lines at spaces to fit it,
   * `shrink` lowers the size until the widest line fits, `none` (the default when absent) draws it as written.
   * Widths are estimated (0.6 em per character), so fitting is approximate; text still estimated past the
   * canvas warns TEXT_OVERFLOW. Optional so documents without it parse to the same bytes as before.
   */
  fit: z.enum(['wrap', 'shrink', 'none']).optional(),
  animation: z
    .object({
      in: TextAnimationSchema.default('none'),
      out: TextAnimationSchema.default('none'),
      duration_ms: z.int().min(0).max(5000).default(400),
    })
    .prefault({}),
});
export type TextLayer = z.infer<typeof TextLayerSchema>;

export const CaptionStyleSchema = z.enum(['clean', 'bold_pop', 'karaoke']);

export const CaptionLayerSchema = z.object({
  id,
  /** An asr_transcript artifact of the tenant. */
  transcript_artifact_id: id,
  /** Where transcript time 0 falls on the timeline (ignored while `source_clip_id` links the item to a clip). */
  start_ms: ms.default(0),
  /**
   * The clip whose source the transcript is of (on any video or audio track): the captions then follow it,
   * showing transcript time t at the clip's timeline time of source time t, and only its in..out words, so
   * moving or trimming the clip moves and trims its captions. Optional: unlinked items keep `start_ms`.
   */
  source_clip_id: id.optional(),
  style: CaptionStyleSchema.default('clean'),
  font: z
    .object({ family: z.string().min(1).max(128).optional(), size: z.number().min(4).max(1000).optional() })
    .optional(),
});
export type CaptionLayer = z.infer<typeof CaptionLayerSchema>;

const trackCommon = {
  id,
  name: z.string().max(200).optional(),
  /**
   * Editor-only: a locked track refuses every edit op (TRACK_LOCKED) until unlocked. The planner ignores it.
   * Optional rather than defaulted so documents written before it parse to the same bytes.
   */
  locked: z.boolean().optional(),
};

export const VideoTrackSchema = z.object({
  ...trackCommon,
  /** `video` tracks carry picture and sound; `overlay` tracks sit above (B-roll, PiP, logos). */
  kind: z.enum(['video', 'overlay']),
  hidden: z.boolean().default(false),
  muted: z.boolean().default(false),
  volume: z.number().min(0).max(4).default(1),
  clips: z.array(MediaClipSchema).max(20_000).default([]),
  transitions: z.array(TransitionSchema).max(20_000).default([]),
});
/**
 * Lower an audio track (music, ambience) while speech plays on another track. `"speech"`: speech on any other
 * track; `{track_id}`: speech on that track. Speech comes from the clips' audio_semantic_timeline artifacts.
 */
export const DuckUnderSchema = z.union([
  z.literal('speech'),
  z.object({
    track_id: id.optional(),
    depth_db: z.number().min(-60).max(0).default(-12),
    attack_ms: z.int().min(0).max(5000).default(150),
    release_ms: z.int().min(0).max(10_000).default(400),
    /** `auto`: gain automation from speech windows when every key clip has them, else sidechaincompress. */
    method: z.enum(['auto', 'gain', 'sidechain']).default('auto'),
  }),
]);
export type DuckUnder = z.infer<typeof DuckUnderSchema>;

export const AudioTrackSchema = z.object({
  ...trackCommon,
  kind: z.literal('audio'),
  muted: z.boolean().default(false),
  volume: z.number().min(0).max(4).default(1),
  /** Volume keyframes for the whole track, relative to timeline time 0. */
  automation: z.array(AutomationSchema).max(8).default([]),
  duck_under: DuckUnderSchema.optional(),
  /**
   * Fade the whole track in from its first clip's start / out to its last clip's end (the soundtrack), on top of
   * each clip's own audio fades. Optional so documents without them parse to the same bytes.
   */
  fade_in_ms: ms.optional(),
  fade_out_ms: ms.optional(),
  clips: z.array(MediaClipSchema).max(20_000).default([]),
  transitions: z.array(TransitionSchema).max(20_000).default([]),
});
export const TextTrackSchema = z.object({
  ...trackCommon,
  kind: z.literal('text'),
  hidden: z.boolean().default(false),
  items: z.array(TextLayerSchema).max(5000).default([]),
});
export const CaptionTrackSchema = z.object({
  ...trackCommon,
  kind: z.literal('caption'),
  hidden: z.boolean().default(false),
  items: z.array(CaptionLayerSchema).max(100).default([]),
});

export const TrackSchema = z.discriminatedUnion('kind', [
  VideoTrackSchema,
  AudioTrackSchema,
  TextTrackSchema,
  CaptionTrackSchema,
]);
export type Track = z.infer<typeof TrackSchema>;
export type VideoTrack = z.infer<typeof VideoTrackSchema>;
export type AudioTrack = z.infer<typeof AudioTrackSchema>;
export type TextTrack = z.infer<typeof TextTrackSchema>;
export type CaptionTrack = z.infer<typeof CaptionTrackSchema>;

/** Optional multicam data (filled in by multicam alignment / auto-cut); existing timelines stay valid without it. */
export const MulticamSchema = z.object({
  alignment_artifact_id: id.optional(),
  /** asset_id -> offset in ms to add to that camera's source time to reach the common clock. */
  offsets_ms: z.record(z.string(), z.number()).default({}),
  scoring: z.record(z.string(), z.unknown()).default({}),
});

/** A named point on the timeline (the editor snaps to markers); the planner ignores markers. */
export const MarkerSchema = z.object({
  id,
  time_ms: ms,
  label: z.string().max(200).default(''),
});
export type Marker = z.infer<typeof MarkerSchema>;

/** A sequence is what gets rendered: tracks from bottom (first) to top (last). */
export const SequenceSchema = z.object({
  id: id.default('main'),
  name: z.string().max(200).optional(),
  /** Canvas background where nothing covers it. */
  background: ColorSchema.default('#000000'),
  /** Default fit for clips whose aspect differs from the profile's. */
  fit: FitSchema.default('fit'),
  /** Explicit end; by default the end of the last clip or layer. */
  duration_ms: ms.optional(),
  tracks: z.array(TrackSchema).max(100).default([]),
  multicam: MulticamSchema.optional(),
  /** Optional so documents without markers parse to the same bytes as before markers existed. */
  markers: z.array(MarkerSchema).max(1000).optional(),
  /** Provenance written by assists (e.g. what a transcript edit removed and why); the renderer ignores it. */
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type Sequence = z.infer<typeof SequenceSchema>;
/** A timeline document is a sequence. */
export type Timeline = Sequence;
export const TimelineSchema = SequenceSchema;

export const ProjectSchema = z.object({
  id: id.optional(),
  name: z.string().min(1).max(200),
  sequences: z.array(SequenceSchema).max(50).default([]),
});
export type Project = z.infer<typeof ProjectSchema>;

export type TimelineInput = z.input<typeof TimelineSchema>;
