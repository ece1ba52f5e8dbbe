/**
 * editly spec (JSON5) -> cutroom timeline. editly plays clips one after another; a transition overlaps the two
 * clips it joins and shortens the whole video by its duration. cutroom centres a transition on a cut between
 * butt-joined clips, so each cut is put in the middle of editly's overlap and the clips borrow half the
 * transition from their handles: the total length and every moment of the edit stay where editly had them.
 */
import { z } from 'zod';
import { cutroomError } from '../errors.js';
import { zodIssues } from '../timeline/validate.js';
import { ImportContext } from './import-context.js';
import { ItemBudget } from './limits.js';
import { parseJsonText } from './parse-json.js';
import { mapEditlyZoom } from './shotstack-effects.js';
import type { ImportInput, ImportResult } from './types.js';

type Json = Record<string, unknown>;
const ms = (s: number) => Math.round(s * 1000);

const LayerSchema = z.looseObject({ type: z.string() });
const TransitionSchema = z.looseObject({ name: z.string().optional(), duration: z.number().min(0).max(10).optional() }).nullable();
const SpecSchema = z.looseObject({
  width: z.int().min(2).max(8192).optional(),
  height: z.int().min(2).max(8192).optional(),
  fps: z.number().min(1).max(240).optional(),
  clips: z.array(z.looseObject({ duration: z.number().positive().max(24 * 3600).optional(), layers: z.union([z.array(LayerSchema), LayerSchema]), transition: TransitionSchema.optional() })).min(1),
  defaults: z.looseObject({ duration: z.number().positive().optional(), transition: TransitionSchema.optional(), layer: z.looseObject({}).optional(), layerType: z.looseObject({}).optional() }).optional(),
  audioTracks: z.array(z.looseObject({ path: z.string(), mixVolume: z.number().optional(), cutFrom: z.number().optional(), cutTo: z.number().optional(), start: z.number().optional() })).optional(),
  audioFilePath: z.string().optional(),
  keepSourceAudio: z.boolean().optional(),
  clipsAudioVolume: z.number().min(0).optional(),
  loopAudio: z.boolean().optional(),
});

/** editly (gl-transitions) names -> the transition catalog. */
const TRANSITIONS: Record<string, string> = {
  fade: 'crossfade',
  crossfade: 'crossfade',
  dissolve: 'dissolve',
  fadecolor: 'dip_to_black',
  fadegrayscale: 'fade_grays',
  'directional-left': 'push_left',
  'directional-right': 'push_right',
  'directional-up': 'slide_up',
  'directional-down': 'slide_down',
  directionalwipe: 'wipe_left',
  wipeleft: 'wipe_left',
  wiperight: 'wipe_right',
  wipeup: 'wipe_up',
  wipedown: 'wipe_down',
  circleopen: 'circle_open',
  circle: 'circle_open',
  radial: 'radial',
  simplezoom: 'zoom_in',
  crosszoom: 'zoom_in',
  squeeze: 'squeeze_h',
};

const SPEC_KEYS = new Set(['width', 'height', 'fps', 'clips', 'defaults', 'audioTracks', 'audioFilePath', 'keepSourceAudio', 'clipsAudioVolume', 'outPath']);

export function importEditly(input: ImportInput): ImportResult {
  const raw = parseJsonText({ text: input.text, format: 'editly', json5: true });
  const parsed = SpecSchema.safeParse(raw);
  if (!parsed.success)
    throw cutroomError('INTERCHANGE_INVALID', `editly spec is invalid: ${zodIssues(parsed.error)[0]?.path}: ${zodIssues(parsed.error)[0]?.message}`, {
      format: 'editly',
      issues: zodIssues(parsed.error),
    });
  const spec = parsed.data;
  const cx = new ImportContext('editly', input.assets);
  const budget = new ItemBudget('editly');
  for (const key of Object.keys(spec)) if (!SPEC_KEYS.has(key)) cx.warn(key, `"${key}" has no cutroom equivalent`);
  if (spec.outPath !== undefined) cx.warn('outPath', 'the output path is chosen at render time; ignored', 'INTERCHANGE_OUTPUT_ADVISORY');
  const defaults = spec.defaults ?? {};
  const defaultDuration = ms(defaults.duration ?? 4);
  // editly's own default is a random transition of 0.5 s; random is replaced by crossfade (with a warning).
  const defaultTransition = defaults.transition === undefined ? { name: 'random', duration: 0.5 } : defaults.transition;
  if (defaults.layer && Object.keys(defaults.layer).length > 0) cx.warn('defaults.layer', 'layer defaults (fonts) are not applied');
  if (defaults.layerType) cx.warn('defaults.layerType', 'per-type layer defaults are not applied');
  const keepSourceAudio = spec.keepSourceAudio === true;
  const clipVolume = spec.clipsAudioVolume ?? 1;

  // editly times: clip i starts at the sum of earlier durations minus earlier transition overlaps.
  const clips = spec.clips.map((c, i) => {
    const tr = c.transition === undefined ? defaultTransition : c.transition;
    const isLast = i === spec.clips.length - 1;
    // editly's transition on a clip joins it to the next one; the last clip's has nothing to join.
    if (isLast && c.transition?.name !== undefined) cx.warn(`clips[${i}].transition.name`, 'a transition on the last clip joins nothing; ignored');
    const durationMs = c.duration === undefined ? undefined : ms(c.duration);
    return { c, i, durationMs, transition: !isLast && tr && tr.name !== undefined && tr.name !== 'dummy' ? tr : null };
  });

  const base: Json[] = [];
  const overlays: Json[][] = [];
  const texts: Json[] = [];
  const audio: Json[] = [];
  const transitions: Json[] = [];
  let background: string | undefined;
  let editlyStart = 0;
  let prevOverlapHalf = 0;
  let prevBase: Json | undefined;
  let pendingTransition: { name: string; duration: number; path: string } | undefined;
  for (const { c, i, durationMs: given, transition } of clips) {
    const path = `clips[${i}]`;
    const layers = Array.isArray(c.layers) ? c.layers : [c.layers];
    const videoLayer = layers.find((l) => l.type === 'video') as Json | undefined;
    // A clip without a duration lasts as long as its video layer's cut (editly's rule), else the default.
    let durationMs = given;
    if (durationMs === undefined && videoLayer && typeof videoLayer.cutTo === 'number') durationMs = ms(videoLayer.cutTo - (typeof videoLayer.cutFrom === 'number' ? videoLayer.cutFrom : 0));
    durationMs ??= defaultDuration;
    let trMs = transition ? ms(transition.duration ?? 0.5) : 0;
    trMs = Math.min(trMs, durationMs);
    // The cut sits mid-overlap: this clip starts prevOverlapHalf late on the timeline and ends trMs/2 early.
    const cutIn = editlyStart + prevOverlapHalf;
    const cutOut = editlyStart + durationMs - trMs / 2;
    const visibleStart = Math.round(cutIn);
    const visibleEnd = Math.round(cutOut);
    let overlayIndex = 0;
    layers.forEach((layer, l) => {
      const lpath = `${path}.layers[${l}]`;
      budget.take(lpath);
      const type = layer.type;
      if (type === 'video' || type === 'image') {
        const clip = visualClip({ cx, layer, type, path: lpath, start: visibleStart, end: visibleEnd, headMs: Math.round(prevOverlapHalf), keepSourceAudio, clipVolume });
        if (!clip) return;
        if (layer === layers.find((x) => x.type === 'video' || x.type === 'image')) base.push(clip);
        else (overlays[overlayIndex++] ??= []).push(clip);
      } else if (type === 'title' || type === 'subtitle' || type === 'news-title' || type === 'slide-in-text' || type === 'title-background') {
        const text = typeof layer.text === 'string' ? layer.text : '';
        if (text === '') return cx.problem(`${lpath}.text`, 'is required');
        const item: Json = {
          id: cx.id(type.replace(/-/g, '_')),
          start_ms: ms(typeof layer.start === 'number' ? layer.start : 0) + Math.round(editlyStart),
          duration_ms: Math.max(1, typeof layer.stop === 'number' ? ms(layer.stop - (typeof layer.start === 'number' ? layer.start : 0)) : Math.round(durationMs)),
          text: text.slice(0, 5000),
          position: type === 'subtitle' ? 'bottom' : type === 'news-title' ? 'lower_third' : 'center',
        };
        if (type === 'subtitle') item.box = { color: '#00000099' };
        const color = layer.textColor;
        if (typeof color === 'string' && /^#[0-9a-fA-F]{6}$/.test(color)) item.color = color.toUpperCase();
        if (type === 'slide-in-text') item.animation = { in: 'slide_left' };
        if (type === 'title-background' || type === 'news-title') cx.warn(lpath, `"${type}" is imported as plain text (its background is not drawn)`);
        for (const key of Object.keys(layer))
          if (!['type', 'text', 'textColor', 'start', 'stop', 'position'].includes(key)) cx.warn(`${lpath}.${key}`, `layer property "${key}" has no cutroom equivalent`);
        if (layer.position !== undefined && typeof layer.position !== 'string') cx.warn(`${lpath}.position`, 'object positions are read as the layer type default');
        else if (typeof layer.position === 'string') {
          const p = layer.position.replace('-', '_');
          if (['center', 'top', 'bottom', 'left', 'right', 'top_left', 'top_right', 'bottom_left', 'bottom_right'].includes(p)) item.position = p;
        }
        texts.push(item);
      } else if (type === 'fill-color') {
        const color = typeof layer.color === 'string' ? layer.color.toUpperCase() : undefined;
        if (color && /^#[0-9A-F]{6}$/.test(color) && (background === undefined || background === color)) background = color;
        else cx.warn(`${lpath}.color`, `a fill colour (${String(layer.color)}) other than the first one cannot be drawn; the sequence background is ${background ?? '#000000'}`);
      } else if (type === 'audio') {
        if (typeof layer.path !== 'string') return cx.problem(`${lpath}.path`, 'is required');
        const cutFrom = typeof layer.cutFrom === 'number' ? ms(layer.cutFrom) : 0;
        const clip: Json = { id: cx.id('audio'), asset_id: cx.asset(layer.path, `${lpath}.path`), start_ms: visibleStart, in_ms: cutFrom, out_ms: cutFrom + (visibleEnd - visibleStart) };
        if (typeof layer.mixVolume === 'number') clip.volume = Math.min(4, layer.mixVolume);
        audio.push(clip);
      } else {
        cx.warn(lpath, `layer type "${type}" has no cutroom equivalent; left out`);
      }
    });
    for (const key of Object.keys(c)) if (!['duration', 'layers', 'transition'].includes(key)) cx.warn(`${path}.${key}`, `clip property "${key}" has no cutroom equivalent`);
    const current = base[base.length - 1];
    if (pendingTransition && prevBase && current && current !== prevBase) {
      transitions.push({ id: cx.id('tr'), type: pendingTransition.name, from_clip_id: prevBase.id, to_clip_id: current.id, duration_ms: Math.max(1, pendingTransition.duration) });
    }
    pendingTransition = undefined;
    if (transition && trMs > 0) {
      const name = transition.name!.toLowerCase();
      let type = TRANSITIONS[name];
      const tpath = c.transition === undefined ? 'defaults.transition.name' : `${path}.transition.name`;
      if (!type) {
        cx.warn(tpath, name === 'random' ? 'transition "random" is not deterministic; crossfade is used' : `transition "${transition.name}" is not in the catalog; crossfade is used`);
        type = 'crossfade';
      }
      pendingTransition = { name: type, duration: trMs, path: tpath };
    }
    prevBase = current;
    editlyStart += durationMs - trMs;
    prevOverlapHalf = trMs / 2;
  }

  const audioTracks: Json[] = [];
  if (audio.length > 0) audioTracks.push({ id: cx.id('clip_audio'), kind: 'audio', clips: audio });
  const total = Math.round(editlyStart + prevOverlapHalf * 2);
  (spec.audioTracks ?? []).forEach((t, k) => {
    const path = `audioTracks[${k}]`;
    const cutFrom = ms(t.cutFrom ?? 0);
    const start = ms(t.start ?? 0);
    const clip: Json = { id: cx.id('audio_track'), asset_id: cx.asset(t.path, `${path}.path`), start_ms: start, in_ms: cutFrom, out_ms: t.cutTo !== undefined ? ms(t.cutTo) : cutFrom + Math.max(1, total - start) };
    if (t.mixVolume !== undefined) clip.volume = Math.min(4, Math.max(0, t.mixVolume));
    audioTracks.push({ id: cx.id('audio_track'), kind: 'audio', clips: [clip] });
  });
  if (spec.audioFilePath !== undefined) {
    const clip: Json = { id: cx.id('audio_file'), asset_id: cx.asset(spec.audioFilePath, 'audioFilePath'), start_ms: 0, in_ms: 0, out_ms: Math.max(1, total) };
    audioTracks.push({ id: cx.id('audio_file'), kind: 'audio', clips: [clip] });
    if (spec.loopAudio) cx.warn('loopAudio', 'audio is not looped; it plays once');
  }
  if (spec.audioNorm !== undefined) cx.warn('audioNorm', 'audio normalisation is a render setting (loudness pass), not part of the timeline');

  const draft: Json = {
    ...(background ? { background } : {}),
    tracks: [
      { id: cx.id('video'), kind: 'video', clips: base, transitions },
      ...overlays.map((clips, k) => ({ id: cx.id(`overlay${k + 1}`), kind: 'overlay', clips })),
      ...audioTracks,
      ...(texts.length > 0 ? [{ id: cx.id('titles'), kind: 'text', items: texts }] : []),
    ],
  };
  const output = {
    ...(spec.width !== undefined ? { width: spec.width } : {}),
    ...(spec.height !== undefined ? { height: spec.height } : {}),
    ...(spec.fps !== undefined ? { fps: spec.fps } : {}),
  };
  return cx.finish(draft, Object.keys(output).length > 0 ? output : undefined);
}

function visualClip({
  cx,
  layer,
  type,
  path,
  start,
  end,
  headMs,
  keepSourceAudio,
  clipVolume,
}: {
  cx: ImportContext;
  layer: Json;
  type: string;
  path: string;
  start: number;
  end: number;
  headMs: number;
  keepSourceAudio: boolean;
  clipVolume: number;
}): Json | undefined {
  if (typeof layer.path !== 'string') {
    cx.problem(`${path}.path`, 'is required');
    return undefined;
  }
  const clip: Json = { id: cx.id(type === 'video' ? 'video' : 'image'), asset_id: cx.asset(layer.path, `${path}.path`), start_ms: start };
  if (type === 'video') {
    const cutFrom = typeof layer.cutFrom === 'number' ? ms(layer.cutFrom) : 0;
    // The clip starts headMs into editly's clip (the first half of the incoming transition is its handle).
    clip.in_ms = cutFrom + headMs;
    clip.out_ms = cutFrom + headMs + Math.max(1, end - start);
    if (!keepSourceAudio) clip.muted = true;
    else if (clipVolume !== 1 || typeof layer.mixVolume === 'number') clip.volume = Math.min(4, clipVolume * (typeof layer.mixVolume === 'number' ? layer.mixVolume : 1));
  } else {
    clip.duration_ms = Math.max(1, end - start);
    if (layer.zoomDirection !== undefined && layer.zoomDirection !== null) {
      const motion = mapEditlyZoom({ direction: layer.zoomDirection, amount: layer.zoomAmount, path: `${path}.zoomDirection` });
      Object.assign(clip, motion.clip);
      for (const w of motion.warnings) cx.warn(w.path ?? `${path}.zoomDirection`, w.message, w.code);
    }
  }
  const resize = layer.resizeMode;
  if (resize === 'cover') clip.fit = 'fill';
  else if (resize === 'contain') clip.fit = 'fit';
  else if (resize === 'contain-blur') clip.fit = 'blur';
  else if (resize === 'stretch') clip.fit = 'stretch';
  else if (resize !== undefined) cx.warn(`${path}.resizeMode`, `resizeMode "${String(resize)}" is not known`);
  const known = new Set(['type', 'path', 'cutFrom', 'cutTo', 'resizeMode', 'mixVolume', 'zoomDirection', 'zoomAmount']);
  for (const key of Object.keys(layer)) if (!known.has(key)) cx.warn(`${path}.${key}`, `layer property "${key}" has no cutroom equivalent`);
  return clip;
}
