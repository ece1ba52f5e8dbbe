/**
 * Generated pictures as clips (editly's fill-color / linear-gradient / radial-gradient layers, Shotstack's
 * shape asset): a media clip with `generator` draws it instead of reading an asset. Such a clip names no
 * uploaded asset: its `asset_id` must start with `generator:` (e.g. "generator:bg"), and it needs
 * `duration_ms`. The picture is canvas-sized, so `transform`, `opacity`, automation, filters, motion and
 * transitions apply as to any clip; a shape is drawn centred with a transparent surround (place it with
 * transform.position_x/y, on an overlay track so the surround shows what is below).
 *
 * No I/O: part of the timeline model.
 */
import { z } from 'zod';

const Color = z.string().regex(/^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'colours are #RRGGBB or #RRGGBBAA');
const fraction = z.number().min(0).max(1);

export const GENERATOR_ASSET_PREFIX = 'generator:';

export const GeneratorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('color'), color: Color }),
  z.object({
    type: z.literal('linear_gradient'),
    /** From the first colour to the second along the direction `angle_deg` (0 = left to right, 90 = top to bottom). */
    colors: z.tuple([Color, Color]),
    angle_deg: z.number().min(-360).max(360).default(90),
  }),
  z.object({
    type: z.literal('radial_gradient'),
    /** First colour at the centre, second at the corners. */
    colors: z.tuple([Color, Color]),
  }),
  z.object({
    type: z.literal('shape'),
    shape: z.enum(['rectangle', 'rounded_rectangle', 'ellipse']),
    /** Size as fractions of the canvas. */
    width: fraction.refine((v) => v > 0, { message: 'must be > 0' }),
    height: fraction.refine((v) => v > 0, { message: 'must be > 0' }),
    fill: Color.default('#FFFFFF'),
    stroke: z
      .object({ color: Color.default('#000000'), width_px: z.number().min(0).max(200).default(4) })
      .optional(),
    /** rounded_rectangle: corner radius as a fraction of the shorter side. */
    corner_radius: z.number().min(0).max(0.5).default(0.15),
  }),
]);
export type Generator = z.infer<typeof GeneratorSchema>;
