/** Transitions from GET /video/presets (drag one onto a cut between two butt-joined clips) and titles. */
import { useState } from 'react';
import { currentSequence, edit, editor } from '../state/editor';
import { ops } from '../state/ops';
import { useStore } from '../state/store';
import { TRANSITION_MIME } from './Timeline';

export function Transitions() {
  const presets = useStore(editor, (s) => s.presets);
  const list = presets?.transitions ?? [];
  return (
    <div className="catalog" data-testid="transitions">
      <p className="muted small">Drag a transition onto a cut (the marker between two touching clips).</p>
      <div className="tiles">
        {list.map((t) => (
          <div
            key={t.id}
            className="tile"
            draggable
            data-testid={`transition-${t.id}`}
            title={(t as { description?: string }).description ?? t.id}
            onDragStart={(e) => {
              e.dataTransfer.setData(TRANSITION_MIME, t.id);
              e.dataTransfer.effectAllowed = 'copy';
              editor.set({ transitionDrag: true });
            }}
            onDragEnd={() => editor.set({ transitionDrag: false })}
          >
            <span className="tile-art" />
            <span>{t.id.replace(/_/g, ' ')}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

export function Titles() {
  const [text, setText] = useState('Title');
  const seq = useStore(editor, (s) => currentSequence(s));
  const textTrack = seq?.tracks.find((t) => t.kind === 'text');
  const add = () => {
    if (!textTrack) return;
    const at = editor.get().playheadMs;
    edit('add title', (doc) => ops.addText(doc, { track_id: textTrack.id, start_ms: at, duration_ms: 3000, text }));
  };
  return (
    <div className="catalog" data-testid="titles">
      <label htmlFor="title-text" className="small muted">
        Text
      </label>
      <input id="title-text" value={text} onChange={(e) => setText(e.target.value)} data-testid="title-text" />
      <button className="primary" disabled={!textTrack || !text.trim()} onClick={add} data-testid="add-title">
        + Add title at playhead
      </button>
      {!textTrack && <p className="muted small">This sequence has no text track.</p>}
    </div>
  );
}
