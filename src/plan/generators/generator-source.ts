/**
 * A generator clip's picture as an ffmpeg lavfi input: ONE canvas-sized RGBA frame computed once (color, or geq
 * for gradients and shapes: geq evaluates per pixel, so it must not run on every frame), repeated by `loop` for
 * as long as the input's -t says. The clip then goes through the normal still-image path (fit, transform,
 * automation, transitions), so a generated layer behaves exactly like an image clip.
 */
import type { Generator, MediaInfo, Rational } from '../../timeline/index.js';
import { escapeFilterValue, formatNumber } from '../format.js';
import type { PlanSource } from '../types.js';

const n = (x: number) => formatNumber(x, 6);

function rgba(hex: string): [number, number, number, number] {
  const h = hex.slice(1);
  const v = (i: number) => parseInt(h.slice(i, i + 2), 16);
  return [v(0), v(2), v(4), h.length === 8 ? v(6) : 255];
}

/** geq expressions (r, g, b, a) blending two colours by a progress expression p in [0, 1]. */
function blend(c0: string, c1: string, p: string): [string, string, string, string] {
  const a = rgba(c0);
  const b = rgba(c1);
  return [0, 1, 2, 3].map((i) => `${n(a[i]!)}+${n(b[i]! - a[i]!)}*${p}`) as [string, string, string, string];
}

/** Inside-test expressions of a shape of half-size (hw, hh) centred at (W/2, H/2), shrunk by `inset` px. */
function inside(
  g: Extract<Generator, { type: 'shape' }>,
  hw: number,
  hh: number,
  inset: number,
  r: number,
): string {
  const w = Math.max(0, hw - inset);
  const h = Math.max(0, hh - inset);
  const dx = 'abs(X-W/2)';
  const dy = 'abs(Y-H/2)';
  switch (g.shape) {
    case 'rectangle':
      return `lte(${dx},${n(w)})*lte(${dy},${n(h)})`;
    case 'ellipse':
      return w <= 0 || h <= 0 ? '0' : `lte(pow(${dx}/${n(w)},2)+pow(${dy}/${n(h)},2),1)`;
    case 'rounded_rectangle': {
      const rr = Math.max(0, Math.min(r - inset, w, h));
      // Distance outside the inner rectangle (shrunk by the radius) must be within the radius.
      return `lte(${dx},${n(w)})*lte(${dy},${n(h)})*lte(hypot(max(${dx}-${n(w - rr)},0),max(${dy}-${n(h - rr)},0)),${n(rr)})`;
    }
  }
}

export function generatorGraph(options: {
  generator: Generator;
  width: number;
  height: number;
  fps: Rational;
}): string {
  const { generator: gen, width: W, height: H, fps } = options;
  const rate = `${formatNumber(fps.num)}/${formatNumber(fps.den)}`;
  const base = `color=c=0x00000000:s=${formatNumber(W)}x${formatNumber(H)}:r=${rate},format=rgba,trim=end_frame=1`;
  const v = escapeFilterValue;
  let exprs: [string, string, string, string];
  switch (gen.type) {
    case 'color': {
      const c = rgba(gen.color);
      exprs = [n(c[0]), n(c[1]), n(c[2]), n(c[3])];
      break;
    }
    case 'linear_gradient': {
      const a = (gen.angle_deg * Math.PI) / 180;
      const cos = Math.cos(a);
      const sin = Math.sin(a);
      // Projection on the direction, scaled so the canvas' extreme corners are at 0 and 1.
      const span = Math.abs(W * cos) + Math.abs(H * sin);
      exprs = blend(
        gen.colors[0],
        gen.colors[1],
        `clip(((X-W/2)*${n(cos)}+(Y-H/2)*${n(sin)})/${n(span)}+0.5,0,1)`,
      );
      break;
    }
    case 'radial_gradient':
      exprs = blend(gen.colors[0], gen.colors[1], 'clip(hypot(X-W/2,Y-H/2)/hypot(W/2,H/2),0,1)');
      break;
    case 'shape': {
      const hw = (gen.width * W) / 2;
      const hh = (gen.height * H) / 2;
      const r = gen.corner_radius * 2 * Math.min(hw, hh);
      const outer = inside(gen, hw, hh, 0, r);
      const fill = rgba(gen.fill);
      const s = gen.stroke;
      if (s && s.width_px > 0) {
        const inner = inside(gen, hw, hh, s.width_px, r);
        const sc = rgba(s.color);
        // Stroke inside the outline: in the shape but not in the shape shrunk by the stroke width.
        const pick = (i: number) => `if(${inner},${n(fill[i]!)},${n(sc[i]!)})`;
        exprs = [pick(0), pick(1), pick(2), `${outer}*${pick(3)}`];
      } else {
        exprs = [n(fill[0]), n(fill[1]), n(fill[2]), `${outer}*${n(fill[3])}`];
      }
      break;
    }
  }
  const geq = `geq=r=${v(exprs[0])}:g=${v(exprs[1])}:b=${v(exprs[2])}:a=${v(exprs[3])}`;
  return `${base},${geq},loop=loop=-1:size=1,setpts=N/FRAME_RATE/TB`;
}

/** A PlanSource for a generator clip (no file: the lavfi graph is its "path"). */
export function generatorSource(options: {
  assetId: string;
  generator: Generator;
  width: number;
  height: number;
  fps: Rational;
}): PlanSource {
  const { width, height, fps } = options;
  const info: MediaInfo = {
    kind: 'image',
    format_name: 'lavfi',
    duration_ms: 0,
    size_bytes: 0,
    video: {
      index: 0,
      codec: 'rawvideo',
      width,
      height,
      display_width: width,
      display_height: height,
      fps,
      avg_fps: fps,
      vfr: false,
      rotation: 0,
      sar: { num: 1, den: 1 },
      pix_fmt: 'rgba',
      duration_ms: 0,
      start_ms: 0,
      still: true,
    },
    stream_count: 1,
  };
  return {
    asset_id: options.assetId,
    path: generatorGraph(options),
    content_hash: `generator:${JSON.stringify(options.generator)}`,
    info,
    input_format: 'lavfi',
  };
}
