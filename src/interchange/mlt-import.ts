/**
 * MLT XML (a Shotcut or Kdenlive project, or cutroom's own export) -> cutroom timeline. The main tractor's
 * tracks become cutroom tracks (the black `background` playlist is skipped), playlist entries and blanks become
 * clips and gaps, and a transition tractor inside a playlist (Shotcut's dissolve) becomes a transition centred on
 * the cut between its neighbours. Times are frames of the <profile> or clock strings (`00:00:04.967`).
 */
import { cutroomError } from '../errors.js';
import { frameRate, framesToMs, type FrameRate } from './frame-time.js';
import { ImportContext } from './import-context.js';
import { ItemBudget } from './limits.js';
import { childrenNamed, parseXmlText, type XmlElement } from './parse-xml.js';
import type { ImportInput, ImportResult } from './types.js';

type Json = Record<string, unknown>;

function props(el: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of childrenNamed(el, 'property')) if (p.attrs.name !== undefined) out[p.attrs.name] = p.text;
  return out;
}

export function importMlt(input: ImportInput): ImportResult {
  const root = parseXmlText({ text: input.text, format: 'mlt' });
  if (root.name !== 'mlt')
    throw cutroomError('INTERCHANGE_INVALID', `an MLT file has an <mlt> root, not <${root.name}>`, {
      format: 'mlt',
      issues: [{ path: root.name, message: 'root must be <mlt>' }],
    });
  const cx = new ImportContext('mlt', input.assets);
  const budget = new ItemBudget('mlt');
  const profile = childrenNamed(root, 'profile')[0];
  const num = Number(profile?.attrs.frame_rate_num ?? 25);
  const den = Number(profile?.attrs.frame_rate_den ?? 1);
  const rate: FrameRate | undefined = num > 0 && den > 0 ? (frameRate(num / den) ?? { num, den }) : undefined;
  if (!rate || !Number.isFinite(num / den)) throw cutroomError('INTERCHANGE_INVALID', 'the <profile> frame rate is not valid', { format: 'mlt', issues: [{ path: 'mlt.profile', message: 'frame_rate_num/den must be positive' }] });
  const byId = new Map<string, XmlElement>();
  for (const el of root.children) if (el.attrs.id !== undefined) byId.set(el.attrs.id, el);

  const time = (value: string | undefined, path: string): number => {
    if (value === undefined || value === '') return 0;
    if (/^-?\d+$/.test(value)) return Number(value);
    const clock = /^(\d+):(\d{2}):(\d{2})([.,]\d+)?$/.exec(value);
    if (clock) return Math.round((Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]) + Number((clock[4] ?? '0').replace(',', '.'))) * (rate.num / rate.den));
    const tc = /^(\d+):(\d{2}):(\d{2}):(\d{2})$/.exec(value);
    if (tc) return (Number(tc[1]) * 3600 + Number(tc[2]) * 60 + Number(tc[3])) * Math.round(rate.num / rate.den) + Number(tc[4]);
    cx.problem(path, `"${value}" is not a frame number or a time`);
    return 0;
  };
  const ms = (frames: number) => framesToMs(frames, rate);

  // The main tractor: the one <mlt producer="…"> names, else the last top-level tractor.
  const tractors = childrenNamed(root, 'tractor');
  const main = (root.attrs.producer !== undefined ? byId.get(root.attrs.producer) : undefined) ?? tractors[tractors.length - 1];
  if (!main || main.name !== 'tractor')
    throw cutroomError('INTERCHANGE_INVALID', 'the MLT file has no main <tractor>', { format: 'mlt', issues: [{ path: 'mlt', message: 'no tractor' }] });
  const mainPath = `mlt.tractor#${main.attrs.id ?? ''}`;
  const multitrack = childrenNamed(main, 'multitrack')[0] ?? main;
  const tracks: Json[] = [];
  let videoSeen = false;
  childrenNamed(multitrack, 'track').forEach((trackEl, t) => {
    const tpath = `${mainPath}.track[${t}]`;
    const playlist = byId.get(trackEl.attrs.producer ?? '');
    if (!playlist) return cx.problem(`${tpath}.producer`, `no element with id "${trackEl.attrs.producer}"`);
    if (playlist.name !== 'playlist') return cx.warn(tpath, `a <${playlist.name}> as a main track is not imported (only playlists are)`);
    const p = props(playlist);
    const isBackground = playlist.attrs.id === 'background' || (t === 0 && playlist.children.filter((c) => c.name === 'entry').every((e) => props(byId.get(e.attrs.producer ?? '') ?? e).mlt_service === 'color'));
    if (isBackground) return;
    const audio = p['shotcut:audio'] === '1' || p['kdenlive:audio_track'] === '1';
    const kind = audio ? 'audio' : videoSeen ? 'overlay' : 'video';
    if (!audio) videoSeen = true;
    const hide = trackEl.attrs.hide;
    const id = cx.id(audio ? 'audio' : 'video');
    const clips: Json[] = [];
    const transitions: Json[] = [];
    let cursor = 0;
    const pendingHead = 0;
    let pending: { d: number; path: string; service: string } | undefined;
    playlist.children.forEach((item, k) => {
      const ipath = `mlt.playlist#${playlist.attrs.id}.${item.name}[${k}]`;
      if (item.name === 'blank') {
        budget.take(ipath);
        cursor += time(item.attrs.length, `${ipath}.length`);
        return;
      }
      if (item.name !== 'entry') return;
      budget.take(ipath);
      const producer = byId.get(item.attrs.producer ?? '');
      if (!producer) return cx.problem(`${ipath}.producer`, `no producer "${item.attrs.producer}"`);
      const inF = time(item.attrs.in ?? producer.attrs.in, `${ipath}.in`);
      const outF = time(item.attrs.out ?? producer.attrs.out, `${ipath}.out`);
      const len = Math.max(0, outF - inF + 1);
      if (producer.name === 'tractor') {
        const services = childrenNamed(producer, 'transition').map((tr) => props(tr).mlt_service ?? tr.attrs.mlt_service ?? '');
        pending = { d: len, path: ipath, service: services.join('+') };
        if (clips.length > 0) {
          const prev = clips[clips.length - 1]!;
          const tail = Math.floor(len / 2);
          prev.out_ms = (prev.out_ms as number) + ms(tail) - 0;
          prev.__tailFrames = tail;
        }
        cursor += len;
        return;
      }
      const pp = props(producer);
      const service = pp.mlt_service ?? '';
      if (service === 'color' || service === 'colour') {
        cx.warn(ipath, 'a colour clip is imported as a gap (cutroom has one background colour)');
        cursor += len;
        return;
      }
      let resource = pp.resource ?? '';
      let speed = 1;
      if (service === 'timewarp') {
        speed = Number(pp.warp_speed ?? resource.split(':')[0]);
        resource = pp.warp_resource ?? resource.slice(resource.indexOf(':') + 1);
      }
      if (service === 'qtext' || service === 'pango' || service === 'kdenlivetitle') {
        cx.warn(ipath, `a ${service} title is not imported as media; recreate it as a text layer`);
        cursor += len;
        return;
      }
      const assetId = cx.asset(resource, `${ipath}.resource`);
      let head = 0;
      if (pending) head = pending.d - Math.floor(pending.d / 2);
      const startF = cursor - head;
      const srcIn = inF - head;
      const clip: Json = { id: cx.id(`clip_${audio ? 'a' : 'v'}${t}`), asset_id: assetId, start_ms: ms(startF) };
      const srcInMs = speed !== 1 ? Math.round(ms(srcIn) * speed) : ms(srcIn);
      clip.in_ms = Math.max(0, srcInMs);
      clip.out_ms = clip.in_ms as number + Math.round((ms(startF + head + len) - ms(startF)) * speed);
      if (speed !== 1) clip.speed = speed;
      if (service === 'qimage' || service === 'pixbuf') {
        delete clip.out_ms;
        clip.duration_ms = ms(startF + head + len) - ms(startF);
      }
      for (const el of [...childrenNamed(producer, 'filter'), ...childrenNamed(item, 'filter')]) {
        const fp = props(el);
        const fs = fp.mlt_service ?? '';
        if (fs === 'volume') {
          const level = fp.level !== undefined ? Number(fp.level) : undefined;
          const gain = fp.gain !== undefined ? Number(fp.gain) : undefined;
          const v = level !== undefined ? (level <= -100 ? 0 : 10 ** (level / 20)) : gain ?? 1;
          if (v === 0) clip.muted = true;
          else clip.volume = Math.min(4, Math.round(v * 1e4) / 1e4);
        } else cx.warn(`${ipath}.filter`, `MLT filter "${fs}" has no cutroom equivalent`);
      }
      if (pending) {
        const prev = clips[clips.length - 1];
        if (prev) {
          if (!/luma|mix|dissolve/.test(pending.service)) cx.warn(pending.path, `transition "${pending.service}" is imported as a crossfade`);
          transitions.push({ id: cx.id('tr'), type: 'crossfade', from_clip_id: prev.id, to_clip_id: clip.id, duration_ms: ms(pending.d) });
        } else cx.warn(pending.path, 'a transition before the first clip is not kept');
        pending = undefined;
      }
      for (const c of clips) delete c.__tailFrames;
      clips.push(clip);
      cursor += len;
      void pendingHead;
    });
    if (pending) cx.warn(pending.path, 'a transition at the end of a playlist is not kept');
    for (const c of clips) delete c.__tailFrames;
    const name = p['shotcut:name'] ?? p['kdenlive:track_name'];
    tracks.push({
      id,
      ...(name ? { name: name.slice(0, 200) } : {}),
      kind,
      ...(kind !== 'audio' && (hide === 'video' || hide === 'both') ? { hidden: true } : {}),
      ...(hide === 'audio' || hide === 'both' ? { muted: true } : {}),
      clips,
      transitions,
    });
  });
  for (const tr of childrenNamed(main, 'transition')) {
    const s = props(tr).mlt_service ?? '';
    if (!['mix', 'qtblend', 'frei0r.cairoblend', 'composite', 'affine', 'movit.overlay'].includes(s)) cx.warn(`${mainPath}.transition#${tr.attrs.id ?? ''}`, `track transition "${s}" has no cutroom equivalent`);
  }
  for (const f of childrenNamed(main, 'filter')) cx.warn(`${mainPath}.filter`, `timeline filter "${props(f).mlt_service ?? ''}" has no cutroom equivalent`);
  const width = Number(profile?.attrs.width);
  const height = Number(profile?.attrs.height);
  return cx.finish(
    { ...(root.attrs.title ? { name: root.attrs.title.slice(0, 200) } : {}), tracks },
    { ...(width > 0 ? { width } : {}), ...(height > 0 ? { height } : {}), fps: Math.round((rate.num / rate.den) * 1000) / 1000 },
  );
}
