/**
 * Assists: each button calls its existing route for the chosen asset, shows it running (here and in the bin),
 * and adds the result to the project: captions become a caption track item, stabilise switches the clip's
 * stabilise on, blur faces swaps the asset's clips onto the blurred copy (a new asset), reframe/highlights/multicam
 * results arrive as new sequences of the project.
 */
import { useState } from 'react';
import { describeError } from '../api/client';
import { addSequence, currentSequence, edit, editor, mediaLookup } from '../state/editor';
import { ops, type Timeline } from '../state/ops';
import { refreshAssets } from './MediaBin';
import { createStore, useStore } from '../state/store';

export const analyses = createStore<{ assetId: string | null; running: Record<string, string[]> }>({
  assetId: null,
  running: {},
});

async function track<T>(assetIds: string[], label: string, run: () => Promise<T>): Promise<T> {
  const add = (delta: 1 | -1) =>
    analyses.set((s) => {
      const running = { ...s.running };
      for (const id of assetIds) {
        const list = running[id] ?? [];
        running[id] = delta === 1 ? [...list, label] : list.filter((x, i) => x !== label || i !== list.indexOf(label));
      }
      return { running };
    });
  add(1);
  try {
    return await run();
  } finally {
    add(-1);
  }
}

function clipsOf(assetId: string): Array<{ id: string; start_ms: number; in_ms: number }> {
  const seq = currentSequence();
  if (!seq) return [];
  return seq.tracks.flatMap((t) => (t.kind === 'text' || t.kind === 'caption' ? [] : t.clips.filter((c) => c.asset_id === assetId)));
}

export function Assists() {
  const assetId = useStore(analyses, (s) => s.assetId);
  const running = useStore(analyses, (s) => s.running);
  const assets = useStore(editor, (s) => s.assets);
  const [style, setStyle] = useState<'clean' | 'bold_pop' | 'karaoke'>('clean');
  const [last, setLast] = useState<{ ok: boolean; text: string } | null>(null);
  const asset = assets.find((a) => a.id === assetId);
  const busy = (assetId && running[assetId]?.length) || 0;

  const run = async (label: string, fn: () => Promise<string>) => {
    if (!assetId) return;
    setLast(null);
    try {
      setLast({ ok: true, text: await track([assetId], label, fn) });
    } catch (err) {
      setLast({ ok: false, text: `${label}: ${describeError(err)}` });
    }
  };
  const api = () => editor.get().api!;

  const captions = () =>
    run('captions', async () => {
      const r = await api().post<{ artifact: { id: string } }>('/video/captions/generate', { asset_id: assetId });
      const clip = clipsOf(assetId!)[0];
      const start = clip ? Math.max(0, clip.start_ms - clip.in_ms) : 0;
      edit('add captions', (doc) => ops.addCaptions(doc, { transcript_artifact_id: r.artifact.id, start_ms: start, style }));
      return `Captions added (${style}).`;
    });
  const blurFaces = () =>
    run('blur faces', async () => {
      const r = await api().post<{ artifact: { id: string; meta: { skipped?: boolean } }; asset_id?: string }>(
        '/video/anonymise/faces',
        { asset_id: assetId, as_asset: true },
      );
      if (r.artifact.meta.skipped || !r.asset_id || r.asset_id === assetId) return 'No faces found: the source needs no blurring.';
      // The blurred copy has the source's duration and frames, so each clip keeps its trim and place.
      await refreshAssets();
      const blurred = r.asset_id;
      const clips = clipsOf(assetId!);
      const media = mediaLookup(editor.get().assets);
      if (clips.length > 0)
        edit('blur faces', (doc) => clips.reduce((d, c) => ops.setProps(d, { id: c.id, patch: { asset_id: blurred }, media }), doc));
      return `Faces blurred: a new asset in the bin${clips.length ? `, now used by ${clips.length} clip(s)` : ''}.`;
    });
  const reframe = (aspect: '9:16' | '1:1' | '4:5') =>
    run(`reframe ${aspect}`, async () => {
      const r = await api().post<{ timeline?: Timeline }>('/video/focus/automation', { asset_id: assetId, aspect });
      if (r.timeline) addSequence({ ...r.timeline, id: `reframe_${aspect.replace(':', 'x')}_${Date.now().toString(36)}`, name: `Reframe ${aspect}` });
      return `Reframed to ${aspect}${r.timeline ? ': new sequence added' : ''}.`;
    });
  const highlights = () =>
    run('highlights', async () => {
      const dur = asset?.media_info.duration_ms ?? 10_000;
      const r = await api().post<{ timeline: Timeline; ranges: unknown[] }>('/video/assist/highlights', {
        asset_id: assetId,
        target_duration_ms: Math.max(500, Math.min(30_000, Math.round(dur / 3))),
      });
      addSequence({ ...r.timeline, id: `highlights_${Date.now().toString(36)}`, name: 'Highlights' });
      return `${r.ranges.length} highlights: new sequence added.`;
    });
  const multicam = () => {
    const renders = new Set(editor.get().renderAssetIds);
    const cams = assets
      .filter((a) => a.kind === 'video' && !renders.has(a.id))
      .slice(0, 4)
      .map((a) => a.id);
    if (cams.length < 2) return setLast({ ok: false, text: 'Multicam needs at least two video assets in the bin.' });
    void track(cams, 'multicam', async () => {
      const r = await api().post<{ timeline: Timeline }>('/video/multicam/auto-cut', { asset_ids: cams, save_project: false });
      addSequence({ ...r.timeline, id: `multicam_${Date.now().toString(36)}`, name: 'Multicam cut' });
    }).then(
      () => setLast({ ok: true, text: 'Multicam cut added as a new sequence.' }),
      (err: unknown) => setLast({ ok: false, text: `multicam: ${describeError(err)}` }),
    );
  };
  const stabilise = () =>
    run('stabilise', async () => {
      await api().post('/video/stabilise/analyze', { asset_id: assetId });
      const clips = clipsOf(assetId!);
      const media = mediaLookup(editor.get().assets);
      if (clips.length > 0)
        edit('stabilise', (doc) => clips.reduce((d, c) => ops.setProps(d, { id: c.id, patch: { stabilise: true }, media }), doc));
      return `Stabilise analysed${clips.length ? `; on for ${clips.length} clip(s)` : ''}.`;
    });

  return (
    <div className="assists" data-testid="assists">
      <p className="muted">{asset ? `For ${asset.original_filename}` : 'Select an asset in the bin.'}</p>
      <div className="assist-row">
        <button disabled={!asset || !!busy} onClick={() => void captions()}>
          Auto-captions
        </button>
        <select value={style} onChange={(e) => setStyle(e.target.value as typeof style)} aria-label="Caption style">
          <option value="clean">Clean</option>
          <option value="bold_pop">Bold pop</option>
          <option value="karaoke">Karaoke</option>
        </select>
      </div>
      <button disabled={!asset || !!busy} onClick={() => void blurFaces()}>
        Blur faces
      </button>
      <div className="assist-row">
        <span className="muted">Reframe</span>
        {(['9:16', '1:1', '4:5'] as const).map((a) => (
          <button key={a} disabled={!asset || !!busy} onClick={() => void reframe(a)}>
            {a}
          </button>
        ))}
      </div>
      <button disabled={!asset || !!busy} onClick={() => void highlights()}>
        Highlights
      </button>
      <button disabled={!!busy} onClick={multicam}>
        Multicam sync + auto-cut
      </button>
      <button disabled={!asset || !!busy} onClick={() => void stabilise()}>
        Stabilise
      </button>
      {busy ? (
        <p className="analysis">
          <span className="spinner" /> {running[assetId!]!.join(', ')}…
        </p>
      ) : null}
      {last && (
        <p className={last.ok ? 'ok' : 'error'} data-testid="assist-result">
          {last.text}
        </p>
      )}
    </div>
  );
}
