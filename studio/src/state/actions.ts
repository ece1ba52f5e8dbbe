/**
 * Every user command exists once, as an action: name, label, key binding, when it applies and what it does.
 * The toolbar, the keyboard and the tests all run actions from this registry.
 */
import { currentSequence, edit, editor, mediaLookup, redo, undo } from './editor';
import { itemsOf } from './geometry';
import { ops } from './ops';

export interface Action {
  name: string;
  label: string;
  /** KeyboardEvent.key values (lower-cased), with modifiers as `mod+` (Ctrl or Cmd) and `shift+`. */
  keys: string[];
  perform(): void;
}

const FRAME_MS = 1000 / 30;

function media() {
  return mediaLookup(editor.get().assets);
}

/** J/K/L shuttle: L plays forward (again = faster), K stops, J steps back (browsers cannot play backwards). */
let shuttleTimer: ReturnType<typeof setInterval> | null = null;
function stopShuttle(): void {
  if (shuttleTimer) clearInterval(shuttleTimer);
  shuttleTimer = null;
}

function step(frames: number): void {
  stopShuttle();
  const s = editor.get();
  editor.set({ playing: false, playheadMs: Math.max(0, Math.round(s.playheadMs + frames * FRAME_MS)) });
}

export const ACTIONS: Action[] = [
  { name: 'play_pause', label: 'Play / pause', keys: [' '], perform: () => (stopShuttle(), editor.set({ playing: !editor.get().playing })) },
  {
    name: 'shuttle_forward',
    label: 'Play forward',
    keys: ['l'],
    perform: () => {
      stopShuttle();
      editor.set({ playing: true });
    },
  },
  { name: 'shuttle_stop', label: 'Stop', keys: ['k'], perform: () => (stopShuttle(), editor.set({ playing: false })) },
  {
    name: 'shuttle_back',
    label: 'Play backwards',
    keys: ['j'],
    perform: () => {
      stopShuttle();
      editor.set({ playing: false });
      shuttleTimer = setInterval(() => {
        const s = editor.get();
        if (s.playheadMs <= 0) return stopShuttle();
        editor.set({ playheadMs: Math.max(0, s.playheadMs - 100) });
      }, 100);
    },
  },
  { name: 'frame_back', label: 'Previous frame', keys: ['arrowleft'], perform: () => step(-1) },
  { name: 'frame_forward', label: 'Next frame', keys: ['arrowright'], perform: () => step(1) },
  { name: 'undo', label: 'Undo', keys: ['mod+z'], perform: undo },
  { name: 'redo', label: 'Redo', keys: ['mod+shift+z', 'mod+y'], perform: redo },
  {
    name: 'split',
    label: 'Split at playhead',
    keys: ['s'],
    perform: () => {
      const s = editor.get();
      edit('split', (doc) => ops.split(doc, { at_ms: s.playheadMs, ids: s.selection, media: media() }));
    },
  },
  {
    name: 'ripple_delete',
    label: 'Ripple delete',
    keys: ['delete', 'backspace'],
    perform: () => {
      const s = editor.get();
      if (s.selection.length === 0) return;
      if (edit('ripple delete', (doc) => ops.rippleDelete(doc, { ids: s.selection, media: media() })))
        editor.set({ selection: [] });
    },
  },
  {
    name: 'select_all',
    label: 'Select all',
    keys: ['mod+a'],
    perform: () => {
      const seq = currentSequence();
      if (!seq) return;
      editor.set({ selection: seq.tracks.flatMap((t) => itemsOf(t, media(), {}).map((i) => i.id)) });
    },
  },
  {
    name: 'copy',
    label: 'Copy',
    keys: ['mod+c'],
    perform: () => {
      const s = editor.get();
      const seq = currentSequence(s);
      if (!seq || s.selection.length === 0) return;
      try {
        editor.set({ clipboard: ops.copy(seq, { ids: s.selection, media: media() }) });
      } catch (err) {
        editor.set({ toast: { kind: 'error', text: err instanceof Error ? err.message : String(err) } });
      }
    },
  },
  {
    name: 'paste',
    label: 'Paste at playhead',
    keys: ['mod+v'],
    perform: () => {
      const s = editor.get();
      const clipboard = s.clipboard;
      if (!clipboard) return;
      edit('paste', (doc) => ops.paste(doc, { clipboard, at_ms: s.playheadMs, media: media() }));
    },
  },
  { name: 'deselect', label: 'Deselect', keys: ['escape'], perform: () => editor.set({ selection: [] }) },
];

export function runAction(name: string): void {
  ACTIONS.find((a) => a.name === name)?.perform();
}

export function keyOf(e: KeyboardEvent): string {
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('mod');
  if (e.shiftKey && (e.ctrlKey || e.metaKey || e.key.length > 1)) parts.push('shift');
  parts.push(e.key.toLowerCase());
  return parts.join('+');
}

/** Shift+Z without Ctrl is redo too (the Ctrl/Cmd+Z / Shift+Z pair). */
export function installKeyboard(): () => void {
  const onKey = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
    let key = keyOf(e);
    if (key === 'z' && e.shiftKey) key = 'mod+shift+z';
    const action = ACTIONS.find((a) => a.keys.includes(key));
    if (!action) return;
    e.preventDefault();
    action.perform();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
