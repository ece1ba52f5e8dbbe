/**
 * `matte` on a media clip (Shotstack's `luma` asset): another asset (an image or a video) masks the clip, so the
 * tracks below show through where the matte is dark (`luma`) or transparent (`alpha`). `invert` swaps the two;
 * `feather_px` softens the matte's edges (a Gaussian blur of that radius, in output pixels).
 *
 * The matte is stretched to the canvas and runs with the clip (a video matte from its own start at the clip's
 * first frame). It applies on `overlay` tracks; on the bottom track there is nothing below to reveal.
 *
 * No I/O: part of the timeline model.
 */
import { z } from 'zod';

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'ids use letters, digits and _ . : - only');

export const MatteSchema = z
  .object({
    /** The matte is this asset, from its own start at the clip's first frame. */
    asset_id: id.optional(),
    /**
     * Or: the matte is this clip of another track (Shotstack's luma clip): its asset, at the source time that
     * clip shows at each frame (its in_ms and start_ms; speed 1). Hide that clip's track to keep it out of view.
     */
    clip_id: id.optional(),
    mode: z.enum(['luma', 'alpha']).default('luma'),
    invert: z.boolean().default(false),
    feather_px: z.number().min(0).max(200).default(0),
  })
  .refine((m) => (m.asset_id === undefined) !== (m.clip_id === undefined), {
    message: 'give either asset_id or clip_id',
    path: ['asset_id'],
  });
export type Matte = z.infer<typeof MatteSchema>;
