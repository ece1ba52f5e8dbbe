/**
 * CMX3600 EDL in and out: one video track plus audio channels (A, A2, A3, A4), cuts and dissolves, reel names
 * from asset names, drop-frame or non-drop timecode. The record side starts at 01:00:00:00 as on a deck.
 *
 * A dissolve in an EDL starts at the record-in of its `D` event; cutroom centres transitions on the cut, so
 * the outgoing event ends half a transition early and the `D` event starts there, and the import does the
 * reverse. The only exact round trip is for edits on the frame grid; other times round to frames.
 */
import { cutroomError, type Warning } from '../errors.js';
import type { MediaClip, Timeline } from '../timeline/schema.js';
import { clipSpan } from './clip-span.js';
import { dropFramesPerMinute, frameRate, framesToMs, framesToTimecode, msToFrames, timecodeToFrames } from './frame-time.js';
import { ImportContext } from './import-context.js';
import { checkTextSize, ItemBudget } from './limits.js';
import type { ExportInput, ExportResult, ImportInput, ImportResult } from './types.js';

const RECORD_START_HOURS = 1;
const AUDIO_CHANNELS = ['A', 'A2', 'A3', 'A4'];

/** Reel names are at most 8 characters of A-Z, 0-9 and _ in CMX3600; made unique per file. */
function reelNames(timeline: Timeline, media: ExportInput['media']): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const track of timeline.tracks) {
    if (!('clips' in track)) continue;
    for (const clip of track.clips) {
      if (out.has(clip.asset_id)) continue;
      const name = media[clip.asset_id]?.name ?? clip.asset_id;
      const stem = name.replace(/\.[^.]*$/, '').toUpperCase().replace(/[^A-Z0-9_]/g, '').slice(0, 8) || 'AX';
      let reel = stem;
      for (let n = 2; used.has(reel); n++) reel = `${stem.slice(0, 8 - String(n).length)}${n}`;
      used.add(reel);
      out.set(clip.asset_id, reel);
    }
  }
  return out;
}

export function exportEdl(input: ExportInput & { dropFrame?: boolean }): ExportResult {
  const rate = frameRate(input.fps ?? 30);
  if (!rate) throw cutroomError('VALIDATION_FAILED', `fps ${input.fps} is not a frame rate EDL export supports`);
  const drop = (input.dropFrame ?? dropFramesPerMinute(rate) > 0) && dropFramesPerMinute(rate) > 0;
  if (input.dropFrame && !drop) throw cutroomError('VALIDATION_FAILED', `drop-frame timecode exists only at 29.97 and 59.94 fps, not ${input.fps}`);
  const { timeline, media } = input;
  const warnings: Warning[] = [];
  const reels = reelNames(timeline, media);
  const f = (ms: number) => msToFrames(ms, rate);
  // 01:00:00:00 as a frame count: in drop-frame timecode an hour of labels is 107 892 frames, not 108 000.
  const recStart = timecodeToFrames(`0${RECORD_START_HOURS}:00:00${drop ? ';' : ':'}00`, rate)!.frames;
  const tc = (frames: number) => framesToTimecode(frames, rate, drop);
  const lines: string[] = [`TITLE: ${(input.title ?? timeline.name ?? timeline.id).replace(/[\r\n]/g, ' ').slice(0, 70)}`, `FCM: ${drop ? 'DROP FRAME' : 'NON-DROP FRAME'}`];
  let event = 0;
  const ev = (reel: string, channel: string, kind: string, dur: string, si: number, so: number, ri: number, ro: number) =>
    `${String(++event).padStart(3, '0')}  ${reel.padEnd(8)} ${channel.padEnd(5)} ${kind.padEnd(4)} ${dur.padStart(3)} ${tc(si)} ${tc(so)} ${tc(recStart + ri)} ${tc(recStart + ro)}`;

  const emitTrack = (track: { clips: MediaClip[]; transitions: Array<{ id: string; type: string; from_clip_id: string; to_clip_id: string; duration_ms: number }> }, channel: (c: MediaClip) => string, base: string) => {
    const trans = new Map(track.transitions.map((t) => [`${t.from_clip_id}>${t.to_clip_id}`, t]));
    const order = track.clips
      .map((c, i) => ({ c, i }))
      .sort((a, b) => a.c.start_ms - b.c.start_ms || a.i - b.i)
      .map(({ c, i }) => {
        const path = `${base}.clips[${i}]`;
        const span = clipSpan({ clip: c, media: media[c.asset_id], path, warnings });
        const ri = f(c.start_ms);
        const ro = f(c.start_ms + span.duration_ms);
        const si = f(span.in_ms);
        const rate = c.freeze_at_ms !== undefined ? 0 : c.speed;
        return { c, i, path, ri, ro, si, so: si + Math.round((ro - ri) * rate), rate, tail: 0, dissolve: 0 };
      });
    // Frames each transition takes off the end of its outgoing clip (half, rounded down) and its length.
    order.forEach((x, k) => {
      const next = order[k + 1];
      const tr = next ? trans.get(`${x.c.id}>${next.c.id}`) : undefined;
      if (!tr || !next || next.ri !== x.ro) return;
      if (!['crossfade', 'dissolve'].includes(tr.type)) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: `transition "${tr.type}" is written as a dissolve`, path: `${base}.transitions` });
      x.tail = Math.floor(f(tr.duration_ms) / 2);
      next.dissolve = f(tr.duration_ms);
    });
    order.forEach((x, k) => {
      const { c, path } = x;
      if (c.speed !== 1) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: `speed ${c.speed} is written as an M2 motion line; most tools re-time from it`, path: `${path}.speed` });
      for (const key of ['filters', 'automation'] as const) if (c[key].length > 0) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: `${key} are not part of an EDL`, path: `${path}.${key}` });
      if (c.volume !== 1 || c.muted) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: 'clip volume is not part of an EDL', path: `${path}.volume` });
      const reel = reels.get(c.asset_id) ?? 'AX';
      const ch = channel(c);
      const so = x.so - Math.round(x.tail * x.rate);
      const ro = x.ro - x.tail;
      lines.push('');
      if (x.dissolve === 0) lines.push(ev(reel, ch, 'C', '', x.si, so, x.ri, ro));
      else {
        // CMX3600 dissolve: the outgoing source as a zero-length cut, then D with the length in frames, both
        // under one event number. The dissolve starts where the outgoing event ended.
        const prev = order[k - 1]!;
        const start = prev.ro - prev.tail;
        const outSrc = prev.so - Math.round(prev.tail * prev.rate);
        const lead = x.ri - start;
        const si = x.si - Math.round(lead * x.rate);
        if (si < 0) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: `clip "${c.id}" has no media before its in point for the dissolve; the EDL starts it at 00:00:00:00`, path });
        lines.push(ev(reels.get(prev.c.asset_id) ?? 'AX', channel(prev.c), 'C', '', outSrc, outSrc, start, start));
        event--;
        lines.push(ev(reel, ch, 'D', String(x.dissolve).padStart(3, '0'), Math.max(0, si), so, start, ro));
      }
      lines.push(`* FROM CLIP NAME: ${(media[c.asset_id]?.name ?? c.asset_id).replace(/[\r\n]/g, ' ')}`);
      if (c.speed !== 1) lines.push(`M2   ${reel.padEnd(8)} ${((c.speed * rate.num) / rate.den).toFixed(1).padStart(6, '0')}    ${tc(x.si)}`);
    });
  };

  let videoDone = false;
  let audioChannel = 0;
  timeline.tracks.forEach((track, t) => {
    const base = `tracks[${t}]`;
    if (track.kind === 'video' && !videoDone) {
      videoDone = true;
      emitTrack(track, (c) => (media[c.asset_id]?.has_audio && !c.muted && !track.muted ? 'AA/V' : 'V'), base);
    } else if (track.kind === 'audio' && audioChannel < AUDIO_CHANNELS.length) {
      const ch = AUDIO_CHANNELS[audioChannel++]!;
      if (track.transitions.length > 0) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: 'audio track transitions are written as dissolves', path: `${base}.transitions` });
      emitTrack(track, () => ch, base);
    } else {
      warnings.push({
        code: 'INTERCHANGE_UNMAPPED',
        message: track.kind === 'audio' ? 'an EDL holds at most four audio channels; this track is left out' : `a ${track.kind} track is not part of a CMX3600 EDL (one video track only); left out`,
        path: base,
      });
    }
  });
  return { text: lines.join('\r\n') + '\r\n', warnings };
}

// The transition length is optional and must be followed by a space, or it would eat a timecode's hours.
const EVENT = /^(\d{1,6})\s+(\S+)\s+(\S+)\s+(C|D|W\d{3}|K[BO]?)\s+(?:(\d{3})\s+)?(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/;

export function importEdl(input: ImportInput): ImportResult {
  checkTextSize(input.text, 'edl');
  const rate = frameRate(input.fps ?? 30);
  if (!rate) throw cutroomError('VALIDATION_FAILED', `fps ${input.fps} is not a frame rate EDL import supports`);
  const cx = new ImportContext('edl', input.assets);
  const budget = new ItemBudget('edl');
  const lines = input.text.split(/\r?\n/);
  let title: string | undefined;
  let fcmDrop: boolean | undefined;
  interface Ev { line: number; recHour: number; dropLabel: boolean; reel: string; channel: string; kind: string; dur: number; si: number; so: number; ri: number; ro: number; name?: string }
  const events: Ev[] = [];
  lines.forEach((raw, k) => {
    const line = k + 1;
    const text = raw.trim();
    if (text === '') return;
    if (/^TITLE:/i.test(text)) return void (title = text.slice(6).trim());
    if (/^FCM:/i.test(text)) return void (fcmDrop = /DROP FRAME/i.test(text) && !/NON-DROP/i.test(text));
    const clipName = /^\*\s*FROM CLIP NAME:\s*(.*)$/i.exec(text);
    if (clipName) {
      const last = events[events.length - 1];
      if (last) last.name = clipName[1]!.trim();
      return;
    }
    if (text.startsWith('*')) return;
    if (/^M2\s/.test(text)) return cx.warn(`line ${line}`, 'M2 speed changes are not imported; the clip plays at normal speed');
    const m = EVENT.exec(text);
    if (!m) return cx.warn(`line ${line}`, `line "${text.slice(0, 40)}" is not a CMX3600 event; ignored`);
    budget.take(`line ${line}`);
    // Many EDLs write drop-frame timecode with ':' everywhere and say so only in the FCM line.
    const label = (tc: string) => (fcmDrop ? tc.replace(/:(\d{2})$/, ';$1') : tc);
    const times = [m[6]!, m[7]!, m[8]!, m[9]!].map((s) => timecodeToFrames(label(s), rate));
    if (times.some((x) => x === undefined)) return cx.problem(`line ${line}`, `a timecode does not fit ${Math.round((rate.num / rate.den) * 100) / 100} fps`, line);
    const [si, so, ri, ro] = times.map((x) => x!.frames) as [number, number, number, number];
    if (so < si || ro < ri) return cx.problem(`line ${line}`, 'an out point is before its in point', line);
    if (m[4]!.startsWith('W') || m[4]!.startsWith('K')) cx.warn(`line ${line}`, `${m[4]!.startsWith('W') ? 'wipe' : 'key'} "${m[4]}" is imported as a dissolve`);
    events.push({ line, dropLabel: times.some((x) => x!.dropFrame), recHour: Number(m[8]!.slice(0, 2)), reel: m[2]!, channel: m[3]!.toUpperCase(), kind: m[4]!.startsWith('C') ? 'C' : 'D', dur: Number(m[5] ?? 0), si, so, ri, ro });
  });
  if (fcmDrop === undefined) fcmDrop = events.some((e) => e.dropLabel);
  // The record side starts at the whole hour of its first event (01:00:00:00 by convention), in its own timecode.
  const firstHour = events.length > 0 ? Math.min(...events.map((e) => e.recHour)) : 0;
  const recStart = timecodeToFrames(`${String(firstHour).padStart(2, '0')}:00:00${fcmDrop ? ';' : ':'}00`, rate)?.frames ?? 0;
  const ms = (fr: number) => framesToMs(fr, rate);
  type Clip = Record<string, unknown> & { id: string };
  const video: Clip[] = [];
  const videoTransitions: Record<string, unknown>[] = [];
  const audio = new Map<string, { clips: Clip[]; transitions: Record<string, unknown>[] }>();
  // Clips are built in frames and converted to ms once, so a dissolve's half-frames never round twice.
  const place = (e: Ev, list: Clip[], transitions: Record<string, unknown>[], prefix: string) => {
    if (e.reel === 'BL' || e.reel === 'BLACK') return;
    const reference = e.name !== undefined && cx.has(e.name) ? e.name : e.reel;
    const clip: Clip = { id: cx.id(`${prefix}${e.line}`), asset_id: cx.asset(reference, `line ${e.line}`), __start: e.ri - recStart, __in: e.si, __out: e.so, __end: e.ro };
    if (e.kind === 'D') {
      const prev = list[list.length - 1];
      // The dissolve starts where the outgoing event ended; cutroom's cut is in its middle.
      const half = Math.floor(e.dur / 2);
      if (prev && (prev.__end as number) === e.ri) {
        prev.__out = (prev.__out as number) + half;
        clip.__start = (clip.__start as number) + half;
        clip.__in = (clip.__in as number) + half;
        transitions.push({ id: cx.id('dissolve'), type: 'crossfade', from_clip_id: prev.id, to_clip_id: clip.id, duration_ms: Math.max(1, ms(e.dur)) });
      } else cx.warn(`line ${e.line}`, 'a dissolve without an outgoing event before it is imported as a cut');
    }
    list.push(clip);
  };
  const finishClip = (c: Clip): void => {
    c.start_ms = ms(c.__start as number);
    c.in_ms = ms(c.__in as number);
    c.out_ms = ms(c.__out as number);
    for (const k of ['__start', '__in', '__out', '__end']) delete c[k];
  };
  events.forEach((e, i) => {
    // A zero-length C event right before a D event names the outgoing source of the dissolve only.
    const next = events[i + 1];
    if (e.kind === 'C' && e.si === e.so && e.ri === e.ro && next?.kind === 'D') return;
    const hasVideo = e.channel.includes('V') || e.channel === 'B';
    if (hasVideo) place(e, video, videoTransitions, 'v');
    else if (/^A\d?$|^AA$/.test(e.channel)) {
      const key = e.channel === 'AA' ? 'A' : e.channel;
      if (!audio.has(key)) audio.set(key, { clips: [], transitions: [] });
      const t = audio.get(key)!;
      place(e, t.clips, t.transitions, `a${key}_`);
    } else cx.warn(`line ${e.line}`, `channel "${e.channel}" is not known; event left out`);
  });
  for (const list of [video, ...[...audio.values()].map((a) => a.clips)]) list.forEach(finishClip);
  const tracks = [
    { id: 'video', kind: 'video', clips: video, transitions: videoTransitions },
    ...[...audio.entries()].sort().map(([k, a]) => ({ id: `audio_${k}`, kind: 'audio', name: k, clips: a.clips, transitions: a.transitions })),
  ];
  return cx.finish({ ...(title ? { name: title.slice(0, 200) } : {}), tracks });
}
