/**
 * A focus plan as a timeline clip on a canvas of the target aspect, using only the renderer's existing transform:
 * `fit: 'fit'` puts the whole source on the canvas (letterboxed), a static `scale` enlarges it until it covers
 * the canvas (crop height = source height for a landscape source on a vertical canvas), and keyframed
 * `position_x`/`position_y` move it so the crop centre sits at the canvas centre.
 *
 * The planner places a transformed clip with `overlay=x=W*position_x-w/2`, where w is the scaled picture width,
 * so a source point at fraction c of the picture lands at W*px - w/2 + c*w; putting the crop centre at W/2 gives
 * px = 0.5 + (w/W)*(0.5 - c). The fitted size is computed the way the planner does (even sizes, capped at the
 * canvas), so the picture covers the canvas exactly.
 */
import type { Automation, Easing } from '../../timeline/index.js';
import type { FocusPlan } from './plan-focus.js';

function even(x: number): number {
  return Math.max(2, 2 * Math.round(x / 2));
}

export interface FocusGeometry {
  /** Static transform scale relative to the fitted picture. */
  scale: number;
  /** Scaled picture size on the canvas, px. */
  picture: { width: number; height: number };
}

/** Mirrors src/plan/clip-video.ts: fit 'fit' size, then the static scale `even(fitted * scale)`. */
export function focusGeometry(
  source: { width: number; height: number },
  canvas: { width: number; height: number },
): FocusGeometry {
  const W = canvas.width;
  const H = canvas.height;
  const fitScale = Math.min(W / source.width, H / source.height);
  const fw = Math.min(W, even(source.width * fitScale));
  const fh = Math.min(H, even(source.height * fitScale));
  const scale = Math.max(W / fw, H / fh);
  return { scale, picture: { width: even(fw * scale), height: even(fh * scale) } };
}

/**
 * Position of the clip centre (0..1 of the canvas) that puts source fraction `centre` at the canvas centre,
 * clamped so the picture still covers the canvas (even-size rounding can make it a pixel narrower than ideal).
 */
export function positionFor(centre: number, picture: number, canvas: number): number {
  const p = 0.5 + (picture / canvas) * (0.5 - centre);
  const lo = 1 - picture / (2 * canvas);
  const hi = picture / (2 * canvas);
  return lo > hi ? 0.5 : Math.min(hi, Math.max(lo, p));
}

export interface FocusClipFields {
  fit: 'fit';
  /** The band of the source every crop window lies in (omitted when it is the whole frame). */
  crop?: { left: number; top: number; right: number; bottom: number };
  transform: { position_x: number; position_y: number; scale: number; rotation_deg: number };
  automation: Automation[];
}

export interface FocusLayout {
  /** Band of the source (0..1) that the clip's static crop keeps. */
  band: { left: number; top: number; right: number; bottom: number };
  /** Size of that band in source pixels. */
  band_size: { width: number; height: number };
  geometry: FocusGeometry;
}

/**
 * Static crop to the union of all crop windows first: the fit step then scales a narrower picture, so a
 * stationary shot is fitted at full resolution instead of being shrunk to the canvas width and enlarged again.
 * Band edges are snapped outwards to even source pixels so ffmpeg's integer crop is exactly the planned band.
 * Interpolated centres stay between their keyframes (linear and cosine easing are monotone), so the keyframe
 * extremes bound every window.
 */
export function focusLayout(plan: FocusPlan, canvas: { width: number; height: number }): FocusLayout {
  const { width: W, height: H } = plan.source;
  const xs = plan.keyframes.map((k) => k.center_x);
  const ys = plan.keyframes.map((k) => k.center_y);
  const down = (f: number, size: number) => Math.max(0, Math.floor((f * size) / 2) * 2);
  const up = (f: number, size: number) => Math.min(size, Math.ceil((f * size) / 2) * 2);
  const hx = plan.crop.width / 2;
  const hy = plan.crop.height / 2;
  const px = {
    left: xs.length ? down(Math.min(...xs) - hx, W) : 0,
    right: xs.length ? up(Math.max(...xs) + hx, W) : W,
    top: ys.length ? down(Math.min(...ys) - hy, H) : 0,
    bottom: ys.length ? up(Math.max(...ys) + hy, H) : H,
  };
  const band_size = { width: px.right - px.left, height: px.bottom - px.top };
  return {
    band: { left: px.left / W, top: px.top / H, right: px.right / W, bottom: px.bottom / H },
    band_size,
    geometry: focusGeometry(band_size, canvas),
  };
}

// Rounded towards the centre (0.5), so rounding never uncovers a canvas edge.
const r6 = (x: number) => (x > 0.5 ? Math.floor(x * 1e6) : Math.ceil(x * 1e6)) / 1e6;

export function focusClipFields(input: {
  plan: FocusPlan;
  canvas: { width: number; height: number };
}): FocusClipFields {
  const { plan, canvas } = input;
  const { band, geometry: g } = focusLayout(plan, canvas);
  const bw = band.right - band.left;
  const bh = band.bottom - band.top;
  const kf = (axis: 'x' | 'y') =>
    plan.keyframes.map((k) => ({
      t_ms: k.t_ms,
      value: r6(
        axis === 'x'
          ? positionFor((k.center_x - band.left) / bw, g.picture.width, canvas.width)
          : positionFor((k.center_y - band.top) / bh, g.picture.height, canvas.height),
      ),
      easing: k.easing as Easing,
    }));
  const xs = kf('x');
  const ys = kf('y');
  const first = { x: xs[0]?.value ?? 0.5, y: ys[0]?.value ?? 0.5 };
  const automation: Automation[] = [];
  // A constant axis is a static transform, not an animated one (cheaper filtergraph).
  if (xs.some((k) => k.value !== first.x)) automation.push({ param: 'position_x', keyframes: xs });
  if (ys.some((k) => k.value !== first.y)) automation.push({ param: 'position_y', keyframes: ys });
  const cropped = band.left > 0 || band.top > 0 || band.right < 1 || band.bottom < 1;
  // The planner prints crop fractions with 6 decimals and ffmpeg truncates iw*fraction to an integer: offset and
  // size are rounded UP at the 6th decimal (overshoot < 0.01 px), so truncation lands on the planned pixels.
  // (A band touching the right/bottom edge cannot grow: there the size may come out one even step short, 2 px.)
  const ceil6 = (x: number) => Math.ceil(x * 1e6 - 1e-6) / 1e6;
  const l = ceil6(band.left);
  const t = ceil6(band.top);
  return {
    fit: 'fit',
    ...(cropped
      ? {
          crop: {
            left: l,
            top: t,
            right: Math.max(0, 1 - l - ceil6(bw)),
            bottom: Math.max(0, 1 - t - ceil6(bh)),
          },
        }
      : {}),
    transform: {
      position_x: first.x,
      position_y: first.y,
      scale: Math.ceil(g.scale * 1e6) / 1e6,
      rotation_deg: 0,
    },
    automation,
  };
}
