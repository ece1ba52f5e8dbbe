/**
 * Shotstack edit JSON -> cutroom timeline. Shotstack lists tracks top first; cutroom stacks bottom first, so
 * the order is reversed. Times are seconds (floats) and become integer ms. Assets are named by URL and become
 * cutroom assets only through the caller's mapping: cutroom never fetches a URL.
 */
import { z } from 'zod';
import { cutroomError } from '../errors.js';
import { zodIssues } from '../timeline/validate.js';
import { ImportContext } from './import-context.js';
import { ItemBudget } from './limits.js';
import { parseJsonText } from './parse-json.js';
import { mapShotstackEffect } from './shotstack-effects.js';
import type { ImportInput, ImportResult, ImportedOutput } from './types.js';

const seconds = z.number().min(0).max(24 * 3600);
const AssetSchema = z.looseObject({ type: z.string() });
const ClipSchema = z.looseObject({
  asset: AssetSchema,
  start: z.union([seconds, z.literal('auto')]),
  length: z.union([seconds.positive(), z.literal('auto'), z.literal('end')]),
});
const EditSchema = z.looseObject({
  timeline: z.looseObject({
    tracks: z.array(z.looseObject({ clips: z.array(ClipSchema) })).min(1),
    soundtrack: z.looseObject({ src: z.string(), effect: z.string().optional(), volume: z.number().optional() }).optional(),
    background: z.string().optional(),
  }),
  output: z.looseObject({}).optional(),
});

type Json = Record<string, unknown>;
const ms = (s: number) => Math.round(s * 1000);

const RESOLUTIONS: Record<string, [number, number]> = {
  preview: [512, 288],
  mobile: [640, 360],
  sd: [1024, 576],
  hd: [1280, 720],
  '1080': [1920, 1080],
  '4k': [3840, 2160],
};

// Shotstack position anchors -> where the clip's centre sits, before offset (fractions of the canvas).
const ANCHORS: Record<string, [number, number]> = {
  center: [0.5, 0.5],
  top: [0.5, 0],
  topRight: [1, 0],
  right: [1, 0.5],
  bottomRight: [1, 1],
  bottom: [0.5, 1],
  bottomLeft: [0, 1],
  left: [0, 0.5],
  topLeft: [0, 0],
};

const FILTERS: Record<string, Array<{ type: string; params: Record<string, number> }>> = {
  greyscale: [{ type: 'grayscale', params: { amount: 1 } }],
  boost: [
    { type: 'contrast', params: { value: 1.2 } },
    { type: 'saturation', params: { value: 1.3 } },
  ],
  contrast: [{ type: 'contrast', params: { value: 1.3 } }],
  darken: [{ type: 'brightness', params: { value: -0.15 } }],
  lighten: [{ type: 'brightness', params: { value: 0.15 } }],
  muted: [{ type: 'saturation', params: { value: 0.5 } }],
  blur: [{ type: 'blur', params: { sigma: 8 } }],
};

// Shotstack in/out transitions are per clip; fades become the catalog's fade_in/fade_out filters.
const FADE_MS: Record<string, number> = { fade: 1000, fadeSlow: 2000, fadeFast: 500 };

const HANDLED_CLIP_KEYS = new Set(['asset', 'start', 'length', 'fit', 'scale', 'position', 'offset', 'opacity', 'transition', 'effect', 'filter']);

export function importShotstack(input: ImportInput): ImportResult {
  const raw = parseJsonText({ text: input.text, format: 'shotstack' });
  const parsed = EditSchema.safeParse(raw);
  if (!parsed.success)
    throw cutroomError('INTERCHANGE_INVALID', `shotstack edit is invalid: ${zodIssues(parsed.error)[0]?.path}: ${zodIssues(parsed.error)[0]?.message}`, {
      format: 'shotstack',
      issues: zodIssues(parsed.error),
    });
  const edit = parsed.data;
  const cx = new ImportContext('shotstack', input.assets);
  const budget = new ItemBudget('shotstack');
  for (const key of Object.keys(edit)) if (key !== 'timeline' && key !== 'output' && key !== 'merge') cx.warn(key, `"${key}" has no cutroom equivalent`);
  if (edit.merge !== undefined) cx.warn('merge', 'merge fields are not substituted on import; replace them first (or use cutroom templates)');
  for (const key of Object.keys(edit.timeline))
    if (!['tracks', 'soundtrack', 'background', 'fonts', 'cache'].includes(key)) cx.warn(`timeline.${key}`, `"${key}" has no cutroom equivalent`);
  if (edit.timeline.fonts !== undefined) cx.warn('timeline.fonts', 'font URLs are not fetched; register the fonts as assets and set font.asset_id');

  const videoTracks: Json[] = [];
  const textTracks: Json[] = [];
  const audioTracks: Json[] = [];
  let end = 0;
  // Bottom first: the last Shotstack track is the background.
  const tracks = [...edit.timeline.tracks].map((t, i) => ({ t, i })).reverse();
  for (const { t, i } of tracks) {
    const visual: Json[] = [];
    const texts: Json[] = [];
    const sounds: Json[] = [];
    let cursor = 0;
    t.clips.forEach((clip, c) => {
      const path = `timeline.tracks[${i}].clips[${c}]`;
      budget.take(path);
      const start = clip.start === 'auto' ? cursor : ms(clip.start);
      const asset = clip.asset as Json;
      const type = String(asset.type);
      let length: number | undefined;
      if (typeof clip.length === 'number') length = ms(clip.length);
      else if (clip.length === 'end') cx.warn(`${path}.length`, '"end" is read as "auto" (to the end of the asset)');
      for (const key of Object.keys(clip)) if (!HANDLED_CLIP_KEYS.has(key)) cx.warn(`${path}.${key}`, `clip property "${key}" has no cutroom equivalent`);
      if (type === 'title' || type === 'text') {
        if (length === undefined) {
          cx.problem(`${path}.length`, 'a title needs a numeric length');
          return;
        }
        for (const key of ['fit', 'scale', 'offset', 'opacity', 'filter', 'effect', 'transition'])
          if (clip[key] !== undefined) cx.warn(`${path}.${key}`, `"${key}" on a title has no cutroom equivalent`);
        texts.push(textItem({ cx, asset, path, start, length }));
      } else if (type === 'video' || type === 'image' || type === 'audio') {
        const built = mediaClip({ cx, clip: clip as Json, asset, type, path, start, length });
        (type === 'audio' ? sounds : visual).push(built);
      } else {
        cx.warn(`${path}.asset`, `asset type "${type}" has no cutroom equivalent; the clip is left out`);
        return;
      }
      cursor = start + (length ?? 0);
      end = Math.max(end, cursor);
    });
    const name = `shotstack track ${i}`;
    if (visual.length > 0) videoTracks.push({ id: cx.id(`track${i}`), name, kind: videoTracks.length === 0 ? 'video' : 'overlay', clips: visual });
    if (texts.length > 0) textTracks.push({ id: cx.id(`text${i}`), name, kind: 'text', items: texts });
    if (sounds.length > 0) audioTracks.push({ id: cx.id(`audio${i}`), name, kind: 'audio', clips: sounds });
  }
  const soundtrack = edit.timeline.soundtrack;
  if (soundtrack) {
    const path = 'timeline.soundtrack';
    const clip: Json = { id: cx.id('soundtrack'), asset_id: cx.asset(soundtrack.src, `${path}.src`), start_ms: 0, in_ms: 0 };
    if (end > 0) clip.out_ms = end;
    if (soundtrack.volume !== undefined) clip.volume = Math.min(4, Math.max(0, soundtrack.volume));
    const fade = Math.min(2000, Math.floor(end / 2));
    if (soundtrack.effect === 'fadeIn' || soundtrack.effect === 'fadeInFadeOut') clip.audio_fade_in_ms = fade;
    if (soundtrack.effect === 'fadeOut' || soundtrack.effect === 'fadeInFadeOut') clip.audio_fade_out_ms = fade;
    if (soundtrack.effect !== undefined && !['fadeIn', 'fadeOut', 'fadeInFadeOut'].includes(soundtrack.effect))
      cx.warn(`${path}.effect`, `soundtrack effect "${soundtrack.effect}" has no cutroom equivalent`);
    audioTracks.push({ id: cx.id('soundtrack'), kind: 'audio', clips: [clip] });
  }
  const draft: Json = { tracks: [...videoTracks, ...audioTracks, ...textTracks] };
  const bg = edit.timeline.background;
  if (bg !== undefined) {
    if (/^#[0-9a-fA-F]{6}$/.test(bg)) draft.background = bg.toUpperCase();
    else cx.warn('timeline.background', `background "${bg}" is not a #RRGGBB colour`);
  }
  return cx.finish(draft, readOutput(cx, edit.output as Json | undefined));
}

function readOutput(cx: ImportContext, output: Json | undefined): ImportedOutput | undefined {
  if (!output) return undefined;
  const out: ImportedOutput = {};
  if (typeof output.format === 'string') out.format = output.format;
  if (typeof output.fps === 'number') out.fps = output.fps;
  const size = output.size as Json | undefined;
  if (size && typeof size.width === 'number' && typeof size.height === 'number') {
    out.width = size.width;
    out.height = size.height;
  } else if (typeof output.resolution === 'string') {
    const r = RESOLUTIONS[output.resolution];
    if (r) [out.width, out.height] = r;
    else cx.warn('output.resolution', `resolution "${output.resolution}" is not known`);
  }
  if (typeof output.aspectRatio === 'string' && out.width !== undefined && out.height !== undefined) {
    const [w, h] = [out.width, out.height];
    if (output.aspectRatio === '9:16') [out.width, out.height] = [h, w];
    else if (output.aspectRatio === '1:1') out.width = h;
    else if (output.aspectRatio === '4:5') out.width = Math.round((h * 4) / 5 / 2) * 2;
    else if (output.aspectRatio === '4:3') out.width = Math.round((h * 4) / 3 / 2) * 2;
  }
  for (const key of Object.keys(output))
    if (!['format', 'fps', 'size', 'resolution', 'aspectRatio'].includes(key)) cx.warn(`output.${key}`, `output setting "${key}" has no cutroom equivalent`);
  cx.warn('output', 'output settings are not part of a timeline: pick a render profile that matches result.output', 'INTERCHANGE_OUTPUT_ADVISORY');
  return out;
}

function mediaClip({
  cx,
  clip,
  asset,
  type,
  path,
  start,
  length,
}: {
  cx: ImportContext;
  clip: Json;
  asset: Json;
  type: string;
  path: string;
  start: number;
  length: number | undefined;
}): Json {
  const out: Json = { id: cx.id(`clip${type === 'audio' ? 'a' : 'v'}`), start_ms: start };
  if (typeof asset.src !== 'string') cx.problem(`${path}.asset.src`, 'is required');
  else out.asset_id = cx.asset(asset.src, `${path}.asset.src`);
  const trim = typeof asset.trim === 'number' ? ms(asset.trim) : 0;
  if (type === 'image') {
    out.duration_ms = length ?? 5000;
    if (length === undefined) cx.warn(`${path}.length`, 'an image with length "auto" is 5 s long');
  } else {
    out.in_ms = trim;
    const speed = typeof asset.speed === 'number' ? asset.speed : 1;
    if (speed !== 1) out.speed = Math.min(4, Math.max(0.25, speed));
    if (length !== undefined) out.out_ms = trim + Math.round(length * speed);
  }
  if (typeof asset.volume === 'number') out.volume = Math.min(4, Math.max(0, asset.volume));
  if (typeof asset.volumeEffect === 'string') {
    const f = Math.min(1000, Math.floor((length ?? 2000) / 2));
    if (asset.volumeEffect.includes('fadeIn')) out.audio_fade_in_ms = f;
    if (/fadeOut/i.test(asset.volumeEffect)) out.audio_fade_out_ms = f;
  }
  if (asset.crop && typeof asset.crop === 'object') {
    const c = asset.crop as Record<string, number>;
    out.crop = { left: c.left ?? 0, top: c.top ?? 0, right: c.right ?? 0, bottom: c.bottom ?? 0 };
  }
  for (const key of Object.keys(asset))
    if (!['type', 'src', 'trim', 'volume', 'volumeEffect', 'crop', 'speed'].includes(key)) cx.warn(`${path}.asset.${key}`, `asset property "${key}" has no cutroom equivalent`);
  if (type === 'audio') {
    for (const key of ['fit', 'scale', 'position', 'offset', 'opacity', 'filter', 'effect', 'transition'])
      if (clip[key] !== undefined) cx.warn(`${path}.${key}`, `"${key}" does not apply to an audio clip`);
    return out;
  }
  const fit = clip.fit;
  if (fit === 'cover' || fit === 'crop') out.fit = 'fill';
  else if (fit === 'contain') out.fit = 'fit';
  else if (fit === 'none') {
    out.fit = 'fit';
    cx.warn(`${path}.fit`, 'fit "none" (original pixel size) is read as "contain"');
  } else if (fit !== undefined) cx.warn(`${path}.fit`, `fit "${String(fit)}" is not known`);
  const scale = typeof clip.scale === 'number' && clip.scale > 0 ? clip.scale : 1;
  const transform: Json = {};
  if (scale !== 1) transform.scale = Math.min(20, Math.max(0.01, scale));
  const anchor = typeof clip.position === 'string' ? ANCHORS[clip.position] : ANCHORS.center;
  if (!anchor) cx.warn(`${path}.position`, `position "${String(clip.position)}" is not known`);
  const [ax, ay] = anchor ?? [0.5, 0.5];
  // An anchored clip touches that edge: its centre sits half its (scaled) size in from it.
  const half = Math.min(0.5, scale / 2);
  const px = ax === 0.5 ? 0.5 : ax === 0 ? half : 1 - half;
  const py = ay === 0.5 ? 0.5 : ay === 0 ? half : 1 - half;
  const off = (clip.offset ?? {}) as Record<string, number>;
  // Shotstack's offset y points up; cutroom's position_y points down.
  const x = px + (off.x ?? 0);
  const y = py - (off.y ?? 0);
  if (x !== 0.5) transform.position_x = Math.round(x * 1e6) / 1e6;
  if (y !== 0.5) transform.position_y = Math.round(y * 1e6) / 1e6;
  if (Object.keys(transform).length > 0) out.transform = transform;
  if (typeof clip.opacity === 'number') out.opacity = Math.min(1, Math.max(0, clip.opacity));
  const filters: Json[] = [];
  if (typeof clip.filter === 'string') {
    const mapped = FILTERS[clip.filter];
    if (mapped) filters.push(...mapped);
    else cx.warn(`${path}.filter`, `filter "${clip.filter}" has no cutroom equivalent`);
  }
  const transition = (clip.transition ?? {}) as Record<string, string>;
  for (const side of ['in', 'out'] as const) {
    const name = transition[side];
    if (name === undefined) continue;
    const fade = FADE_MS[name];
    if (fade !== undefined) filters.push({ type: side === 'in' ? 'fade_in' : 'fade_out', params: { duration_ms: fade } });
    else cx.warn(`${path}.transition.${side}`, `transition "${name}" has no cutroom equivalent (only fade, fadeSlow, fadeFast map)`);
  }
  if (filters.length > 0) out.filters = filters;
  if (typeof clip.effect === 'string') {
    const motion = mapShotstackEffect({ effect: clip.effect, path: `${path}.effect` });
    Object.assign(out, motion.clip);
    for (const w of motion.warnings) cx.warn(w.path ?? `${path}.effect`, w.message, w.code);
  }
  return out;
}

function textItem({ cx, asset, path, start, length }: { cx: ImportContext; asset: Json; path: string; start: number; length: number }): Json {
  const text = typeof asset.text === 'string' ? asset.text : '';
  if (text === '') cx.problem(`${path}.asset.text`, 'is required');
  const item: Json = { id: cx.id('title'), start_ms: start, duration_ms: length, text: text.slice(0, 5000) };
  const font = (asset.font ?? {}) as Json;
  const style = typeof asset.style === 'string' ? asset.style : undefined;
  const color = typeof asset.color === 'string' ? asset.color : typeof font.color === 'string' ? font.color : undefined;
  if (color !== undefined) {
    if (/^#[0-9a-fA-F]{6}$/.test(color)) item.color = color.toUpperCase();
    else cx.warn(`${path}.asset.color`, `colour "${color}" is not #RRGGBB`);
  }
  const sizes: Record<string, number> = { 'x-small': 28, small: 40, medium: 64, large: 90, 'x-large': 120, xx: 160 };
  if (typeof asset.size === 'string' && sizes[asset.size] !== undefined) item.font = { size: sizes[asset.size] };
  if (typeof font.size === 'number') item.font = { size: Math.min(1000, Math.max(4, font.size)) };
  if (typeof font.family === 'string') item.font = { ...((item.font as Json) ?? {}), family: font.family };
  if (typeof asset.background === 'string' && /^#[0-9a-fA-F]{6}$/.test(asset.background)) item.box = { color: `${asset.background.toUpperCase()}C0` };
  const positions: Record<string, string> = {
    center: 'center', top: 'top', bottom: 'bottom', left: 'left', right: 'right',
    topLeft: 'top_left', topRight: 'top_right', bottomLeft: 'bottom_left', bottomRight: 'bottom_right',
  };
  if (typeof asset.position === 'string') {
    if (positions[asset.position]) item.position = positions[asset.position];
    else cx.warn(`${path}.asset.position`, `position "${asset.position}" is not known`);
  }
  if (style !== undefined) cx.warn(`${path}.asset.style`, `title style "${style}" has no cutroom preset; plain text is used`);
  for (const key of Object.keys(asset))
    if (!['type', 'text', 'color', 'size', 'font', 'background', 'position', 'style'].includes(key)) cx.warn(`${path}.asset.${key}`, `title property "${key}" has no cutroom equivalent`);
  return item;
}
