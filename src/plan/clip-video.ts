/**
 * The video of one clip segment, normalised to the profile: clip-relative output frames [p0, p0 + count) as a
 * canvas-sized stream of exactly `count` frames, pts from 0.
 *
 * Order matters: speed and the fps filter first (VFR -> CFR on the output grid), then the exact frame count
 * (tpad clones the last frame when the source runs short, trim cuts the rest), then crop, fit, the clip's
 * filters, and last the transform onto the canvas.
 */
import { CutroomError, isCutroomError, type ErrorDetails, type Warning } from '../errors.js';
import type { Automation, Fit, Keyframe } from '../timeline/index.js';
import { keyframeExpr } from './automation/keyframe-expr.js';
import { keyframeValueAt } from './automation/keyframe-value.js';
import type { ClipRef } from './clip-ref.js';
import { compileFilterChain } from './filters/compile-filter-chain.js';
import { applyRegionFilters } from './region-filters.js';
import { escapeFilterValue, formatNumber } from './format.js';
import { frameMs, type FrameGrid } from './frame-grid.js';
import type { GraphBuilder } from './graph.js';
import type { SegmentInput } from './segment-input.js';
import { clipInOut } from './clip-transitions/clip-in-out.js';
import { applyMatte } from './matte/apply-matte.js';
import type { PlanSource } from './types.js';
import { resolveMotion } from './motion/resolve-motion.js';
import { motionPrescale, prescaledSize, zoompanFilter } from './motion/zoompan-filter.js';

export interface VideoSegmentOptions {
  g: GraphBuilder;
  ref: ClipRef;
  grid: FrameGrid;
  input: SegmentInput;
  /** Clip-relative first output frame (negative inside an incoming transition's handle). */
  p0: number;
  count: number;
  canvas: { width: number; height: number };
  fit: Fit;
  /** ffmpeg colour of the canvas around the picture (`0x000000FF`, or `0x00000000` on upper tracks). */
  canvasColor: string;
  /** Upper tracks keep an alpha plane so the tracks below show through. */
  alpha: boolean;
  luts: Record<string, string>;
  warnings: Warning[];
  /** Unique per segment of the clip: keeps filter-internal labels unique. */
  segment: number;
  /**
   * Input of the clip's region mask (same input options as `input`), when the clip has region-aware filters
   * and a mask artifact; without it region-aware filters are left out (the caller warns REGIONS_MISSING).
   */
  masks?: Array<{ filterIndex: number; maskInput: number }>;
  /** Filters run first on the decoded source (stabilise: vidstabtransform, then the trim to the window). */
  pre?: string[];
  /** Filters run first on the mask (the same trim, without the transform). */
  maskPre?: string[];
  /** Slow-motion interpolation between setpts and fps (slowmoFilter); '' or undefined for none. */
  slowmo?: string;
  /** The source of the clip's matte asset (clip.matte), when the plan has it; applied on alpha tracks only. */
  matteSource?: PlanSource;
  /** Source time of the matte at the clip's first frame (a matte from another clip: where that clip is), ms. */
  matteOffsetMs?: number;
  /** Absolute timeline frames of the segment (recorded on the matte's input for planChunks). */
  frames?: [number, number];
}

const TRANSFORM_PARAMS = ['opacity', 'position_x', 'position_y', 'scale', 'rotation_deg'] as const;
type TransformParam = (typeof TRANSFORM_PARAMS)[number];

function even(x: number): number {
  return Math.max(2, 2 * Math.round(x / 2));
}

function n(x: number): string {
  return formatNumber(x);
}

function automationOf(automation: Automation[], param: TransformParam): Keyframe[] | undefined {
  return automation.find((a) => a.param === param)?.keyframes;
}

/** The size of the source picture as displayed (rotation and SAR applied), after the clip's crop. */
function croppedDisplaySize(ref: ClipRef): { w: number; h: number } {
  const v = ref.source.info.video;
  const w = v?.display_width ?? 16;
  const h = v?.display_height ?? 9;
  const c = ref.clip.crop;
  if (!c) return { w, h };
  return { w: w * (1 - c.left - c.right), h: h * (1 - c.top - c.bottom) };
}

export function buildVideoSegment(o: VideoSegmentOptions): string {
  const picture = buildUnmatted(o);
  const matte = o.ref.clip.matte;
  if (matte === undefined || o.matteSource === undefined || !o.alpha) return picture;
  return applyMatte({
    g: o.g,
    picture,
    matte,
    source: o.matteSource,
    offsetMs: o.matteOffsetMs ?? 0,
    grid: o.grid,
    canvas: o.canvas,
    p0: o.p0,
    count: o.count,
    frames: o.frames ?? [o.ref.startF + o.p0, o.ref.startF + o.p0 + o.count],
  });
}

function buildUnmatted(o: VideoSegmentOptions): string {
  const { g, ref, grid, input, p0, count, canvas } = o;
  const W = canvas.width;
  const H = canvas.height;
  const clip = ref.clip;
  const fps = `${n(grid.fps.num)}/${n(grid.fps.den)}`;
  const pixFmt = o.alpha ? 'yuva420p' : 'yuv420p';

  // 1. Timing: frames on the output grid, exactly `count` of them.
  const f: string[] = [];
  if (ref.freeze) f.push('trim=end_frame=1');
  if (!ref.still && !ref.freeze && clip.speed !== 1) f.push(`setpts=(PTS-STARTPTS)/${n(clip.speed)}`);
  else f.push('setpts=PTS-STARTPTS');
  // The mask skips the interpolation (minterpolate on a mask is a second costly pass): it repeats source frames,
  // within half a source frame of the interpolated picture.
  const slowmoAt = f.length;
  if (o.slowmo) f.push(o.slowmo);
  f.push(`fps=${fps}`);
  if (ref.reverse) f.push('reverse');
  if (input.leadFrames > 0) f.push(`tpad=start=${n(input.leadFrames)}:start_mode=clone`);
  f.push(`tpad=stop=${n(count)}:stop_mode=clone`, `trim=end_frame=${n(count)}`);

  // 2. Crop in fractions of the displayed frame (autorotation has already been applied by ffmpeg).
  const c = clip.crop;
  const cropChain: string[] = [];
  if (c && (c.left > 0 || c.right > 0 || c.top > 0 || c.bottom > 0)) {
    cropChain.push(
      `crop=w=iw*${n(1 - c.left - c.right)}:h=ih*${n(1 - c.top - c.bottom)}:x=iw*${n(c.left)}:y=ih*${n(c.top)}`,
    );
  }
  const timing = [...(o.maskPre ?? []), ...f.filter((_, i) => !(o.slowmo && i === slowmoAt))];
  f.unshift(...(o.pre ?? []));
  f.push(...cropChain);

  // 3. Fit to the canvas. Sizes are computed here from the probe so transforms can be relative to them.
  const src = croppedDisplaySize(ref);
  const fitScale = Math.min(W / src.w, H / src.h);
  const fillScale = Math.max(W / src.w, H / src.h);
  const fw = o.fit === 'fill' || o.fit === 'stretch' ? W : Math.min(W, even(src.w * fitScale));
  const fh = o.fit === 'fill' || o.fit === 'stretch' ? H : Math.min(H, even(src.h * fitScale));
  const sw = even(src.w * fillScale);
  const sh = even(src.h * fillScale);
  const fillChain = [
    `scale=${n(sw)}:${n(sh)}`,
    'setsar=1',
    `crop=${n(W)}:${n(H)}:${n((sw - W) / 2)}:${n((sh - H) / 2)}`,
  ];

  // 3b. Motion (Ken Burns / zoom-pan): the fitted picture is scaled k times larger, then zoompan crops its moving
  // window back to the fitted size. Mask chains take the same geometry, so regions follow the move.
  const motion =
    clip.motion !== undefined
      ? // The move ends on the clip's last frame (not one frame after it), so `to` is exactly what it shows last.
        resolveMotion({
          motion: clip.motion,
          durationMs: Math.max(1, ref.endF - ref.startF - 1) * frameMs(grid),
        })
      : undefined;
  /** The scale to a `w` x `h` picture (from a picture scaled to `scaledW` wide), with the clip's motion. */
  const scaleTo = (w: number, h: number, scaledW: number, scaledH: number, crop: boolean): string[] => {
    const cropTo = (k: number): string[] => {
      const c = prescaledSize(w, h, k);
      const s = prescaledSize(scaledW, scaledH, k);
      return crop ? [`crop=${n(c.w)}:${n(c.h)}:${n((s.w - c.w) / 2)}:${n((s.h - c.h) / 2)}`] : [];
    };
    if (motion === undefined) return [`scale=${n(scaledW)}:${n(scaledH)}`, 'setsar=1', ...cropTo(1)];
    const k = motionPrescale({
      motion,
      width: scaledW,
      height: scaledH,
      sourceWidth: src.w,
      sourceHeight: src.h,
    });
    const s = prescaledSize(scaledW, scaledH, k);
    return [
      `scale=${n(s.w)}:${n(s.h)}`,
      'setsar=1',
      ...cropTo(k),
      zoompanFilter({ motion, width: w, height: h, fps: grid.fps, p0 }),
    ];
  };

  // 4. The clip's filters see clip-relative time (t = 0 at the clip's first frame), whatever the segment.
  const clipLengthMs = (ref.endF - ref.startF) * frameMs(grid);
  let regionChains: Array<{ filterIndex: number; chain: string }> = [];
  const filterChain = (width: number, height: number): string[] => {
    if (clip.filters.length === 0) return [];
    const suffix = `~s${o.segment}`;
    let r: ReturnType<typeof compileFilterChain>;
    try {
      r = compileFilterChain({
        filters: clip.filters,
        automation: clip.automation,
        clipPath: `${ref.path}${suffix}`,
        width,
        height,
        fps: grid.fps,
        durationMs: Math.round(clipLengthMs),
        luts: o.luts,
      });
    } catch (err) {
      // The segment suffix only keeps filter labels unique; the client's path has none.
      throw withoutPathSuffix(err, suffix);
    }
    if (o.segment === 0) {
      for (const w of r.warnings)
        o.warnings.push({ ...w, ...(w.path ? { path: w.path.replace(suffix, '') } : {}) });
    }
    regionChains = (r.regionFilters ?? [])
      .map((x) => ({ filterIndex: Number(/\.filters\[(\d+)\]$/.exec(x.path)?.[1] ?? -1), chain: x.chain }))
      .filter((x) => x.chain !== '' && o.masks?.some((m) => m.filterIndex === x.filterIndex));
    if (r.chain === '') return [];
    const shift = p0 === 0 ? [] : [`setpts=PTS+${n((p0 * frameMs(grid)) / 1000)}/TB`];
    return [...shift, r.chain, 'setpts=PTS-STARTPTS'];
  };

  const animated = clip.automation.some((a) => (TRANSFORM_PARAMS as readonly string[]).includes(a.param));
  const t = clip.transform;
  // The clip's own in/out transitions (fade, slide, zoom, wipe from/to nothing) ride on the transform step.
  const segmentClipSeconds = (p0 * frameMs(grid)) / 1000;
  const clipTimeOf = (timeVar: string) =>
    segmentClipSeconds === 0 ? timeVar : `(${timeVar}+${n(segmentClipSeconds)})`;
  const inOutOf = (timeVar: string, report: boolean) =>
    clipInOut({
      clip,
      clipLengthMs: (ref.endF - ref.startF) * frameMs(grid),
      path: ref.path,
      warnings: o.warnings,
      clipTime: clipTimeOf(timeVar),
      report,
    });
  const inOut = inOutOf('t', o.segment === 0);
  const transformed =
    inOut !== undefined ||
    animated ||
    t.position_x !== 0.5 ||
    t.position_y !== 0.5 ||
    t.scale !== 1 ||
    t.rotation_deg !== 0 ||
    clip.opacity < 1;

  const inLabel = `[${input.index}:v]`;
  const out = g.fresh('v');

  // A static enlargement of a fitted clip with nothing sized to the fitted picture in between (no filters,
  // motion, keyed scale or in/out zoom) is folded into the fit scale.
  const folded =
    o.fit === 'fit' &&
    t.scale > 1 &&
    motion === undefined &&
    clip.filters.length === 0 &&
    automationOf(clip.automation, 'scale') === undefined &&
    inOut?.scaleFactor === undefined;
  // Produce the fitted picture on `fitted` (fw x fh; canvas size for fill/stretch/blur; the enlarged size when
  // folded).
  let fitted: string;
  let place: string[] = [];
  let maskGeometry: string[] = [];
  let fittedW = folded ? even(fw * t.scale) : fw;
  let fittedH = folded ? even(fh * t.scale) : fh;
  if (o.fit === 'blur') {
    // Blurred, enlarged copy of the picture behind the fitted picture: fills the canvas without cropping it.
    const a = g.fresh('bla');
    const b = g.fresh('blb');
    const bg = g.fresh('blbg');
    const fg = g.fresh('blfg');
    g.chain([inLabel], [...f, 'split=2'], `${a}${b}`);
    const radius = Math.max(2, Math.round(Math.min(W, H) / 30));
    g.chain([a], [...fillChain, `boxblur=${n(radius)}:2`], bg);
    g.chain([b], [...scaleTo(fw, fh, fw, fh, false), ...filterChain(fw, fh)], fg);
    fitted = g.fresh('blur');
    g.chain([bg, fg], [`overlay=x=${n((W - fw) / 2)}:y=${n((H - fh) / 2)}`], fitted);
    fittedW = W;
    fittedH = H;
    // The region sits where the sharp picture is; the blurred background is outside every region.
    maskGeometry = [
      ...scaleTo(fw, fh, fw, fh, false),
      `pad=${n(W)}:${n(H)}:${n((W - fw) / 2)}:${n((H - fh) / 2)}:color=black`,
    ];
  } else {
    const scale =
      o.fit === 'fill'
        ? scaleTo(W, H, sw, sh, true)
        : o.fit === 'stretch'
          ? scaleTo(W, H, W, H, false)
          : folded
            ? // One resample from the source straight to the enlarged size: fitting first would shrink a
              // large source to the canvas and enlarge it again, which blurs (reframe, zoomed clips).
              scaleTo(fittedW, fittedH, fittedW, fittedH, false)
            : scaleTo(fw, fh, fw, fh, false);
    const linear = filterChain(fw, fh);
    const regional = regionChains.length > 0;
    // format before pad so the padding gets an alpha plane on upper tracks.
    place =
      o.fit === 'fit' && (fw !== W || fh !== H)
        ? [`pad=${n(W)}:${n(H)}:${n((W - fw) / 2)}:${n((H - fh) / 2)}:color=${o.canvasColor}`]
        : [];
    if (!transformed && !regional) {
      g.chain([inLabel], [...f, ...scale, ...linear, `format=${pixFmt}`, ...place], out);
      return out;
    }
    fitted = g.fresh('fit');
    g.chain([inLabel], [...f, ...scale, ...linear], fitted);
    maskGeometry = scale;
  }

  if (regionChains.length > 0) {
    // Each mask takes the picture's exact path: same timing chain, crop and fit geometry (region-filters.ts),
    // once per mask input, split when several filters share it.
    const stepInputs = regionChains.map(
      (x) => o.masks!.find((m) => m.filterIndex === x.filterIndex)!.maskInput,
    );
    const labels = new Map<number, string[]>();
    for (const input of [...new Set(stepInputs)]) {
      const uses = stepInputs.filter((i) => i === input).length;
      const mask = g.fresh('mask');
      g.chain([`[${input}:v]`], [...timing, ...cropChain, ...maskGeometry, 'format=gray'], mask);
      if (uses === 1) labels.set(input, [mask]);
      else {
        const parts = Array.from({ length: uses }, () => g.fresh('rmask'));
        g.chain([mask], [`split=${uses}`], parts.join(''));
        labels.set(input, parts);
      }
    }
    fitted = applyRegionFilters({
      g,
      picture: fitted,
      steps: regionChains.map((x, k) => ({ chain: x.chain, mask: labels.get(stepInputs[k]!)!.shift()! })),
    });
  }

  if (!transformed) {
    g.chain([fitted], [`format=${pixFmt}`, ...place], out);
    return out;
  }

  // 5. Transform onto the canvas: scale relative to the fitted size, opacity, rotation, centre position.
  const offsetSeconds = -(p0 * frameMs(grid)) / 1000;
  const kf = (param: TransformParam, timeVar: string): string | undefined => {
    const keyframes = automationOf(clip.automation, param);
    return keyframes ? keyframeExpr({ keyframes, timeVar, offsetSeconds }) : undefined;
  };
  const v = (expr: string): string => escapeFilterValue(expr);
  const tf: string[] = ['format=yuva420p'];
  // A size that changes per frame must come last: filters after it (geq, rotate) are configured for one
  // input size, and feeding them another corrupts memory in ffmpeg 5.1. overlay accepts the changing size.
  const keyedScale = kf('scale', 't');
  const scaleExpr =
    inOut?.scaleFactor !== undefined ? `(${keyedScale ?? n(t.scale)})*${inOut.scaleFactor}` : keyedScale;
  let perFrame = scaleExpr !== undefined;
  if (scaleExpr === undefined && t.scale !== 1 && !folded) {
    tf.push(`scale=${n(even(fittedW * t.scale))}:${n(even(fittedH * t.scale))}`);
  }
  const opacityKeys = automationOf(clip.automation, 'opacity');
  const fadeAt = inOut?.opacityAt;
  if (opacityKeys !== undefined || fadeAt !== undefined) {
    // Opacity changes per frame, but alpha is a per-pixel operation: an expression (geq) would evaluate the
    // keyframe sum for every pixel. Instead the planner computes the value per frame and sendcmd re-targets a
    // lut (alpha quantised to 1/255, so a command only where the 8-bit alpha actually changes).
    const instance = `opacity${g.fresh('').slice(1, -1)}`;
    const opacityAt = (ms: number) =>
      (opacityKeys !== undefined ? keyframeValueAt(opacityKeys, ms) : clip.opacity) * (fadeAt?.(ms) ?? 1);
    const level = (k: number) =>
      Math.round(255 * Math.min(1, Math.max(0, opacityAt((p0 + k) * frameMs(grid)))));
    let current = level(0);
    const commands: string[] = [];
    for (let k = 1; k < count; k++) {
      const l = level(k);
      if (l === current) continue;
      current = l;
      // Half a frame early: a printed time rounded up would otherwise fire one frame late.
      commands.push(`${n(((k - 0.5) * frameMs(grid)) / 1000)} lut@${instance} a val*${n(l / 255)}`);
    }
    if (commands.length > 0) tf.push(`sendcmd=c=${v(commands.join(';'))}`);
    tf.push(`lut@${instance}=a=val*${n(level(0) / 255)}`);
  } else if (clip.opacity < 1) {
    tf.push(`lut=a=val*${n(clip.opacity)}`);
  }
  const rotationExpr = kf('rotation_deg', 't');
  if (rotationExpr !== undefined) {
    // The output must fit the picture at any angle: the diagonal.
    const side = v('2*ceil(hypot(iw,ih)/2)');
    tf.push(`rotate=a=${v(`(${rotationExpr})*PI/180`)}:ow=${side}:oh=${side}:c=none`);
  } else if (t.rotation_deg % 360 !== 0) {
    const rad = n((t.rotation_deg * Math.PI) / 180);
    tf.push(`rotate=a=${rad}:ow=${v(`2*ceil(rotw(${rad})/2)`)}:oh=${v(`2*ceil(roth(${rad})/2)`)}:c=none`);
  }
  if (scaleExpr !== undefined) {
    // Relative to the input of this scale (the fitted picture, or its rotated bounding box).
    tf.push(
      `scale=w=${v(`max(2,trunc(iw*(${scaleExpr})/2)*2)`)}:h=${v(`max(2,trunc(ih*(${scaleExpr})/2)*2)`)}:eval=frame`,
    );
  }
  const fg = g.fresh('tf');
  g.chain([fitted], tf, fg);

  const bg = g.fresh('cv');
  g.statements.push(
    `color=c=${o.canvasColor}:s=${n(W)}x${n(H)}:r=${fps},format=${pixFmt},trim=end_frame=${n(count)}${bg}`,
  );
  const keyedX = kf('position_x', 't') ?? n(t.position_x);
  const keyedY = kf('position_y', 't') ?? n(t.position_y);
  const px = inOut?.xOffset !== undefined ? `${keyedX}+${inOut.xOffset}` : keyedX;
  const py = inOut?.yOffset !== undefined ? `${keyedY}+${inOut.yOffset}` : keyedY;
  if (px !== n(t.position_x) || py !== n(t.position_y)) perFrame = true;
  const covers = inOut?.covers ?? [];
  const placed = covers.length > 0 ? g.fresh('inout') : out;
  g.chain(
    [bg, fg],
    [
      `overlay=x=${v(`W*(${px})-w/2`)}:y=${v(`H*(${py})-h/2`)}:eval=${perFrame ? 'frame' : 'init'}:format=auto`,
      `format=${pixFmt}`,
    ],
    placed,
  );
  if (covers.length === 0) return out;
  // Wipes. On the bottom track the hidden part shows the background: a background-coloured cover slides off
  // (or on). Upper tracks have to become transparent there instead, so their alpha is cut with geq, only
  // inside the transition windows (enable=), as geq evaluates per pixel.
  if (!o.alpha) {
    let cur = placed;
    covers.forEach((c, i) => {
      const cover = g.fresh('cover');
      g.statements.push(
        `color=c=${o.canvasColor}:s=${n(W)}x${n(H)}:r=${fps},format=${pixFmt},trim=end_frame=${n(count)}${cover}`,
      );
      const next = i + 1 === covers.length ? out : g.fresh('inout');
      g.chain([cur, cover], [`overlay=x=${v(c.x)}:y=${v(c.y)}:eval=frame`], next);
      cur = next;
    });
    return out;
  }
  const geqCovers = inOutOf('T', false)!.covers;
  const visible = geqCovers
    .map((c) => `(1-(gte(X,${c.x})*lt(X,${c.x}+W)*gte(Y,${c.y})*lt(Y,${c.y}+H)))`)
    .join('*');
  const windows = inOut!.windows
    .map(([a, b]) => `between(t,${n(a - segmentClipSeconds)},${n(b - segmentClipSeconds)})`)
    .join('+');
  g.chain(
    [placed],
    [
      `geq=lum=${v('lum(X,Y)')}:cb=${v('cb(X,Y)')}:cr=${v('cr(X,Y)')}:a=${v(`alpha(X,Y)*${visible}`)}:enable=${v(windows)}`,
    ],
    out,
  );
  return out;
}

function withoutPathSuffix(err: unknown, suffix: string): unknown {
  if (!isCutroomError(err)) return err;
  const strip = (text: string) => text.split(suffix).join('');
  const details = JSON.parse(strip(JSON.stringify(err.details))) as ErrorDetails;
  return new CutroomError(err.code, strip(err.message), details, { cause: err });
}
