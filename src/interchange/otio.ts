/**
 * OpenTimelineIO (.otio JSON) in and out. A cutroom sequence is a Timeline.1 whose Stack.1 holds one Track.1
 * per track, bottom first (the same order as cutroom). Clips become Clip.2 with an ExternalReference.1, the space
 * between them Gap.1, transitions Transition.1 between the two clips they join (in_offset before the cut,
 * out_offset after: cutroom centres transitions on the cut, so the two halves are equal).
 *
 * What OTIO has no field for (filters, transform, volume, text styling, caption tracks, exact milliseconds
 * between frames) is kept under `metadata.cutroom`, so cutroom -> OTIO -> cutroom gives the same timeline byte
 * for byte. On import the OTIO fields win: an editor who trimmed a clip in another tool keeps the trim, and the
 * exact-ms hint is used only while it still rounds to the same frame.
 */
import type { Warning } from '../errors.js';
import { cutroomError } from '../errors.js';
import type {
  CaptionTrack,
  MediaClip,
  TextLayer,
  TextTrack,
  Track,
  Transition,
} from '../timeline/schema.js';
import { clipSpan } from './clip-span.js';
import { frameRate, msToFrames, type FrameRate } from './frame-time.js';
import { ImportContext } from './import-context.js';
import { ItemBudget } from './limits.js';
import { parseJsonText } from './parse-json.js';
import type { ExportInput, ExportResult, ImportInput, ImportResult } from './types.js';

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------------
// export

function rt(frames: number, rate: FrameRate): Json {
  return { OTIO_SCHEMA: 'RationalTime.1', rate: rate.num / rate.den, value: frames };
}
function range(startFrames: number, durFrames: number, rate: FrameRate): Json {
  return { OTIO_SCHEMA: 'TimeRange.1', duration: rt(durFrames, rate), start_time: rt(startFrames, rate) };
}
function gap(frames: number, rate: FrameRate): Json {
  return {
    OTIO_SCHEMA: 'Gap.1',
    metadata: {},
    name: '',
    source_range: range(0, frames, rate),
    effects: [],
    markers: [],
    enabled: true,
  };
}

function without<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...value };
  for (const k of keys) delete copy[k];
  return copy;
}

const DISSOLVE_TYPES = new Set(['crossfade', 'dissolve']);

export function exportOtio(input: ExportInput): ExportResult {
  const rate = frameRate(input.fps ?? 30);
  if (!rate) throw cutroomError('VALIDATION_FAILED', `fps ${input.fps} is not a frame rate OTIO export supports`);
  const { timeline, media } = input;
  const warnings: Warning[] = [];
  const tracks = timeline.tracks.map((track, t) => exportTrack({ track, t, rate, media, warnings }));
  const doc = {
    OTIO_SCHEMA: 'Timeline.1',
    metadata: { cutroom: { sequence: without(timeline, 'tracks') } },
    name: input.title ?? timeline.name ?? timeline.id,
    global_start_time: null,
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      metadata: {},
      name: 'tracks',
      source_range: null,
      effects: [],
      markers: [],
      enabled: true,
      children: tracks,
    },
  };
  return { text: JSON.stringify(doc, null, 2) + '\n', warnings };
}

function exportTrack({
  track,
  t,
  rate,
  media,
  warnings,
}: {
  track: Track;
  t: number;
  rate: FrameRate;
  media: ExportInput['media'];
  warnings: Warning[];
}): Json {
  const base = `tracks[${t}]`;
  const children: Json[] = [];
  let meta: Json;
  if (track.kind === 'caption') {
    warnings.push({
      code: 'INTERCHANGE_METADATA_ONLY',
      message: 'caption tracks have no OTIO equivalent; kept in metadata.cutroom only (other tools will not show them)',
      path: base,
    });
    meta = { track };
  } else if (track.kind === 'text') {
    const items = [...track.items].sort((a, b) => a.start_ms - b.start_ms);
    const overlap = items.some((it, i) => i > 0 && it.start_ms < items[i - 1]!.start_ms + items[i - 1]!.duration_ms);
    if (overlap) {
      warnings.push({
        code: 'INTERCHANGE_METADATA_ONLY',
        message: 'text items of this track overlap, which one OTIO track cannot hold; kept in metadata.cutroom only',
        path: base,
      });
      meta = { track };
    } else {
      let cursor = 0;
      for (const item of items) {
        const start = msToFrames(item.start_ms, rate);
        const end = msToFrames(item.start_ms + item.duration_ms, rate);
        if (start > cursor) children.push(gap(start - cursor, rate));
        children.push({
          OTIO_SCHEMA: 'Clip.2',
          metadata: { cutroom: { item } },
          name: item.text.slice(0, 60),
          source_range: range(0, Math.max(1, end - start), rate),
          effects: [],
          markers: [],
          enabled: true,
          media_references: {
            DEFAULT_MEDIA: {
              OTIO_SCHEMA: 'GeneratorReference.1',
              metadata: {},
              name: 'text',
              available_range: null,
              generator_kind: 'cutroom.text',
              parameters: { text: item.text },
            },
          },
          active_media_reference_key: 'DEFAULT_MEDIA',
        });
        cursor = start + Math.max(1, end - start);
      }
      meta = { track: without(track, 'items'), item_order: track.items.map((i) => i.id) };
    }
  } else {
    const order = track.clips.map((c, i) => ({ c, i })).sort((a, b) => a.c.start_ms - b.c.start_ms || a.i - b.i);
    const byFrom = new Map<string, Transition>();
    for (const tr of track.transitions) byFrom.set(`${tr.from_clip_id}>${tr.to_clip_id}`, tr);
    let cursor = 0;
    let prev: MediaClip | undefined;
    for (const { c: clip, i } of order) {
      const path = `${base}.clips[${i}]`;
      const ref = media[clip.asset_id];
      const span = clipSpan({ clip, media: ref, path, warnings });
      const start = msToFrames(clip.start_ms, rate);
      const dur = Math.max(1, msToFrames(clip.start_ms + span.duration_ms, rate) - start);
      if (start > cursor) children.push(gap(start - cursor, rate));
      const tr = prev ? byFrom.get(`${prev.id}>${clip.id}`) : undefined;
      if (tr) {
        const half = msToFrames(tr.duration_ms / 2, rate);
        children.push({
          OTIO_SCHEMA: 'Transition.1',
          metadata: { cutroom: { transition: tr } },
          name: tr.type,
          transition_type: DISSOLVE_TYPES.has(tr.type) ? 'SMPTE_Dissolve' : 'Custom_Transition',
          in_offset: rt(half, rate),
          out_offset: rt(msToFrames(tr.duration_ms, rate) - half, rate),
        });
      }
      const srcStart = msToFrames(span.in_ms, rate);
      const effects: Json[] = [];
      if (clip.speed !== 1)
        effects.push({ OTIO_SCHEMA: 'LinearTimeWarp.1', metadata: {}, name: 'speed', effect_name: 'LinearTimeWarp', time_scalar: clip.speed });
      if (clip.freeze_at_ms !== undefined)
        effects.push({ OTIO_SCHEMA: 'FreezeFrame.1', metadata: {}, name: 'freeze', effect_name: 'FreezeFrame', time_scalar: 0 });
      children.push({
        OTIO_SCHEMA: 'Clip.2',
        metadata: { cutroom: { clip, span: { out_ms: span.out_ms } } },
        name: ref?.name ?? clip.asset_id,
        source_range: range(srcStart, dur, rate),
        effects,
        markers: [],
        enabled: true,
        media_references: {
          DEFAULT_MEDIA: {
            OTIO_SCHEMA: 'ExternalReference.1',
            metadata: {},
            name: ref?.name ?? clip.asset_id,
            available_range: ref && ref.kind !== 'image' ? range(0, msToFrames(ref.duration_ms, rate), rate) : null,
            target_url: ref?.url ?? `cutroom:asset/${clip.asset_id}`,
          },
        },
        active_media_reference_key: 'DEFAULT_MEDIA',
      });
      cursor = start + dur;
      prev = clip;
    }
    const placed = new Set(
      order.slice(1).map(({ c }, k) => `${order[k]!.c.id}>${c.id}`),
    );
    track.transitions.forEach((tr, k) => {
      if (!placed.has(`${tr.from_clip_id}>${tr.to_clip_id}`))
        warnings.push({
          code: 'INTERCHANGE_METADATA_ONLY',
          message: `transition "${tr.id}" does not join neighbouring clips; kept in metadata.cutroom only`,
          path: `${base}.transitions[${k}]`,
        });
    });
    meta = {
      track: without(track, 'clips', 'transitions'),
      clip_order: track.clips.map((c) => c.id),
      transitions: track.transitions,
    };
  }
  return {
    OTIO_SCHEMA: 'Track.1',
    metadata: { cutroom: meta },
    name: track.name ?? track.id,
    source_range: null,
    effects: [],
    markers: [],
    enabled: !('hidden' in track && track.hidden),
    children,
    kind: track.kind === 'audio' ? 'Audio' : 'Video',
  };
}

// ---------------------------------------------------------------------------------------------------------------
// import

const KNOWN: Record<string, number[]> = {
  Timeline: [1],
  Stack: [1],
  Track: [1],
  Clip: [1, 2],
  Gap: [1],
  Transition: [1],
  ExternalReference: [1],
  MissingReference: [1],
  GeneratorReference: [1],
  Marker: [1, 2],
  LinearTimeWarp: [1],
  FreezeFrame: [1],
  Effect: [1],
  RationalTime: [1],
  TimeRange: [1],
};

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Schema name of an OTIO object; INTERCHANGE_UNSUPPORTED_VERSION for a known name at an unknown version. */
function schemaOf(v: unknown, path: string): string | undefined {
  if (!isObj(v) || typeof v.OTIO_SCHEMA !== 'string') return undefined;
  const m = /^([A-Za-z]+)\.(\d+)$/.exec(v.OTIO_SCHEMA);
  if (!m) return v.OTIO_SCHEMA;
  const versions = KNOWN[m[1]!];
  if (versions && !versions.includes(Number(m[2])))
    throw cutroomError('INTERCHANGE_UNSUPPORTED_VERSION', `${path} is ${v.OTIO_SCHEMA}; cutroom reads ${m[1]}.${versions.join(`, ${m[1]}.`)}`, {
      format: 'otio',
      path,
      found: v.OTIO_SCHEMA,
    });
  return m[1];
}

class OtioReader {
  constructor(
    readonly cx: ImportContext,
    readonly budget: ItemBudget,
  ) {}

  /** Milliseconds of a RationalTime; a fractional frame count is a time that does not fit the rate. */
  ms(v: unknown, path: string): number {
    if (schemaOf(v, path) !== 'RationalTime' || !isObj(v) || typeof v.value !== 'number' || typeof v.rate !== 'number' || !(v.rate > 0)) {
      this.cx.problem(path, 'must be a RationalTime.1 with a numeric value and a positive rate');
      return 0;
    }
    if (!Number.isInteger(v.value) && Math.abs(v.value - Math.round(v.value)) > 1e-6)
      this.cx.problem(path, `value ${v.value} is not a whole number of frames at rate ${v.rate}`);
    if (v.value < 0) this.cx.problem(path, 'must not be negative');
    return Math.max(0, Math.round((v.value * 1000) / v.rate));
  }

  range(v: unknown, path: string): { start: number; duration: number } | undefined {
    if (v === null || v === undefined) return undefined;
    if (schemaOf(v, path) !== 'TimeRange' || !isObj(v)) {
      this.cx.problem(path, 'must be a TimeRange.1');
      return undefined;
    }
    return { start: this.ms(v.start_time, `${path}.start_time`), duration: this.ms(v.duration, `${path}.duration`) };
  }

  /** Length of an item in its parent: its source_range, or for a Stack/Track the length of its children. */
  duration(item: Json, path: string): number {
    const r = this.range(item.source_range, `${path}.source_range`);
    if (r) return r.duration;
    const kind = schemaOf(item, path);
    const children = Array.isArray(item.children) ? item.children : [];
    if (kind === 'Track')
      return children.reduce<number>((n, c, i) => (schemaOf(c, `${path}.children[${i}]`) === 'Transition' ? n : n + this.duration(c as Json, `${path}.children[${i}]`)), 0);
    if (kind === 'Stack')
      return children.reduce<number>((n, c, i) => Math.max(n, this.duration(c as Json, `${path}.children[${i}]`)), 0);
    this.cx.problem(`${path}.source_range`, 'is required for this item');
    return 0;
  }

  foreignMetadata(v: Json, path: string): void {
    if (!isObj(v.metadata)) return;
    for (const key of Object.keys(v.metadata))
      if (key !== 'cutroom') this.cx.warn(`${path}.metadata.${key}`, `metadata namespace "${key}" has no cutroom equivalent`);
  }

  markers(v: Json, path: string): void {
    if (Array.isArray(v.markers))
      v.markers.forEach((m, i) => {
        schemaOf(m, `${path}.markers[${i}]`);
        const name = isObj(m) && typeof m.name === 'string' ? ` "${m.name}"` : '';
        this.cx.warn(`${path}.markers[${i}]`, `marker${name} is not kept: cutroom timelines have no markers`);
      });
  }
}

export function importOtio(input: ImportInput): ImportResult {
  const doc = parseJsonText({ text: input.text, format: 'otio' });
  const cx = new ImportContext('otio', input.assets);
  const rd = new OtioReader(cx, new ItemBudget('otio'));
  if (schemaOf(doc, '(root)') !== 'Timeline' || !isObj(doc))
    throw cutroomError('INTERCHANGE_INVALID', 'an .otio file must hold a Timeline.1 at the top', {
      format: 'otio',
      issues: [{ path: 'OTIO_SCHEMA', message: 'must be Timeline.1' }],
    });
  rd.foreignMetadata(doc, '(root)');
  const seqMeta = isObj(doc.metadata) && isObj(doc.metadata.cutroom) && isObj(doc.metadata.cutroom.sequence) ? doc.metadata.cutroom.sequence : {};
  const stack = doc.tracks;
  if (schemaOf(stack, 'tracks') !== 'Stack' || !isObj(stack) || !Array.isArray(stack.children))
    throw cutroomError('INTERCHANGE_INVALID', 'Timeline.1.tracks must be a Stack.1 with children', {
      format: 'otio',
      issues: [{ path: 'tracks', message: 'must be a Stack.1 with children' }],
    });
  rd.markers(stack, 'tracks');
  if (Array.isArray(stack.effects) && stack.effects.length > 0) cx.warn('tracks.effects', 'effects on the top-level stack are not kept');
  let videoSeen = false;
  const tracks: Json[] = [];
  stack.children.forEach((child, t) => {
    const path = `tracks.children[${t}]`;
    const kind = schemaOf(child, path);
    if (kind !== 'Track' || !isObj(child)) {
      cx.warn(path, `a ${String(kind ?? 'non-OTIO object')} directly in the top-level stack is not imported (only Track.1 is)`);
      return;
    }
    const built = importTrack({ rd, track: child, path, first: !videoSeen });
    if (built) {
      if (built.kind === 'video') videoSeen = true;
      tracks.push(built);
    }
  });
  const name = typeof doc.name === 'string' && doc.name !== '' ? doc.name.slice(0, 200) : undefined;
  return cx.finish({ ...(name ? { name } : {}), ...seqMeta, tracks });
}

function importTrack({ rd, track, path, first }: { rd: OtioReader; track: Json; path: string; first: boolean }): Json | undefined {
  const { cx } = rd;
  rd.foreignMetadata(track, path);
  rd.markers(track, path);
  if (Array.isArray(track.effects) && track.effects.length > 0) cx.warn(`${path}.effects`, 'track effects are not kept');
  const saved = isObj(track.metadata) && isObj(track.metadata.cutroom) ? track.metadata.cutroom : undefined;
  const savedTrack = saved && isObj(saved.track) ? saved.track : undefined;
  if (savedTrack?.kind === 'caption' || (savedTrack?.kind === 'text' && Array.isArray(savedTrack.items))) return savedTrack;
  const children = Array.isArray(track.children) ? track.children : [];
  const id = typeof savedTrack?.id === 'string' ? savedTrack.id : cx.id(track.kind === 'Audio' ? 'audio' : 'video');
  cx.reserve(id);
  const name = typeof track.name === 'string' && track.name !== '' && track.name !== id ? track.name.slice(0, 200) : undefined;
  const kind = savedTrack?.kind ?? (track.kind === 'Audio' ? 'audio' : first ? 'video' : 'overlay');
  if (track.kind !== 'Audio' && track.kind !== 'Video') cx.warn(`${path}.kind`, `track kind "${String(track.kind)}" is read as Video`);
  if (kind === 'text') return importTextTrack({ rd, children, path, savedTrack: savedTrack!, order: saved?.item_order });

  const clips: Json[] = [];
  const transitions: Json[] = [];
  let cursor = 0;
  let pending: { item: Json; path: string } | undefined;
  children.forEach((child, i) => {
    const cpath = `${path}.children[${i}]`;
    rd.budget.take(cpath);
    const ckind = schemaOf(child, cpath);
    if (!isObj(child)) return cx.problem(cpath, 'must be an OTIO object');
    if (ckind === 'Transition') {
      pending = { item: child, path: cpath };
      return;
    }
    const dur = rd.duration(child, cpath);
    if (ckind === 'Clip') {
      const clip = importClip({ rd, clip: child, path: cpath, start: cursor, duration: dur });
      if (clip) {
        if (pending) {
          const from = clips[clips.length - 1];
          const tr = importTransition({ rd, tr: pending.item, path: pending.path, from, to: clip, cursor });
          if (tr) transitions.push(tr);
          pending = undefined;
        }
        clips.push(clip);
      }
    } else if (ckind === 'Gap') {
      rd.markers(child, cpath);
    } else {
      cx.warn(cpath, `a nested ${String(ckind ?? 'object')} is imported as a gap of its length (${dur} ms); flatten it in the source tool`);
    }
    if (pending && ckind !== 'Clip') {
      cx.warn(pending.path, 'a transition not between two clips is not kept');
      pending = undefined;
    }
    cursor += dur;
  });
  if (pending) cx.warn(pending.path, 'a transition at the end of a track is not kept');
  // Keep cutroom's own clip order when the file came from cutroom and still has the same clips.
  const order = Array.isArray(saved?.clip_order) ? (saved.clip_order as unknown[]) : undefined;
  if (order && order.length === clips.length && clips.every((c) => order.includes(c.id)))
    clips.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const savedTransitions = Array.isArray(saved?.transitions) ? (saved.transitions as Json[]) : undefined;
  if (savedTransitions) {
    const kept = new Set(transitions.map((t) => t.id));
    // Transitions that were not between neighbours stay in metadata only; bring them back in their old order.
    const ordered = savedTransitions
      .map((st) => transitions.find((t) => t.id === st.id) ?? (kept.has(st.id) ? undefined : clips.some((c) => c.id === st.from_clip_id) && clips.some((c) => c.id === st.to_clip_id) ? st : undefined))
      .filter((t): t is Json => t !== undefined);
    for (const t of transitions) if (!ordered.includes(t)) ordered.push(t);
    transitions.splice(0, transitions.length, ...ordered);
  }
  const props = savedTrack ? { ...savedTrack } : {};
  delete props.clips;
  delete props.transitions;
  return {
    ...props,
    id,
    ...(name && !savedTrack ? { name } : {}),
    kind,
    ...(kind !== 'audio' && track.enabled === false ? { hidden: true } : {}),
    clips,
    transitions,
  };
}

function importClip({ rd, clip, path, start, duration }: { rd: OtioReader; clip: Json; path: string; start: number; duration: number }): Json | undefined {
  const { cx } = rd;
  rd.foreignMetadata(clip, path);
  rd.markers(clip, path);
  const saved = isObj(clip.metadata) && isObj(clip.metadata.cutroom) && isObj(clip.metadata.cutroom.clip) ? clip.metadata.cutroom.clip : undefined;
  if (clip.enabled === false) {
    cx.warn(`${path}.enabled`, 'a disabled clip is left out (cutroom has no disabled clips)');
    return undefined;
  }
  const src = rd.range(clip.source_range, `${path}.source_range`);
  const refs = isObj(clip.media_references) ? clip.media_references : undefined;
  const key = typeof clip.active_media_reference_key === 'string' ? clip.active_media_reference_key : 'DEFAULT_MEDIA';
  const ref = refs ? refs[key] : clip.media_reference;
  const refPath = refs ? `${path}.media_references.${key}` : `${path}.media_reference`;
  const refKind = schemaOf(ref, refPath);
  if (refKind === 'GeneratorReference') {
    cx.warn(refPath, 'generator clips (other than cutroom text) are not imported');
    return undefined;
  }
  let available = 0;
  let assetId: string;
  if (refKind === 'ExternalReference' && isObj(ref) && typeof ref.target_url === 'string') {
    const avail = rd.range(ref.available_range, `${refPath}.available_range`);
    available = avail?.start ?? 0;
    assetId = resolveAsset(cx, ref.target_url, saved, `${refPath}.target_url`);
  } else {
    const name = typeof clip.name === 'string' ? clip.name : '';
    assetId = resolveAsset(cx, name, saved, `${path}.name`);
  }
  const effects = Array.isArray(clip.effects) ? clip.effects : [];
  let speed = 1;
  let freeze = false;
  effects.forEach((e, i) => {
    const epath = `${path}.effects[${i}]`;
    const k = schemaOf(e, epath);
    if (k === 'LinearTimeWarp' && isObj(e) && typeof e.time_scalar === 'number') speed = e.time_scalar;
    else if (k === 'FreezeFrame') freeze = true;
    else cx.warn(epath, `effect ${isObj(e) ? String(e.effect_name ?? e.OTIO_SCHEMA) : ''} has no cutroom equivalent`);
  });
  if (speed < 0.25 || speed > 4) {
    cx.problem(`${path}.effects`, `time_scalar ${speed} is outside cutroom's speed range 0.25..4`);
    speed = 1;
  }
  const inMs = Math.max(0, (src?.start ?? 0) - available);
  const fps = rateOf(clip.source_range);
  // The exact-ms values cutroom saved stay valid while they still round to the frame OTIO holds.
  const keep = (saved: unknown, derived: number): number =>
    typeof saved === 'number' && Math.round((saved * fps) / 1000) === Math.round((derived * fps) / 1000) ? saved : derived;
  const durMs = Math.max(1, duration);
  const derivedOut = inMs + Math.round(durMs * speed);
  if (!saved) {
    const id = cx.id(`clip_${typeof clip.name === 'string' ? clip.name : 'c'}`);
    return freeze
      ? { id, asset_id: assetId, start_ms: start, freeze_at_ms: inMs, duration_ms: durMs }
      : { id, asset_id: assetId, start_ms: start, in_ms: inMs, out_ms: derivedOut, speed };
  }
  const span = isObj(clip.metadata) && isObj(clip.metadata.cutroom) && isObj(clip.metadata.cutroom.span) ? clip.metadata.cutroom.span : {};
  const out: Json = { ...saved, asset_id: assetId, start_ms: keep(saved.start_ms, start) };
  cx.reserve(String(saved.id));
  if (freeze) {
    out.freeze_at_ms = keep(saved.freeze_at_ms, inMs);
    out.duration_ms = keep(saved.duration_ms, durMs);
  } else if (saved.duration_ms !== undefined) {
    out.in_ms = keep(saved.in_ms, inMs);
    out.duration_ms = keep(saved.duration_ms, durMs);
  } else {
    out.in_ms = keep(saved.in_ms, inMs);
    if (saved.out_ms !== undefined) out.out_ms = keep(saved.out_ms, derivedOut);
    else if (keep(span.out_ms, derivedOut) !== span.out_ms) out.out_ms = derivedOut;
  }
  if (typeof saved.speed !== 'number' || Math.abs(saved.speed - speed) > 1e-9) out.speed = speed;
  return out;
}

function rateOf(r: unknown): number {
  return isObj(r) && isObj(r.duration) && typeof r.duration.rate === 'number' ? r.duration.rate : 30;
}

/** The mapping wins; a file written by cutroom also names its asset ids (still checked against the tenant later). */
function resolveAsset(cx: ImportContext, reference: string, saved: Json | undefined, path: string): string {
  if (cx.has(reference)) return cx.asset(reference, path);
  if (typeof saved?.asset_id === 'string') return saved.asset_id;
  const m = /^cutroom:asset\/([A-Za-z0-9_.:-]+)$/.exec(reference);
  if (m) return m[1]!;
  return cx.asset(reference, path);
}

function importTransition({
  rd,
  tr,
  path,
  from,
  to,
  cursor,
}: {
  rd: OtioReader;
  tr: Json;
  path: string;
  from: Json | undefined;
  to: Json;
  cursor: number;
}): Json | undefined {
  const { cx } = rd;
  rd.foreignMetadata(tr, path);
  if (!from) {
    cx.warn(path, 'a transition before the first clip is not kept');
    return undefined;
  }
  const inMs = rd.ms(tr.in_offset, `${path}.in_offset`);
  const outMs = rd.ms(tr.out_offset, `${path}.out_offset`);
  void cursor;
  const saved = isObj(tr.metadata) && isObj(tr.metadata.cutroom) && isObj(tr.metadata.cutroom.transition) ? tr.metadata.cutroom.transition : undefined;
  const total = inMs + outMs;
  // An odd frame count cannot split evenly: one frame of difference is still a centred transition.
  if (Math.abs(inMs - outMs) > 1000 / rateOf({ duration: tr.in_offset }) + 1)
    cx.warn(path, `in_offset ${inMs} ms and out_offset ${outMs} ms differ; cutroom centres transitions on the cut (${total} ms centred)`);
  let type = saved?.type;
  if (typeof type !== 'string') {
    type = 'crossfade';
    if (tr.transition_type !== 'SMPTE_Dissolve')
      cx.warn(`${path}.transition_type`, `transition_type "${String(tr.transition_type)}" has no cutroom equivalent; imported as crossfade`);
  }
  const id = typeof saved?.id === 'string' ? saved.id : cx.id(`tr_${String(from.id)}`);
  const fps = rateOf({ duration: tr.in_offset });
  const dur =
    typeof saved?.duration_ms === 'number' && Math.round((saved.duration_ms * fps) / 1000) === Math.round((total * fps) / 1000)
      ? saved.duration_ms
      : total;
  if (dur < 1) return undefined;
  return { ...(saved ?? {}), id, type, from_clip_id: from.id, to_clip_id: to.id, duration_ms: dur };
}

function importTextTrack({
  rd,
  children,
  path,
  savedTrack,
  order,
}: {
  rd: OtioReader;
  children: unknown[];
  path: string;
  savedTrack: Json;
  order: unknown;
}): Json {
  const items: Json[] = [];
  let cursor = 0;
  children.forEach((child, i) => {
    const cpath = `${path}.children[${i}]`;
    rd.budget.take(cpath);
    if (!isObj(child)) return;
    const dur = rd.duration(child, cpath);
    const saved = isObj(child.metadata) && isObj(child.metadata.cutroom) && isObj(child.metadata.cutroom.item) ? (child.metadata.cutroom.item as Partial<TextLayer>) : undefined;
    if (schemaOf(child, cpath) === 'Clip') {
      if (!saved) rd.cx.warn(cpath, 'a clip on a cutroom text track without its metadata.cutroom.item is left out');
      else {
        const tol = 1000 / 2 / rateOf(child.source_range);
        const start = typeof saved.start_ms === 'number' && Math.abs(saved.start_ms - cursor) <= tol ? saved.start_ms : cursor;
        const d = typeof saved.duration_ms === 'number' && Math.abs(saved.duration_ms - dur) <= tol * 2 ? saved.duration_ms : dur;
        items.push({ ...saved, start_ms: start, duration_ms: d });
      }
    }
    cursor += dur;
  });
  if (Array.isArray(order) && order.length === items.length)
    items.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return { ...savedTrack, items } satisfies Partial<TextTrack> | Json;
}

export type { CaptionTrack };
