/**
 * The editor: the project document (the state), selection, playhead, zoom and the undo history. Every change
 * to the timeline goes through `edit(label, op)`, where `op` is one of the pure edit operations of
 * src/timeline (via ./ops); the editor only records the before/after documents, so undo/redo is a swap.
 */
import type { Api } from '../api/client';
import { ApiError, describeError } from '../api/client';
import type { Asset, Presets } from '../api/types';
import { type Clipboard, createHistory, pushHistory, redoHistory, undoHistory, type History, type Timeline } from './ops';
import { createStore } from './store';

export type SaveStatus = 'idle' | 'dirty' | 'saving' | 'saved' | 'conflict' | 'error';

export interface ProjectDoc {
  id?: string;
  name: string;
  sequences: Timeline[];
}

export interface DragState {
  mode: 'move' | 'trim_start' | 'trim_end';
  ids: string[];
  delta_ms: number;
  /** Rows moved up/down (move only). */
  track_delta: number;
  snapped_at: number | null;
}

export interface EditorState {
  api: Api | null;
  project: { id: string; name: string; version: number } | null;
  doc: ProjectDoc | null;
  sequenceIndex: number;
  /** Undo/redo of the current sequence (src/timeline/edit history: whole immutable documents). */
  history: History | null;
  selection: string[];
  playheadMs: number;
  playing: boolean;
  pxPerSec: number;
  snapping: boolean;
  drag: DragState | null;
  /** A transition tile is being dragged: the cut markers accept drops only then (else clips get the clicks). */
  transitionDrag: boolean;
  clipboard: Clipboard | null;
  assets: Asset[];
  /** The assets that are render outputs (shown with the past renders, not in the media bin). */
  renderAssetIds: string[];
  presets: Presets | null;
  save: { status: SaveStatus; message?: string; theirsVersion?: number };
  toast: { kind: 'error' | 'info'; text: string } | null;
  /** Bumped when the document changes, so the preview knows to re-request. */
  docRevision: number;
}

export const editor = createStore<EditorState>({
  api: null,
  project: null,
  doc: null,
  sequenceIndex: 0,
  history: null,
  selection: [],
  playheadMs: 0,
  playing: false,
  pxPerSec: 60,
  snapping: true,
  drag: null,
  transitionDrag: false,
  clipboard: null,
  assets: [],
  renderAssetIds: [],
  presets: null,
  save: { status: 'idle' },
  toast: null,
  docRevision: 0,
});

export function currentSequence(s: EditorState = editor.get()): Timeline | null {
  return s.doc?.sequences[s.sequenceIndex] ?? null;
}

function withSequence(s: EditorState, seq: Timeline): Partial<EditorState> {
  const doc = s.doc!;
  const sequences = doc.sequences.slice();
  sequences[s.sequenceIndex] = seq;
  return { doc: { ...doc, sequences }, docRevision: s.docRevision + 1 };
}

/**
 * Apply one edit op to the current sequence as one undoable step. A refused op (its coded error) becomes a
 * toast and leaves the document untouched.
 */
export function edit(label: string, op: (doc: Timeline) => Timeline): boolean {
  const s = editor.get();
  const seq = currentSequence(s);
  if (!seq) return false;
  let next: Timeline;
  try {
    next = op(seq);
  } catch (err) {
    editor.set({ toast: { kind: 'error', text: describeError(err) } });
    return false;
  }
  if (next === seq) return false;
  const history = pushHistory(s.history ?? createHistory(seq), next, label);
  editor.set({ ...withSequence(s, next), history, toast: null });
  scheduleSave();
  return true;
}

function travel(step: (h: History) => History): void {
  const s = editor.get();
  if (!s.history) return;
  const history = step(s.history);
  if (history === s.history || history.present.doc === currentSequence(s)) return;
  editor.set({ ...withSequence(s, history.present.doc), history });
  scheduleSave();
}

export const undo = (): void => travel(undoHistory);
export const redo = (): void => travel(redoHistory);

/** Add a whole sequence (an assist's result timeline) to the project and switch to it. */
export function addSequence(seq: Timeline): void {
  const s = editor.get();
  if (!s.doc) return;
  editor.set({
    doc: { ...s.doc, sequences: [...s.doc.sequences, seq] },
    sequenceIndex: s.doc.sequences.length,
    history: createHistory(seq),
    selection: [],
    docRevision: s.docRevision + 1,
  });
  scheduleSave();
}

export function selectSequence(index: number): void {
  const seq = editor.get().doc?.sequences[index];
  editor.set({ sequenceIndex: index, history: seq ? createHistory(seq) : null, selection: [], playheadMs: 0 });
}

// ---- autosave with optimistic versions ----

const SAVE_DELAY_MS = 500;
let saveTimer: ReturnType<typeof setTimeout> | null = null;
let saving: Promise<void> | null = null;
let saveAgain = false;

export function scheduleSave(): void {
  const s = editor.get();
  if (s.save.status === 'conflict') return;
  editor.set({ save: { status: 'dirty' } });
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    saveTimer = null;
    void saveNow();
  }, SAVE_DELAY_MS);
}

export async function saveNow(opts: { overwrite?: boolean } = {}): Promise<void> {
  if (saving) {
    saveAgain = true;
    return saving;
  }
  const run = async () => {
    const s = editor.get();
    if (!s.api || !s.project || !s.doc) return;
    let version = s.project.version;
    editor.set({ save: { status: 'saving' } });
    try {
      if (opts.overwrite) version = (await s.api.getProject(s.project.id)).version;
      const record = await s.api.replaceProject(s.project.id, s.doc, version);
      const now = editor.get();
      editor.set({
        project: { id: record.id, name: record.name, version: record.version },
        save: { status: now.doc === s.doc ? 'saved' : 'dirty' },
      });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') {
        const theirs = Number(err.details.current_version);
        editor.set({
          save: {
            status: 'conflict',
            message: `Another tab or client saved version ${theirs} of this project; your version ${version} was not saved.`,
            theirsVersion: theirs,
          },
        });
        return;
      }
      editor.set({ save: { status: 'error', message: describeError(err) } });
    }
  };
  saving = run().finally(() => {
    saving = null;
    if (saveAgain && editor.get().save.status === 'dirty') {
      saveAgain = false;
      void saveNow();
    }
    saveAgain = false;
  });
  return saving;
}

/** Resolve a conflict by loading the stored version (drops local changes) … */
export async function loadTheirs(): Promise<void> {
  const s = editor.get();
  if (!s.api || !s.project) return;
  const record = await s.api.getProject(s.project.id);
  openProject(record);
}

/** … or by saving ours on top of it. */
export async function keepMine(): Promise<void> {
  editor.set({ save: { status: 'dirty' } });
  await saveNow({ overwrite: true });
}

export function openProject(record: { id: string; name: string; version: number; document: unknown }): void {
  const doc = record.document as ProjectDoc;
  const s = editor.get();
  const sequenceIndex = Math.min(s.sequenceIndex, Math.max(0, doc.sequences.length - 1));
  const seq = doc.sequences[sequenceIndex];
  editor.set({
    project: { id: record.id, name: record.name, version: record.version },
    doc,
    sequenceIndex,
    history: seq ? createHistory(seq) : null,
    selection: [],
    save: { status: 'saved' },
    docRevision: s.docRevision + 1,
  });
}

/** The tracks a new project starts with: a video track, an overlay, a text track and an audio track. */
export function starterProject(name: string): ProjectDoc {
  return {
    name,
    sequences: [
      {
        id: 'main',
        background: '#000000',
        fit: 'fit',
        tracks: [
          { id: 'V1', name: 'Video 1', kind: 'video', hidden: false, muted: false, volume: 1, clips: [], transitions: [] },
          { id: 'V2', name: 'Overlay', kind: 'overlay', hidden: false, muted: false, volume: 1, clips: [], transitions: [] },
          { id: 'T1', name: 'Titles', kind: 'text', hidden: false, items: [] },
          { id: 'A1', name: 'Audio 1', kind: 'audio', muted: false, volume: 1, automation: [], clips: [], transitions: [] },
        ],
      } as Timeline,
    ],
  };
}

export function mediaLookup(assets: Asset[]): Record<string, { duration_ms: number; kind: Asset['kind'] }> {
  const out: Record<string, { duration_ms: number; kind: Asset['kind'] }> = {};
  for (const a of assets) out[a.id] = { duration_ms: a.media_info.duration_ms, kind: a.kind };
  return out;
}
