/**
 * Undo/redo over whole documents. Documents are immutable and ops share unchanged branches, so keeping N past
 * documents costs only what each edit changed. Bounded: beyond `limit` entries the oldest is dropped.
 * Pure: every function returns a new History.
 */
import type { Timeline } from '../schema.js';

export interface HistoryEntry {
  doc: Timeline;
  /** What the edit was, for "Undo Split" menus. */
  label?: string;
}

export interface History {
  past: readonly HistoryEntry[];
  present: HistoryEntry;
  future: readonly HistoryEntry[];
  limit: number;
}

export const DEFAULT_HISTORY_LIMIT = 200;

export function createHistory(doc: Timeline, limit = DEFAULT_HISTORY_LIMIT): History {
  return { past: [], present: { doc }, future: [], limit: Math.max(1, Math.floor(limit)) };
}

/** Record the result of an edit. Clears the redo branch; a document identical (===) to the present is ignored. */
export function pushHistory(h: History, doc: Timeline, label?: string): History {
  if (doc === h.present.doc) return h;
  const past = [...h.past, h.present];
  if (past.length > h.limit) past.splice(0, past.length - h.limit);
  return { ...h, past, present: label === undefined ? { doc } : { doc, label }, future: [] };
}

export function canUndo(h: History): boolean {
  return h.past.length > 0;
}

export function canRedo(h: History): boolean {
  return h.future.length > 0;
}

/** Step back; a no-op (same History) when there is nothing to undo. */
export function undo(h: History): History {
  if (h.past.length === 0) return h;
  const present = h.past[h.past.length - 1]!;
  return { ...h, past: h.past.slice(0, -1), present, future: [h.present, ...h.future] };
}

export function redo(h: History): History {
  if (h.future.length === 0) return h;
  const [present, ...future] = h.future;
  return { ...h, past: [...h.past, h.present], present: present!, future };
}

/** Replace the present without an undo step (e.g. the server's copy after a save, same content, new version). */
export function replacePresent(h: History, doc: Timeline): History {
  return { ...h, present: { ...h.present, doc } };
}
