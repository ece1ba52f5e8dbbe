/**
 * The timeline: a ruler, one row per track (bottom track drawn last, like every NLE), clips as absolutely
 * placed boxes. Only the items inside the visible time window are mounted, and each clip is a memoised
 * component that reads just its own drag offset, so a drag across 500 clips re-renders only the dragged ones.
 * Edits happen on pointer-up, through the edit ops.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { edit, editor, mediaLookup, currentSequence, type DragState } from '../state/editor';
import { cutsOf, displayOrder, formatShort, formatTime, itemsOf, sequenceEnd, type ItemBox, type Track } from '../state/geometry';
import { canRedo, canUndo, ops, snap, snapPoints, type Media } from '../state/ops';
import { useStore } from '../state/store';
import type { Easing } from '../../../src/timeline/schema';
import { Filmstrip, Waveform } from './ClipVisuals';

const HEADER_W = 168;
const SNAP_PX = 8;
const OVERSCAN_PX = 400;

export function rowHeight(kind: Track['kind']): number {
  return kind === 'video' ? 64 : kind === 'overlay' || kind === 'audio' ? 52 : 34;
}

export const ASSET_MIME = 'application/x-cutroom-asset';
export const TRANSITION_MIME = 'application/x-cutroom-transition';

export function Timeline() {
  const seq = useStore(editor, (s) => currentSequence(s));
  const assets = useStore(editor, (s) => s.assets);
  const pxPerSec = useStore(editor, (s) => s.pxPerSec);
  const transitionDrag = useStore(editor, (s) => s.transitionDrag);
  const media = useMemo(() => mediaLookup(assets), [assets]);
  const names = useMemo(() => Object.fromEntries(assets.map((a) => [a.id, a.original_filename])), [assets]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ left: 0, width: 1200 });

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const update = () => setView({ left: el.scrollLeft, width: el.clientWidth });
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    el.addEventListener('scroll', update, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', update);
    };
  }, []);

  // Ctrl/Cmd + wheel zooms around the pointer, like every editor.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const s = editor.get();
      const rect = el.getBoundingClientRect();
      const x = e.clientX - rect.left + el.scrollLeft;
      const t = x / s.pxPerSec;
      const next = Math.min(800, Math.max(2, s.pxPerSec * (e.deltaY < 0 ? 1.2 : 1 / 1.2)));
      editor.set({ pxPerSec: next });
      requestAnimationFrame(() => (el.scrollLeft = t * next - (e.clientX - rect.left)));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  if (!seq) return <div className="timeline empty">No sequence</div>;
  const endMs = sequenceEnd(seq, media);
  const contentW = Math.max(view.width, ((endMs + 30_000) / 1000) * pxPerSec);
  const rows = displayOrder(seq);
  const visStart = ((view.left - OVERSCAN_PX) / pxPerSec) * 1000;
  const visEnd = ((view.left + view.width + OVERSCAN_PX) / pxPerSec) * 1000;

  return (
    <div className={`timeline${transitionDrag ? ' transition-drag' : ''}`} data-testid="timeline">
      <TimelineToolbar />
      <div className="tl-body">
        <div className="tl-headers" style={{ width: HEADER_W }}>
          <div className="tl-ruler-spacer" />
          {rows.map(({ track }) => (
            <TrackHeader key={track.id} track={track} />
          ))}
        </div>
        <div className="tl-scroll" ref={scrollRef}>
          <div className="tl-content" style={{ width: contentW }}>
            <Ruler pxPerSec={pxPerSec} left={view.left} width={view.width} />
            {rows.map(({ track, index }) => (
              <TrackRow
                key={track.id}
                track={track}
                trackIndex={index}
                media={media}
                names={names}
                pxPerSec={pxPerSec}
                visStart={visStart}
                visEnd={visEnd}
              />
            ))}
            <Playhead pxPerSec={pxPerSec} />
          </div>
        </div>
      </div>
    </div>
  );
}

function TimelineToolbar() {
  const pxPerSec = useStore(editor, (s) => s.pxPerSec);
  const snapping = useStore(editor, (s) => s.snapping);
  const undoable = useStore(editor, (s) => s.history !== null && canUndo(s.history));
  const redoable = useStore(editor, (s) => s.history !== null && canRedo(s.history));
  const playhead = useStore(editor, (s) => s.playheadMs);
  const count = useStore(editor, (s) => s.selection.length);
  return (
    <div className="tl-toolbar">
      <button title="Undo (Ctrl+Z)" disabled={!undoable} onClick={() => runAction('undo')} data-testid="undo">
        ↶
      </button>
      <button title="Redo (Shift+Ctrl+Z)" disabled={!redoable} onClick={() => runAction('redo')} data-testid="redo">
        ↷
      </button>
      <span className="sep" />
      <button title="Split at playhead (S)" onClick={() => runAction('split')}>
        ✂ Split
      </button>
      <button title="Ripple delete (Delete)" disabled={count === 0} onClick={() => runAction('ripple_delete')}>
        ⌫ Ripple delete
      </button>
      <span className="sep" />
      <label className="toggle">
        <input type="checkbox" checked={snapping} onChange={(e) => editor.set({ snapping: e.target.checked })} />
        Snap
      </label>
      <span className="timecode" data-testid="timecode">
        {formatTime(playhead)}
      </span>
      <span className="grow" />
      <button title="Zoom to fit the whole sequence" onClick={fitZoom} data-testid="zoom-fit">
        Fit
      </button>
      <span className="muted">Zoom</span>
      <input
        type="range"
        min={Math.log(2)}
        max={Math.log(800)}
        step={0.01}
        value={Math.log(pxPerSec)}
        onChange={(e) => editor.set({ pxPerSec: Math.exp(Number(e.target.value)) })}
        aria-label="Zoom"
      />
    </div>
  );
}

function fitZoom(): void {
  const s = editor.get();
  const seq = currentSequence(s);
  const el = document.querySelector<HTMLElement>('.tl-scroll');
  if (!seq || !el) return;
  const end = sequenceEnd(seq, mediaLookup(s.assets));
  if (end <= 0) return;
  editor.set({ pxPerSec: Math.min(800, Math.max(2, ((el.clientWidth - 40) / end) * 1000)) });
  el.scrollLeft = 0;
}

// Late import to keep the action registry (which imports this file's constants) acyclic at module init.
let runActionImpl: ((name: string) => void) | null = null;
export function setActionRunner(fn: (name: string) => void): void {
  runActionImpl = fn;
}
function runAction(name: string): void {
  runActionImpl?.(name);
}

const TrackHeader = memo(function TrackHeader({ track }: { track: Track }) {
  const locked = (track as { locked?: boolean }).locked === true;
  const muted = 'muted' in track ? track.muted : undefined;
  const hidden = 'hidden' in track ? track.hidden : undefined;
  const set = (patch: { muted?: boolean; hidden?: boolean; locked?: boolean }, label: string) =>
    edit(label, (doc) => ops.setTrack(doc, { track_id: track.id, ...patch }));
  return (
    <div className={`tl-header kind-${track.kind}`} style={{ height: rowHeight(track.kind) }} data-testid={`track-${track.id}`}>
      <span className="tl-kind">{track.kind[0]!.toUpperCase()}</span>
      <span className="tl-name" title={track.id}>
        {track.name ?? track.id}
      </span>
      {muted !== undefined && (
        <button className={muted ? 'on' : ''} title="Mute" onClick={() => set({ muted: !muted }, 'mute track')}>
          M
        </button>
      )}
      {hidden !== undefined && (
        <button className={hidden ? 'on' : ''} title="Hide" onClick={() => set({ hidden: !hidden }, 'hide track')}>
          H
        </button>
      )}
      <button className={locked ? 'on' : ''} title="Lock" onClick={() => set({ locked: !locked }, 'lock track')}>
        L
      </button>
    </div>
  );
});

function Ruler({ pxPerSec, left, width }: { pxPerSec: number; left: number; width: number }) {
  // A tick every 1, 2, 5, 10… seconds so labels stay ≥ 70 px apart.
  const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600];
  const step = steps.find((s) => s * pxPerSec >= 70) ?? 600;
  const first = Math.floor(left / pxPerSec / step) * step;
  const ticks: number[] = [];
  for (let t = first; t * pxPerSec < left + width + 100; t += step) ticks.push(t);
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    const rect = el.getBoundingClientRect();
    const move = (x: number) => editor.set({ playheadMs: Math.max(0, Math.round(((x - rect.left) / pxPerSec) * 1000)), playing: false });
    move(e.clientX);
    const onMove = (ev: PointerEvent) => move(ev.clientX);
    const onUp = () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
  };
  return (
    <div className="tl-ruler" onPointerDown={onPointerDown} data-testid="ruler">
      {ticks.map((t) => (
        <div key={t} className="tick" style={{ left: t * pxPerSec }}>
          <span>{formatShort(t * 1000, step < 1)}</span>
        </div>
      ))}
    </div>
  );
}

function Playhead({ pxPerSec }: { pxPerSec: number }) {
  const ms = useStore(editor, (s) => s.playheadMs);
  return <div className="tl-playhead" style={{ transform: `translateX(${(ms / 1000) * pxPerSec}px)` }} />;
}

interface RowProps {
  track: Track;
  trackIndex: number;
  media: Media;
  names: Record<string, string>;
  pxPerSec: number;
  visStart: number;
  visEnd: number;
}

const TrackRow = memo(function TrackRow({ track, trackIndex, media, names, pxPerSec, visStart, visEnd }: RowProps) {
  const items = useMemo(() => itemsOf(track, media, names), [track, media, names]);
  const cuts = useMemo(() => cutsOf(track, media), [track, media]);
  const transitions = 'transitions' in track ? track.transitions : [];
  const visible = items.filter((it) => it.end_ms >= visStart && it.start_ms <= visEnd);
  const [dropHint, setDropHint] = useState<number | null>(null);
  const locked = (track as { locked?: boolean }).locked === true;

  const timeAt = (e: React.DragEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return Math.max(0, Math.round(((e.clientX - rect.left) / pxPerSec) * 1000));
  };
  const onDragOver = (e: React.DragEvent<HTMLDivElement>) => {
    if (!e.dataTransfer.types.includes(ASSET_MIME) || track.kind === 'text' || track.kind === 'caption') return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDropHint(timeAt(e));
  };
  const onDrop = (e: React.DragEvent<HTMLDivElement>) => {
    const assetId = e.dataTransfer.getData(ASSET_MIME);
    setDropHint(null);
    if (!assetId) return;
    e.preventDefault();
    const s = editor.get();
    const seq = currentSequence(s)!;
    let at = timeAt(e);
    if (s.snapping) at = snap(at, snapPoints(seq, { playhead_ms: s.playheadMs, media, markers: true }), (SNAP_PX / pxPerSec) * 1000).time_ms;
    edit('add clip', (doc) => ops.addClip(doc, { track_id: track.id, asset_id: assetId, start_ms: at, media }));
  };

  return (
    <div
      className={`tl-row kind-${track.kind}${locked ? ' locked' : ''}`}
      style={{ height: rowHeight(track.kind) }}
      data-testid={`row-${track.id}`}
      data-track-index={trackIndex}
      onDragOver={onDragOver}
      onDragLeave={() => setDropHint(null)}
      onDrop={onDrop}
    >
      {visible.map((it) => (
        <ClipView key={it.id} item={it} trackId={track.id} trackKind={track.kind} pxPerSec={pxPerSec} media={media} locked={locked} />
      ))}
      {cuts.filter((c) => c.at_ms >= visStart && c.at_ms <= visEnd).map((c) => {
        const tr = transitions.find((t) => t.from_clip_id === c.from && t.to_clip_id === c.to);
        return (
          <CutZone key={`${c.from}>${c.to}`} cut={c} trackId={track.id} pxPerSec={pxPerSec} media={media} transition={tr} />
        );
      })}
      {dropHint !== null && <div className="drop-hint" style={{ left: (dropHint / 1000) * pxPerSec }} />}
    </div>
  );
});

function CutZone({
  cut,
  trackId,
  pxPerSec,
  media,
  transition,
}: {
  cut: { from: string; to: string; at_ms: number };
  trackId: string;
  pxPerSec: number;
  media: Media;
  transition: { id: string; type: string; duration_ms: number } | undefined;
}) {
  const [over, setOver] = useState(false);
  const x = (cut.at_ms / 1000) * pxPerSec;
  const w = transition ? Math.max(14, (transition.duration_ms / 1000) * pxPerSec) : 18;
  const selected = useStore(editor, (s) => (transition ? s.selection.includes(transition.id) : false));
  return (
    <div
      className={`cut-zone${over ? ' over' : ''}${transition ? ' has-transition' : ''}${selected ? ' selected' : ''}`}
      style={{ left: x - w / 2, width: w }}
      data-testid={`cut-${trackId}-${cut.from}-${cut.to}`}
      title={transition ? `${transition.type} · ${transition.duration_ms} ms` : 'Drop a transition here'}
      onPointerDown={(e) => {
        e.stopPropagation();
        if (transition) editor.set({ selection: [transition.id] });
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(TRANSITION_MIME)) return;
        e.preventDefault();
        e.stopPropagation();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        const type = e.dataTransfer.getData(TRANSITION_MIME);
        setOver(false);
        if (!type) return;
        e.preventDefault();
        e.stopPropagation();
        const catalog = editor.get().presets?.transitions ?? [];
        edit(`add ${type}`, (doc) =>
          ops.addTransition(doc, { from_clip_id: cut.from, to_clip_id: cut.to, type, duration_ms: 1000, catalog, media }),
        );
      }}
    >
      {transition && <span className="tr-label">{transition.type}</span>}
    </div>
  );
}

interface ClipProps {
  item: ItemBox;
  trackId: string;
  trackKind: Track['kind'];
  pxPerSec: number;
  media: Media;
  locked: boolean;
}

const selectDragFor = (id: string) => (s: { drag: DragState | null }) =>
  s.drag && s.drag.ids.includes(id) ? s.drag : null;

export const ClipView = memo(function ClipView({ item, trackId, trackKind, pxPerSec, media, locked }: ClipProps) {
  const selected = useStore(editor, useCallback((s) => s.selection.includes(item.id), [item.id]));
  const drag = useStore(editor, useMemo(() => selectDragFor(item.id), [item.id]));
  const pxPerMs = pxPerSec / 1000;
  useLayoutEffect(() => {
    // Commit time of a drag frame, measured from the pointermove that caused it (read by bench/studio.ts).
    const perf = window.__studioPerf;
    if (drag && perf?.moveAt !== undefined) perf.lastDragMs = performance.now() - perf.moveAt;
  }, [drag]);
  let start = item.start_ms;
  let end = item.end_ms;
  let dy = 0;
  if (drag) {
    if (drag.mode === 'move') {
      start += drag.delta_ms;
      end += drag.delta_ms;
      dy = drag.track_delta;
    } else if (drag.mode === 'trim_start') start += drag.delta_ms;
    else end += drag.delta_ms;
  }
  const width = Math.max(2, (end - start) * pxPerMs);
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    const target = e.target as HTMLElement;
    const mode: DragState['mode'] = target.dataset.edge === 'start' ? 'trim_start' : target.dataset.edge === 'end' ? 'trim_end' : 'move';
    beginDrag({ e, item, mode, pxPerSec, media, locked, trackKind, trackId });
  };
  const automation = item.clip?.automation ?? [];
  return (
    <div
      className={`clip kind-${item.kind} track-${trackKind}${selected ? ' selected' : ''}${drag ? ' dragging' : ''}`}
      style={{
        transform: `translate(${start * pxPerMs}px, ${dy * 100}%)`,
        width,
      }}
      data-testid={`clip-${item.id}`}
      data-clip-id={item.id}
      data-track-id={trackId}
      data-asset-id={item.clip?.asset_id}
      onPointerDown={onPointerDown}
      title={`${item.label} · ${formatTime(item.start_ms)}–${formatTime(item.end_ms)}`}
    >
      {item.clip && trackKind !== 'audio' && width > 40 && <Filmstrip clip={item.clip} pxPerSec={pxPerSec} width={width} height={rowHeight(trackKind) - 8} />}
      {item.clip && (trackKind === 'audio' || trackKind === 'video') && width > 20 && (
        <Waveform clip={item.clip} pxPerSec={pxPerSec} width={width} compact={trackKind === 'video'} />
      )}
      <span className="clip-label">{item.label}</span>
      {automation.map((a) =>
        a.keyframes.map((k) => (
          <span
            key={`${a.param}@${k.t_ms}`}
            className="keyframe"
            style={{ left: k.t_ms * pxPerMs - 4 }}
            title={`${a.param} = ${k.value} at ${k.t_ms} ms (${k.easing})`}
            data-testid={`kf-${item.id}-${a.param}-${k.t_ms}`}
            onPointerDown={(e) => {
              e.stopPropagation();
              beginKeyframeDrag({ e, clipId: item.id, param: a.param, t_ms: k.t_ms, value: k.value, easing: k.easing, pxPerSec, clipStart: item.start_ms });
            }}
          />
        )),
      )}
      <div className="edge start" data-edge="start" />
      <div className="edge end" data-edge="end" />
    </div>
  );
});

interface BeginDrag {
  e: React.PointerEvent<HTMLDivElement>;
  item: ItemBox;
  mode: DragState['mode'];
  pxPerSec: number;
  media: Media;
  locked: boolean;
  trackKind: Track['kind'];
  trackId: string;
}

/** Performance probe for the benchmark: the last drag update's cost (store update + React commit). */
declare global {
  interface Window {
    __studioPerf?: { lastDragMs: number; dragUpdates: number; moveAt?: number };
  }
}

function beginDrag({ e, item, mode, pxPerSec, media, locked, trackId }: BeginDrag): void {
  const s = editor.get();
  const additive = e.shiftKey || e.ctrlKey || e.metaKey;
  let selection = s.selection;
  if (additive) selection = selection.includes(item.id) ? selection.filter((x) => x !== item.id) : [...selection, item.id];
  else if (!selection.includes(item.id)) selection = [item.id];
  editor.set({ selection, playing: false });
  if (locked || additive) return;
  const ids = mode === 'move' ? selection : [item.id];
  const seq = currentSequence(s)!;
  const points = snapPoints(seq, { playhead_ms: s.playheadMs, exclude_ids: ids, media, markers: true });
  const startX = e.clientX;
  const startY = e.clientY;
  const row = (e.currentTarget.parentElement as HTMLElement | null)?.getBoundingClientRect().height ?? 52;
  const radius = (SNAP_PX / pxPerSec) * 1000;
  let moved = false;
  const onMove = (ev: PointerEvent) => {
    const t0 = performance.now();
    const perf = (window.__studioPerf ??= { lastDragMs: 0, dragUpdates: 0 });
    perf.moveAt = t0;
    const dx = ev.clientX - startX;
    if (!moved && Math.abs(dx) < 3 && Math.abs(ev.clientY - startY) < 3) return;
    moved = true;
    let delta = Math.round((dx / pxPerSec) * 1000);
    let snappedAt: number | null = null;
    if (editor.get().snapping && !ev.altKey) {
      const edges = mode === 'move' ? [item.start_ms, item.end_ms] : mode === 'trim_start' ? [item.start_ms] : [item.end_ms];
      let best: { d: number; at: number } | null = null;
      for (const edge of edges) {
        const hit = snap(edge + delta, points, radius).target_ms;
        if (hit !== undefined && (best === null || Math.abs(hit - edge - delta) < Math.abs(best.d))) best = { d: hit - edge - delta, at: hit };
      }
      if (best) {
        delta += best.d;
        snappedAt = best.at;
      }
    }
    if (mode === 'move') delta = Math.max(delta, -item.start_ms);
    // Rows are drawn top track first, so dragging down means a lower track index.
    const trackDelta = mode === 'move' ? Math.round((ev.clientY - startY) / row) : 0;
    editor.set({ drag: { mode, ids, delta_ms: delta, track_delta: trackDelta, snapped_at: snappedAt } });
    perf.dragUpdates++;
  };
  const onUp = () => {
    window.removeEventListener('pointermove', onMove);
    window.removeEventListener('pointerup', onUp);
    const drag = editor.get().drag;
    editor.set({ drag: null });
    if (!moved || !drag || (drag.delta_ms === 0 && drag.track_delta === 0)) return;
    if (drag.mode === 'move') {
      const rows = displayOrder(seq);
      const from = rows.findIndex((r) => r.track.id === trackId);
      const to = rows[Math.min(rows.length - 1, Math.max(0, from + drag.track_delta))];
      const toTrack = to && to.track.id !== trackId ? to.track.id : undefined;
      edit(ids.length > 1 ? `move ${ids.length} items` : 'move', (doc) =>
        ops.moveItems(doc, { ids, delta_ms: drag.delta_ms, ...(toTrack ? { to_track_id: toTrack } : {}), media }),
      );
    } else
      edit('trim', (doc) =>
        ops.trim(doc, {
          id: item.id,
          edge: drag.mode === 'trim_start' ? 'start' : 'end',
          to_ms: (drag.mode === 'trim_start' ? item.start_ms : item.end_ms) + drag.delta_ms,
          media,
        }),
      );
  };
  window.addEventListener('pointermove', onMove);
  window.addEventListener('pointerup', onUp);
}

function beginKeyframeDrag(input: {
  e: React.PointerEvent<HTMLSpanElement>;
  clipId: string;
  param: string;
  t_ms: number;
  value: number;
  easing: Easing;
  pxPerSec: number;
  clipStart: number;
}): void {
  const { e, clipId, param, t_ms, value, easing, pxPerSec, clipStart } = input;
  editor.set({ selection: [clipId], playheadMs: clipStart + t_ms, playing: false });
  const startX = e.clientX;
  const el = e.currentTarget;
  let next = t_ms;
  const onMove = (ev: PointerEvent) => {
    next = Math.max(0, t_ms + Math.round(((ev.clientX - startX) / pxPerSec) * 1000));
    el.style.transform = `translateX(${((next - t_ms) / 1000) * pxPerSec}px)`;
  };
  const onUp = () => {
    window.removeEventListener('pointermove', onMove);
    window.removeEventListener('pointerup', onUp);
    el.style.transform = '';
    if (next === t_ms) return;
    edit('move keyframe', (doc) =>
      ops.setKeyframe(ops.removeKeyframe(doc, { id: clipId, param, t_ms }), { id: clipId, param, t_ms: next, value, easing }),
    );
  };
  window.addEventListener('pointermove', onMove);
  window.addEventListener('pointerup', onUp);
}
