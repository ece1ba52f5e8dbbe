/**
 * cutroom timeline -> FCPXML 1.9 (Final Cut Pro 10.4.1+, DaVinci Resolve and Premiere import it). The first
 * video track is the primary storyline (<spine>): clips, gaps, and transitions, which FCPXML also centres on
 * the edit and fills from handles, as cutroom does. Overlay tracks become connected clips in lanes 1, 2, …,
 * audio tracks in lanes -1, -2, …, and text items Basic Titles above them. Times are whole frames written as
 * rational seconds (`1001/30000s` per frame at 29.97), so nothing drifts.
 */
import { cutroomError, type Warning } from '../errors.js';
import type { MediaClip } from '../timeline/schema.js';
import { clipSpan } from './clip-span.js';
import { dropFramesPerMinute, frameRate, msToFrames, type FrameRate } from './frame-time.js';
import { xmlEscape } from './parse-xml.js';
import type { ExportInput, ExportResult } from './types.js';

// Final Cut's own identifier of the Basic Title generator; FCPXML consumers look titles up by it.
const BASIC_TITLE_UID = '.../Titles.localized/Bumper:Opener.localized/Basic Title.localized/Basic Title.moti';

interface Placed {
  /** Timeline frames. */
  offset: number;
  duration: number;
  xml: (children: string) => string;
  /** The parent's local start (its `start` attribute) in frames; connected clips are timed against it. */
  start: number;
  children: string[];
}

export function exportFcpxml(input: ExportInput & { dropFrame?: boolean }): ExportResult {
  const rate = frameRate(input.fps ?? 30);
  if (!rate) throw cutroomError('VALIDATION_FAILED', `fps ${input.fps} is not a frame rate FCPXML export supports`);
  const { timeline, media } = input;
  const width = input.width ?? 1920;
  const height = input.height ?? 1080;
  const warnings: Warning[] = [];
  const f = (ms: number) => msToFrames(ms, rate);
  const t = (frames: number) => time(frames, rate);
  const drop = input.dropFrame ?? dropFramesPerMinute(rate) > 0;

  const assetIds = new Map<string, string>();
  const resources: string[] = [
    `<format id="r1" name="cutroom ${width}x${height}" frameDuration="${t(1)}" width="${width}" height="${height}" colorSpace="1-1-1 (Rec. 709)"/>`,
  ];
  let next = 2;
  const assetRef = (assetId: string): string => {
    const known = assetIds.get(assetId);
    if (known) return known;
    const id = `r${next++}`;
    assetIds.set(assetId, id);
    const ref = media[assetId];
    const src = ref ? toFileUrl(ref.url) : `cutroom:asset/${assetId}`;
    const duration = ref && ref.kind !== 'image' ? t(f(ref.duration_ms)) : '0s';
    resources.push(
      `<asset id="${id}" name="${xmlEscape(ref?.name ?? assetId)}" uid="${xmlEscape(assetId)}" start="0s" duration="${duration}" hasVideo="${ref?.has_video === false ? 0 : 1}" hasAudio="${ref?.has_audio ? 1 : 0}" format="r1"${ref?.has_audio ? ' audioSources="1" audioChannels="2"' : ''}><media-rep kind="original-media" src="${xmlEscape(src)}"/></asset>`,
    );
    return id;
  };
  let titleEffect: string | undefined;

  const clipXml = (clip: MediaClip, path: string, lane: number | undefined, offset: number, parentStart?: number): { xml: (children: string) => string; duration: number; start: number } => {
    const ref = media[clip.asset_id];
    const span = clipSpan({ clip, media: ref, path, warnings });
    const duration = Math.max(1, f(clip.start_ms + span.duration_ms) - f(clip.start_ms));
    const start = f(span.in_ms);
    const id = assetRef(clip.asset_id);
    const adjust: string[] = [];
    const volume = clip.muted ? 0 : clip.volume;
    if (volume !== 1) adjust.push(`<adjust-volume amount="${volume === 0 ? '-96' : (20 * Math.log10(volume)).toFixed(2)}dB"/>`);
    const tr = clip.transform;
    if (tr.scale !== 1 || tr.position_x !== 0.5 || tr.position_y !== 0.5 || tr.rotation_deg !== 0) {
      // FCP positions are in percent of the frame height from the centre, y up.
      const px = ((tr.position_x - 0.5) * width * 100) / height;
      const py = -(tr.position_y - 0.5) * 100;
      adjust.push(`<adjust-transform position="${px.toFixed(3)} ${py.toFixed(3)}" scale="${tr.scale} ${tr.scale}" rotation="${-tr.rotation_deg}"/>`);
    }
    if (clip.speed !== 1) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: `speed ${clip.speed} is not written (no timeMap); the clip plays at normal speed for its length`, path: `${path}.speed` });
    if (clip.freeze_at_ms !== undefined) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: 'a freeze frame is written as a clip from its source time (it plays)', path: `${path}.freeze_at_ms` });
    for (const key of ['filters', 'automation'] as const) if (clip[key].length > 0) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: `${key} are not written to FCPXML`, path: `${path}.${key}` });
    if (clip.opacity !== 1) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: 'opacity is not written to FCPXML', path: `${path}.opacity` });
    if (clip.audio_fade_in_ms > 0 || clip.audio_fade_out_ms > 0) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: 'audio fades are not written to FCPXML', path: `${path}.audio_fade_in_ms` });
    const element = ref?.kind === 'image' ? 'video' : 'asset-clip';
    const at = parentStart === undefined ? offset : parentStart + offset;
    const laneAttr = lane === undefined ? '' : ` lane="${lane}"`;
    const name = xmlEscape(ref?.name ?? clip.asset_id);
    return {
      duration,
      start,
      xml: (children) =>
        `<${element} ref="${id}"${laneAttr} offset="${t(at)}" name="${name}" start="${t(start)}" duration="${t(duration)}"${element === 'asset-clip' ? ` tcFormat="${drop ? 'DF' : 'NDF'}"` : ''}>${adjust.join('')}${children}</${element}>`,
    };
  };

  // Primary storyline.
  const primaryIndex = timeline.tracks.findIndex((tr) => tr.kind === 'video');
  const spine: Placed[] = [];
  const spineTransitions: Array<{ at: number; duration: number; type: string }> = [];
  let cursor = 0;
  const primary = timeline.tracks[primaryIndex];
  if (primary && primary.kind === 'video') {
    const order = primary.clips.map((c, i) => ({ c, i })).sort((a, b) => a.c.start_ms - b.c.start_ms || a.i - b.i);
    const trans = new Map(primary.transitions.map((tr) => [`${tr.from_clip_id}>${tr.to_clip_id}`, tr]));
    order.forEach(({ c, i }, k) => {
      const path = `tracks[${primaryIndex}].clips[${i}]`;
      const start = f(c.start_ms);
      if (start > cursor) spine.push(gapAt(cursor, start - cursor, t));
      const x = clipXml(c, path, undefined, start);
      spine.push({ offset: start, duration: x.duration, xml: x.xml, start: x.start, children: [] });
      const prev = order[k - 1];
      const tr = prev ? trans.get(`${prev.c.id}>${c.id}`) : undefined;
      if (tr) {
        const d = f(tr.duration_ms);
        spineTransitions.push({ at: start - Math.floor(d / 2), duration: d, type: tr.type });
        if (!['crossfade', 'dissolve'].includes(tr.type)) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: `transition "${tr.type}" is written as a Cross Dissolve`, path: `tracks[${primaryIndex}].transitions` });
      }
      cursor = start + x.duration;
    });
  }

  // Connected items: [timeline offset, xml(parentStart)] placed on the spine item that covers their start.
  const connected: Array<{ offset: number; end: number; xml: (parentOffset: number, parentStart: number) => string }> = [];
  let overlayLane = 0;
  let audioLane = 0;
  let textLane = 0;
  timeline.tracks.forEach((track, ti) => {
    if (ti === primaryIndex) return;
    const base = `tracks[${ti}]`;
    if (track.kind === 'caption') {
      warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: 'caption tracks are not written to FCPXML (export the SRT instead)', path: base });
      return;
    }
    if (track.kind === 'text') {
      const lane = 1000 + ++textLane;
      track.items.forEach((item, ii) => {
        const path = `${base}.items[${ii}]`;
        titleEffect ??= (() => {
          const id = `r${next++}`;
          resources.push(`<effect id="${id}" name="Basic Title" uid="${BASIC_TITLE_UID}"/>`);
          return id;
        })();
        const offset = f(item.start_ms);
        const duration = Math.max(1, f(item.start_ms + item.duration_ms) - offset);
        const styleId = `ts_${ti}_${ii}`;
        const [r, g, b] = [1, 3, 5].map((k) => (parseInt(item.color.slice(k, k + 2), 16) / 255).toFixed(4));
        if (item.animation.in !== 'none' || item.animation.out !== 'none') warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: 'text animation is not written to FCPXML', path: `${path}.animation` });
        if (item.box || item.shadow) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: 'text box and shadow are not written to FCPXML', path });
        const effect = titleEffect;
        connected.push({
          offset,
          end: offset + duration,
          xml: (po, ps) =>
            `<title ref="${effect}" lane="${lane - 1000 + overlayLane}" offset="${t(ps + offset - po)}" name="${xmlEscape(item.text.slice(0, 60))}" start="${t(3600 * Math.round(rate.num / rate.den))}" duration="${t(duration)}"><text><text-style ref="${styleId}">${xmlEscape(item.text)}</text-style></text><text-style-def id="${styleId}"><text-style font="${xmlEscape(item.font.family ?? 'Helvetica')}" fontSize="${item.font.size}" fontColor="${r} ${g} ${b} 1"${item.font.bold ? ' bold="1"' : ''} alignment="${item.align}"/></text-style-def></title>`,
        });
      });
      return;
    }
    const lane = track.kind === 'audio' ? -++audioLane : ++overlayLane;
    if (track.transitions.length > 0) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: 'transitions on connected clips are not written to FCPXML', path: `${base}.transitions` });
    if (track.kind === 'video') warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: 'a second video track is written as connected clips above the storyline', path: base });
    track.clips.forEach((c, ci) => {
      const offset = f(c.start_ms);
      const x = clipXml(c, `${base}.clips[${ci}]`, lane, 0);
      connected.push({
        offset,
        end: offset + x.duration,
        xml: (po, ps) => clipXml(c, `${base}.clips[${ci}]`, lane, ps + offset - po).xml(''),
      });
    });
  });
  const end = Math.max(cursor, ...connected.map((c) => c.end), 1);
  if (end > cursor) spine.push(gapAt(cursor, end - cursor, t));
  for (const item of connected) {
    const host = spine.find((s) => item.offset >= s.offset && item.offset < s.offset + s.duration) ?? spine[spine.length - 1]!;
    host.children.push(item.xml(host.offset, host.start));
  }
  const spineXml: string[] = [];
  const transitions = [...spineTransitions];
  for (const item of spine) {
    while (transitions.length > 0 && transitions[0]!.at < item.offset) {
      const tr = transitions.shift()!;
      spineXml.push(`<transition name="Cross Dissolve" offset="${t(tr.at)}" duration="${t(tr.duration)}"/>`);
    }
    spineXml.push(item.xml(item.children.join('')));
  }
  const title = xmlEscape(input.title ?? timeline.name ?? timeline.id);
  const text = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE fcpxml>
<fcpxml version="1.9">
  <resources>
    ${resources.join('\n    ')}
  </resources>
  <library>
    <event name="cutroom">
      <project name="${title}">
        <sequence format="r1" duration="${t(end)}" tcStart="0s" tcFormat="${drop ? 'DF' : 'NDF'}" audioLayout="stereo" audioRate="48k">
          <spine>
            ${spineXml.join('\n            ')}
          </spine>
        </sequence>
      </project>
    </event>
  </library>
</fcpxml>
`;
  // Connected clips are converted twice (for their length, then placed); keep the warnings of one pass.
  dedupe(warnings);
  return { text, warnings };
}

function gapAt(offset: number, duration: number, t: (f: number) => string): Placed {
  return { offset, duration, start: 0, children: [], xml: (children) => `<gap name="Gap" offset="${t(offset)}" start="0s" duration="${t(duration)}">${children}</gap>` };
}

/** Frames as FCPXML rational seconds, reduced: 45 frames at 30 fps = `3/2s`, at 29.97 = `45045/30000s`. */
function time(frames: number, rate: FrameRate): string {
  if (frames === 0) return '0s';
  const num = frames * rate.den;
  const den = rate.num;
  const g = gcd(num, den);
  return den / g === 1 ? `${num / g}s` : `${num / g}/${den / g}s`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function toFileUrl(url: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  return `file://${url.split('/').map(encodeURIComponent).join('/')}`;
}

function dedupe(warnings: Warning[]): void {
  const seen = new Set<string>();
  let w = 0;
  for (const x of warnings) {
    const key = `${x.code}|${x.path}|${x.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    warnings[w++] = x;
  }
  warnings.length = w;
}
