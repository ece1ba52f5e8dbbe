/**
 * The Studio's commands expressed as the pure edit operations of src/timeline/edit (docs/STUDIO-EDIT-OPS.md).
 * Each wrapper only picks arguments and chains op calls; the document is never changed here by hand.
 */
import type { MediaClip, TextLayer, Timeline } from '../../../src/timeline/schema';
import * as T from '../../../src/timeline/edit/index';
import type { Clipboard, TransitionCatalog } from '../../../src/timeline/edit/index';

export type { Clipboard, MediaClip, TextLayer, Timeline };
export type Media = T.MediaLookup;
export { snap, snapPoints } from '../../../src/timeline/edit/index';
export { canRedo, canUndo, createHistory, pushHistory, redo as redoHistory, undo as undoHistory, type History } from '../../../src/timeline/edit/index';

function itemSpan(doc: Timeline, id: string, media: Media): { start: number; end: number } | null {
  const b = T.selectionBounds(doc, [id], media);
  return b ? { start: b.start_ms, end: b.end_ms } : null;
}

function transitionIds(doc: Timeline): Set<string> {
  const out = new Set<string>();
  for (const t of doc.tracks) if ('transitions' in t) for (const tr of t.transitions) out.add(tr.id);
  return out;
}

export const ops = {
  addClip: (doc: Timeline, a: { track_id: string; asset_id: string; start_ms: number; media: Media }): Timeline =>
    T.addClip(doc, { track_id: a.track_id, clip: { asset_id: a.asset_id, start_ms: a.start_ms }, media: a.media }).doc,
  moveItems: (doc: Timeline, a: { ids: string[]; delta_ms: number; to_track_id?: string; media: Media }): Timeline =>
    T.moveItems(doc, {
      item_ids: a.ids,
      delta_ms: a.delta_ms,
      ...(a.to_track_id ? { to_track_id: a.to_track_id } : {}),
      media: a.media,
    }).doc,
  trim: (doc: Timeline, a: { id: string; edge: 'start' | 'end'; to_ms: number; media: Media }): Timeline =>
    T.trimEdge(doc, { item_id: a.id, edge: a.edge, to_ms: a.to_ms, media: a.media }).doc,
  /** Split the selected items under the playhead, or every item under it when nothing is selected. */
  split: (doc: Timeline, a: { at_ms: number; ids: string[]; media: Media }): Timeline => {
    const candidates =
      a.ids.length > 0
        ? a.ids
        : doc.tracks.flatMap((t) =>
            t.kind === 'caption' || (t as { locked?: boolean }).locked ? [] : t.kind === 'text' ? t.items.map((i) => i.id) : t.clips.map((c) => c.id),
          );
    const under = candidates.filter((id) => {
      const span = itemSpan(doc, id, a.media);
      return span !== null && span.start < a.at_ms && a.at_ms < span.end;
    });
    if (under.length === 0) throw new Error('nothing to split under the playhead');
    return under.reduce((d, id) => T.splitAt(d, { item_id: id, at_ms: a.at_ms, media: a.media }).doc, doc);
  },
  /** Ripple delete on each item's own track; selected transitions are simply removed. */
  rippleDelete: (doc: Timeline, a: { ids: string[]; media: Media }): Timeline => {
    const transitions = transitionIds(doc);
    const trIds = a.ids.filter((id) => transitions.has(id));
    const items = a.ids.filter((id) => !transitions.has(id));
    let out = trIds.reduce((d, id) => T.removeTransition(d, { transition_id: id }).doc, doc);
    if (items.length > 0) out = T.rippleDelete(out, { item_ids: items, scope: 'track', media: a.media }).doc;
    return out;
  },
  addTransition: (
    doc: Timeline,
    a: { from_clip_id: string; to_clip_id: string; type: string; duration_ms: number; catalog: TransitionCatalog; media: Media },
  ): Timeline => T.addTransition(doc, { ...a }).doc,
  addText: (doc: Timeline, a: { track_id: string; start_ms: number; duration_ms: number; text: string }): Timeline =>
    T.addTextLayer(doc, { track_id: a.track_id, layer: { start_ms: a.start_ms, duration_ms: a.duration_ms, text: a.text } }).doc,
  setProps: (doc: Timeline, a: { id: string; patch: Record<string, unknown>; media: Media }): Timeline =>
    T.setItemProperties(doc, { item_id: a.id, props: a.patch, media: a.media }).doc,
  setKeyframe: (
    doc: Timeline,
    a: { id: string; param: string; t_ms: number; value: number; easing?: 'linear' | 'ease_in' | 'ease_out' | 'ease_in_out' | 'hold'; media?: Media },
  ): Timeline =>
    T.setKeyframe(doc, {
      clip_id: a.id,
      param: a.param,
      t_ms: a.t_ms,
      value: a.value,
      ...(a.easing ? { easing: a.easing } : {}),
      ...(a.media ? { media: a.media } : {}),
    }).doc,
  removeKeyframe: (doc: Timeline, a: { id: string; param: string; t_ms: number }): Timeline =>
    T.removeKeyframe(doc, { clip_id: a.id, param: a.param, t_ms: a.t_ms }).doc,
  setTrack: (doc: Timeline, a: { track_id: string; muted?: boolean; hidden?: boolean; locked?: boolean }): Timeline =>
    T.setTrackFlags(doc, a).doc,
  copy: (doc: Timeline, a: { ids: string[]; media: Media }): Clipboard => T.copyItems(doc, { item_ids: a.ids, media: a.media }),
  paste: (doc: Timeline, a: { clipboard: Clipboard; at_ms: number; media: Media }): Timeline =>
    T.pasteItems(doc, { clipboard: a.clipboard, at_ms: a.at_ms, media: a.media }).doc,
  addCaptions: (
    doc: Timeline,
    a: { transcript_artifact_id: string; start_ms: number; style: 'clean' | 'bold_pop' | 'karaoke' },
  ): Timeline => T.addCaptionTrack(doc, { caption: { transcript_artifact_id: a.transcript_artifact_id, start_ms: a.start_ms, style: a.style } }).doc,
};
