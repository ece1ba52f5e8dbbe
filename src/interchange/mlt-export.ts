/**
 * cutroom timeline -> MLT XML, the project format of Shotcut and Kdenlive and what the `melt` command renders.
 * Layout follows what Shotcut writes: a black background playlist as track 0, one playlist per cutroom track
 * (entries and blanks, times in frames of the profile), transitions between clips as small tractors inside the
 * playlist (luma + mix, the way Shotcut stores a dissolve), and in the main tractor a `mix` transition per
 * track for sound and a `qtblend` per picture track so upper tracks composite over lower ones.
 */
import type { Warning } from '../errors.js';
import { cutroomError } from '../errors.js';
import type { MediaClip, TextTrack, Timeline, Track } from '../timeline/schema.js';
import { clipSpan } from './clip-span.js';
import { frameRate, msToFrames, type FrameRate } from './frame-time.js';
import { xmlEscape } from './parse-xml.js';
import type { ExportInput, ExportResult, MediaRef } from './types.js';

const prop = (name: string, value: string | number) => `<property name="${name}">${xmlEscape(String(value))}</property>`;

interface Producer {
  id: string;
  xml: string;
}

class MltWriter {
  readonly producers: Producer[] = [];
  readonly playlists: string[] = [];
  readonly warnings: Warning[] = [];
  private n = 0;
  constructor(
    readonly rate: FrameRate,
    readonly media: ExportInput['media'],
    readonly height: number,
  ) {}
  f(ms: number): number {
    return msToFrames(ms, this.rate);
  }
  nextId(stem: string): string {
    return `${stem}${this.n++}`;
  }
  warn(path: string, message: string): void {
    this.warnings.push({ code: 'INTERCHANGE_UNMAPPED', message, path });
  }
}

export function exportMlt(input: ExportInput): ExportResult {
  const rate = frameRate(input.fps ?? 30);
  if (!rate) throw cutroomError('VALIDATION_FAILED', `fps ${input.fps} is not a frame rate MLT export supports`);
  const width = input.width ?? 1920;
  const height = input.height ?? 1080;
  const { timeline } = input;
  const w = new MltWriter(rate, input.media, height);
  const trackRefs: Array<{ id: string; video: boolean; audio: boolean; hide?: string }> = [];
  let endFrames = 1;
  timeline.tracks.forEach((track, t) => {
    const built = track.kind === 'text' ? textPlaylist(w, track, t) : track.kind === 'caption' ? undefined : mediaPlaylist(w, track, t);
    if (track.kind === 'caption') w.warn(`tracks[${t}]`, 'caption tracks are not exported to MLT (burn them in with cutroom, or export the SRT)');
    if (!built) return;
    endFrames = Math.max(endFrames, built.endFrames);
    const hideVideo = 'hidden' in track && track.hidden;
    const hideAudio = 'muted' in track && track.muted;
    trackRefs.push({
      id: built.id,
      video: track.kind !== 'audio',
      audio: track.kind !== 'text',
      ...(hideVideo && hideAudio ? { hide: 'both' } : hideVideo ? { hide: 'video' } : hideAudio ? { hide: 'audio' } : {}),
    });
  });
  const bg = timeline.background.slice(0, 7);
  const background = `<producer id="black" in="0" out="${endFrames - 1}">${prop('length', endFrames)}${prop('eof', 'pause')}${prop('resource', bg)}${prop('aspect_ratio', 1)}${prop('mlt_service', 'color')}${prop('mlt_image_format', 'rgba')}${prop('set.test_audio', 0)}</producer>
  <playlist id="background"><entry producer="black" in="0" out="${endFrames - 1}"/></playlist>`;
  const tracksXml = ['<track producer="background"/>', ...trackRefs.map((r) => `<track producer="${r.id}"${r.hide ? ` hide="${r.hide}"` : ''}/>`)];
  const transitions: string[] = [];
  trackRefs.forEach((r, i) => {
    const b = i + 1;
    if (r.audio)
      transitions.push(`<transition id="mix${b}">${prop('a_track', 0)}${prop('b_track', b)}${prop('mlt_service', 'mix')}${prop('always_active', 1)}${prop('sum', 1)}</transition>`);
    if (r.video)
      transitions.push(`<transition id="blend${b}">${prop('a_track', 0)}${prop('b_track', b)}${prop('version', '0.1')}${prop('mlt_service', 'qtblend')}${prop('threads_count', 0)}${prop('compositing', 0)}${prop('distort', 0)}${prop('rotate_center', 0)}${prop('always_active', 1)}</transition>`);
  });
  const dar = gcd(width, height);
  const title = input.title ?? timeline.name ?? timeline.id;
  const xml = `<?xml version="1.0" encoding="utf-8"?>
<mlt LC_NUMERIC="C" version="7.12.0" title="${xmlEscape(title)}" producer="main">
  <profile description="cutroom ${width}x${height} ${rate.num}/${rate.den}" width="${width}" height="${height}" progressive="1" sample_aspect_num="1" sample_aspect_den="1" display_aspect_num="${width / dar}" display_aspect_den="${height / dar}" frame_rate_num="${rate.num}" frame_rate_den="${rate.den}" colorspace="709"/>
  ${background}
  ${w.producers.map((p) => p.xml).join('\n  ')}
  ${w.playlists.join('\n  ')}
  <tractor id="main" in="0" out="${endFrames - 1}">
    ${prop('shotcut', 1)}
    ${tracksXml.join('\n    ')}
    ${transitions.join('\n    ')}
  </tractor>
</mlt>
`;
  return { text: xml, warnings: w.warnings };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** A producer for one clip's source: avformat for video/audio, qimage for stills, timewarp for speed. */
function sourceProducer(w: MltWriter, clip: MediaClip, ref: MediaRef | undefined, path: string): string {
  const id = w.nextId('producer');
  const resource = ref?.url ?? `cutroom:asset/${clip.asset_id}`;
  if (!ref) w.warn(`${path}.asset_id`, `asset "${clip.asset_id}" has no media path; melt cannot open "${resource}"`);
  const length = ref && ref.kind !== 'image' ? Math.max(1, w.f(ref.duration_ms)) : 15_000_000;
  let body: string;
  if (ref?.kind === 'image') body = prop('resource', resource) + prop('ttl', 1) + prop('mlt_service', 'qimage');
  else if (clip.speed !== 1)
    body = prop('resource', `${clip.speed}:${resource}`) + prop('warp_speed', clip.speed) + prop('warp_resource', resource) + prop('mlt_service', 'timewarp');
  else body = prop('resource', resource) + prop('mlt_service', 'avformat');
  const filters: string[] = [];
  const volume = clip.muted ? 0 : clip.volume;
  if (volume !== 1) filters.push(`<filter>${prop('mlt_service', 'volume')}${prop('level', volume === 0 ? -1000 : Math.round(20 * Math.log10(volume) * 1e4) / 1e4)}</filter>`);
  if (clip.audio_fade_in_ms > 0 || clip.audio_fade_out_ms > 0) w.warn(`${path}.audio_fade_in_ms`, 'audio fades are not exported to MLT');
  if (clip.filters.length > 0) w.warn(`${path}.filters`, `${clip.filters.length} filter(s) are not exported to MLT`);
  if (clip.automation.length > 0) w.warn(`${path}.automation`, 'keyframed automation is not exported to MLT');
  const t = clip.transform;
  if (t.scale !== 1 || t.position_x !== 0.5 || t.position_y !== 0.5 || t.rotation_deg !== 0) w.warn(`${path}.transform`, 'transform is not exported to MLT');
  if (clip.opacity !== 1) w.warn(`${path}.opacity`, 'opacity is not exported to MLT');
  if (clip.reverse) w.warn(`${path}.reverse`, 'reverse playback is not exported to MLT');
  if (clip.crop) w.warn(`${path}.crop`, 'crop is not exported to MLT');
  if (clip.stabilise) w.warn(`${path}.stabilise`, 'stabilisation is not exported to MLT');
  if (clip.fit !== undefined && clip.fit !== 'fit') w.warn(`${path}.fit`, `fit "${clip.fit}" is not exported to MLT (melt letterboxes)`);
  w.producers.push({ id, xml: `<producer id="${id}" in="0" out="${length - 1}">${prop('length', length)}${prop('eof', 'pause')}${body}${filters.join('')}</producer>` });
  return id;
}

function mediaPlaylist(w: MltWriter, track: Exclude<Track, TextTrack | { kind: 'caption' }>, t: number): { id: string; endFrames: number } {
  const base = `tracks[${t}]`;
  const id = w.nextId('playlist');
  const entries: string[] = [];
  const order = track.clips.map((c, i) => ({ c, i })).sort((a, b) => a.c.start_ms - b.c.start_ms || a.i - b.i);
  const spans = order.map(({ c, i }) => ({ c, i, span: clipSpan({ clip: c, media: w.media[c.asset_id], path: `${base}.clips[${i}]`, warnings: w.warnings }) }));
  const trans = new Map(track.transitions.map((tr) => [`${tr.from_clip_id}>${tr.to_clip_id}`, tr]));
  let cursor = 0;
  // Frames taken off the start of the next clip by a transition tractor before it.
  let headTaken = 0;
  spans.forEach(({ c, i, span }, k) => {
    const path = `${base}.clips[${i}]`;
    const ref = w.media[c.asset_id];
    if (c.freeze_at_ms !== undefined) w.warn(`${path}.freeze_at_ms`, 'a freeze frame is exported as a clip from its source time (it plays)');
    const producer = sourceProducer(w, c, ref, path);
    const start = w.f(c.start_ms);
    const end = w.f(c.start_ms + span.duration_ms);
    if (start > cursor) {
      entries.push(`<blank length="${start - cursor}"/>`);
      cursor = start;
    }
    const srcIn = c.speed !== 1 ? Math.round(w.f(span.in_ms) / c.speed) : w.f(span.in_ms);
    const next = spans[k + 1];
    const tr = next ? trans.get(`${c.id}>${next.c.id}`) : undefined;
    let tail = 0;
    if (tr && next && w.f(next.c.start_ms) === end) tail = Math.floor(w.f(tr.duration_ms) / 2);
    const inF = srcIn + headTaken;
    const outF = srcIn + (end - start) - tail - 1;
    if (outF >= inF) entries.push(`<entry producer="${producer}" in="${inF}" out="${outF}"/>`);
    cursor = start + headTaken + Math.max(0, outF - inF + 1);
    headTaken = 0;
    if (tr && next && tail >= 0) {
      const d = w.f(tr.duration_ms);
      const head = d - tail;
      const nextRef = w.media[next.c.asset_id];
      const nextProducer = sourceProducer(w, next.c, nextRef, `${base}.clips[${next.i}]`);
      const nextIn = next.c.speed !== 1 ? Math.round(w.f(next.span.in_ms) / next.c.speed) : w.f(next.span.in_ms);
      if (nextIn - tail < 0) w.warn(`${base}.transitions`, `clip "${next.c.id}" has no media before its in point for transition "${tr.id}"; MLT starts it at frame 0`);
      const tid = w.nextId('transition');
      const aIn = outF + 1;
      const bIn = Math.max(0, nextIn - tail);
      if (!['crossfade', 'dissolve'].includes(tr.type)) w.warn(`${base}.transitions`, `transition "${tr.type}" is exported as a dissolve (luma)`);
      w.producers.push({
        id: tid,
        xml: `<tractor id="${tid}" in="0" out="${d - 1}">${prop('shotcut:transition', 'lumaMix')}<track producer="${producer}" in="${aIn}" out="${aIn + d - 1}"/><track producer="${nextProducer}" in="${bIn}" out="${bIn + d - 1}"/><transition>${prop('a_track', 0)}${prop('b_track', 1)}${prop('factory', 'loader')}${prop('mlt_service', 'luma')}${prop('alpha_over', 1)}${prop('fix_background_alpha', 1)}</transition><transition>${prop('a_track', 0)}${prop('b_track', 1)}${prop('start', -1)}${prop('accepts_blanks', 1)}${prop('mlt_service', 'mix')}</transition></tractor>`,
      });
      entries.push(`<entry producer="${tid}" in="0" out="${d - 1}"/>`);
      cursor += d;
      headTaken = head;
    }
  });
  const kind = track.kind === 'audio' ? prop('shotcut:audio', 1) : prop('shotcut:video', 1);
  w.playlists.push(`<playlist id="${id}">${kind}${prop('shotcut:name', track.name ?? track.id)}${entries.join('')}</playlist>`);
  return { id, endFrames: cursor };
}

function textPlaylist(w: MltWriter, track: TextTrack, t: number): { id: string; endFrames: number } {
  const id = w.nextId('playlist');
  const entries: string[] = [];
  let cursor = 0;
  const items = track.items.map((item, i) => ({ item, i })).sort((a, b) => a.item.start_ms - b.item.start_ms || a.i - b.i);
  for (const { item, i } of items) {
    const path = `tracks[${t}].items[${i}]`;
    const start = w.f(item.start_ms);
    const end = w.f(item.start_ms + item.duration_ms);
    if (start < cursor) {
      w.warn(path, 'overlaps the previous text item of its track, which one MLT playlist cannot hold; left out');
      continue;
    }
    if (start > cursor) entries.push(`<blank length="${start - cursor}"/>`);
    const pid = w.nextId('text');
    const size = Math.round((item.font.size * w.height) / 1080);
    const colour = item.color.length === 7 ? `${item.color}ff` : item.color;
    w.producers.push({
      id: pid,
      xml: `<producer id="${pid}" in="0" out="${Math.max(0, end - start - 1)}">${prop('length', Math.max(1, end - start))}${prop('mlt_service', 'qtext')}${prop('text', item.text)}${prop('family', item.font.family ?? 'DejaVu Sans')}${prop('size', size)}${prop('weight', item.font.bold ? 700 : 400)}${prop('fgcolour', colour)}${prop('bgcolour', '#00000000')}${prop('halign', item.align)}${prop('valign', 'middle')}</producer>`,
    });
    if (item.box || item.outline || item.shadow) w.warn(path, 'text box, outline and shadow are not exported to MLT');
    if (item.animation.in !== 'none' || item.animation.out !== 'none') w.warn(`${path}.animation`, 'text animation is not exported to MLT');
    if (item.position !== 'center') w.warn(`${path}.position`, 'text position is not exported to MLT (centred)');
    entries.push(`<entry producer="${pid}" in="0" out="${Math.max(0, end - start - 1)}"/>`);
    cursor = start + Math.max(1, end - start);
  }
  w.playlists.push(`<playlist id="${id}">${prop('shotcut:video', 1)}${prop('shotcut:name', track.name ?? track.id)}${entries.join('')}</playlist>`);
  return { id, endFrames: cursor };
}

export type { Timeline };
