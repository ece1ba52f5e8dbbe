/**
 * `motion` on a media clip: a Ken Burns / zoom-pan move over the clip's picture (video or image).
 *
 * - a preset id from GET /video/presets `motion_presets` (e.g. "ken_burns_in", "pan_left", "shake", or an alias
 *   such as "zoom_in"), checked by the planner, which knows the catalog;
 * - `{preset, intensity, easing}`: intensity scales the move (0 = none, 1 = as listed, 2 = twice as far);
 *   easing replaces the preset's easing;
 * - `{from, to, easing}`: custom start and end rectangles, in fractions of the clip's fitted picture. A rectangle
 *   keeps the picture's aspect, so it is given by its top-left corner and its width `w` (its height is the same
 *   fraction of the picture's height): `{x: 0, y: 0, w: 1}` is the whole picture, `{x: 0.25, y: 0.25, w: 0.5}`
 *   its centre at 2x zoom.
 *
 * No I/O: part of the timeline model.
 */
import { z } from 'zod';

/**
 * The easing names of schema.ts's EasingSchema, repeated here because schema.ts imports this module (an import
 * back would be a cycle); test/timeline/motion-schema.test.ts checks the two lists are equal.
 */
export const MotionEasingSchema = z.enum(['linear', 'ease_in', 'ease_out', 'ease_in_out', 'hold']);

const EPS = 1e-9;

export const MotionRectSchema = z
  .object({
    x: z.number().min(0).max(1),
    y: z.number().min(0).max(1),
    /** Width (and height) as a fraction of the picture's; 0.05 = 20x zoom at most. */
    w: z.number().min(0.05).max(1),
  })
  .refine((r) => r.x + r.w <= 1 + EPS && r.y + r.w <= 1 + EPS, {
    message: 'the rectangle must lie inside the picture (x + w ≤ 1 and y + w ≤ 1)',
  });
export type MotionRect = z.infer<typeof MotionRectSchema>;

export const MotionPresetRefSchema = z.object({
  preset: z.string().min(1).max(64),
  /** 0 = no move, 1 = the preset as listed, up to 3 = three times as far. */
  intensity: z.number().min(0).max(3).default(1),
  /** Replaces the easing of every moving segment of the preset. */
  easing: MotionEasingSchema.optional(),
});

export const MotionRectsSchema = z.object({
  from: MotionRectSchema,
  to: MotionRectSchema,
  easing: MotionEasingSchema.default('ease_in_out'),
});

export const MotionSchema = z.union([z.string().min(1).max(64), MotionPresetRefSchema, MotionRectsSchema]);
export type Motion = z.infer<typeof MotionSchema>;
