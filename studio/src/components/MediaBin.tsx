/**
 * The media bin: drop files or pick them, one progress bar per file (XHR upload events on the streamed multipart
 * route), then the asset appears with its thumbnail, duration and kind. A refused file keeps its row with the
 * server's message and is never added to the bin.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { describeError } from '../api/client';
import type { Asset } from '../api/types';
import { editor } from '../state/editor';
import { formatShort } from '../state/geometry';
import { useStore } from '../state/store';
import { analyses } from './Assists';
import { AssetThumb } from './AssetThumb';
import { ASSET_MIME } from './Timeline';

interface UploadRow {
  key: string;
  name: string;
  size: number;
  progress: number;
  state: 'uploading' | 'processing' | 'done' | 'failed';
  error?: string;
  abort?: () => void;
}

declare global {
  interface Window {
    /** Every upload progress event (file name, fraction sent), for the end-to-end tests. */
    __studioUploads?: Array<{ name: string; fraction: number }>;
  }
}

/**
 * Every asset of the env (the timeline needs their durations), with the render outputs marked: those are listed
 * under the render panel's past renders, not in the bin.
 */
export async function refreshAssets(): Promise<void> {
  const api = editor.get().api;
  if (!api) return;
  const all = async (origin: 'source' | 'render') => {
    const items: Asset[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.listAssets(origin, cursor);
      items.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor && items.length < 2000);
    return items.filter((a) => a.kind !== 'font');
  };
  const [sources, renders] = await Promise.all([all('source'), all('render')]);
  editor.set({ assets: [...sources, ...renders], renderAssetIds: renders.map((a) => a.id) });
}

export function MediaBin() {
  const all = useStore(editor, (s) => s.assets);
  const renderIds = useStore(editor, (s) => s.renderAssetIds);
  const assets = useMemo(() => {
    const renders = new Set(renderIds);
    return all.filter((a) => !renders.has(a.id));
  }, [all, renderIds]);
  const api = useStore(editor, (s) => s.api);
  const running = useStore(analyses, (s) => s.running);
  const [uploads, setUploads] = useState<UploadRow[]>([]);
  const [over, setOver] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void refreshAssets().catch((err: unknown) => editor.set({ toast: { kind: 'error', text: describeError(err) } }));
  }, [api]);

  const patch = (key: string, p: Partial<UploadRow>) =>
    setUploads((rows) => rows.map((r) => (r.key === key ? { ...r, ...p } : r)));

  const start = (files: FileList | File[]) => {
    if (!api) return;
    for (const file of Array.from(files)) {
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      const handle = api.upload(file, (fraction) => {
        (window.__studioUploads ??= []).push({ name: file.name, fraction });
        patch(key, { progress: fraction, state: fraction >= 1 ? 'processing' : 'uploading' });
      });
      setUploads((rows) => [...rows, { key, name: file.name, size: file.size, progress: 0, state: 'uploading', abort: handle.abort }]);
      handle.promise.then(
        async ({ asset }) => {
          patch(key, { progress: 1, state: 'done' });
          editor.set((s) => ({ assets: [asset, ...s.assets.filter((a) => a.id !== asset.id)] }));
          setTimeout(() => setUploads((rows) => rows.filter((r) => r.key !== key)), 1500);
        },
        (err: unknown) => patch(key, { state: 'failed', error: describeError(err) }),
      );
    }
  };

  return (
    <div
      className={`bin${over ? ' over' : ''}`}
      data-testid="media-bin"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        if (e.dataTransfer.files.length === 0) return;
        e.preventDefault();
        start(e.dataTransfer.files);
      }}
    >
      <div className="bin-drop" onClick={() => input.current?.click()}>
        <strong>Drop media here</strong>
        <span>or click to choose files</span>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          accept="video/*,audio/*,image/*"
          onChange={(e) => {
            if (e.target.files) start(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      {uploads.length > 0 && (
        <ul className="uploads">
          {uploads.map((u) => (
            <li key={u.key} className={`upload ${u.state}`} data-testid="upload-row">
              <div className="upload-name">
                <span>{u.name}</span>
                {u.state === 'uploading' && (
                  <button className="link" onClick={u.abort}>
                    cancel
                  </button>
                )}
                {u.state === 'failed' && (
                  <button className="link" onClick={() => setUploads((rows) => rows.filter((r) => r.key !== u.key))}>
                    dismiss
                  </button>
                )}
              </div>
              <div className="bar">
                <div style={{ width: `${Math.round(u.progress * 100)}%` }} />
              </div>
              <div className="upload-state">
                {u.state === 'uploading' && `${Math.round(u.progress * 100)}%`}
                {u.state === 'processing' && 'probing…'}
                {u.state === 'done' && 'added'}
                {u.state === 'failed' && (
                  <span className="error" data-testid="upload-error">
                    {u.error}
                  </span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <ul className="assets" data-testid="assets">
        {assets.length === 0 && <li className="muted empty-note">No media yet.</li>}
        {assets.map((a) => (
          <li
            key={a.id}
            className={`asset${selected === a.id ? ' selected' : ''}`}
            draggable
            data-testid={`asset-${a.original_filename}`}
            data-asset-id={a.id}
            onClick={() => {
              setSelected(a.id);
              analyses.set({ assetId: a.id });
            }}
            onDragStart={(e) => {
              e.dataTransfer.setData(ASSET_MIME, a.id);
              e.dataTransfer.effectAllowed = 'copy';
            }}
          >
            <AssetThumb asset={a} />
            <div className="asset-meta">
              <span className="asset-name" title={a.original_filename}>
                {a.original_filename}
              </span>
              <span className="muted">
                <span className={`badge kind-${a.kind}`}>{a.kind}</span> {a.kind !== 'image' ? formatShort(a.media_info.duration_ms) : ''}
                {a.media_info.video ? ` · ${a.media_info.video.display_width}×${a.media_info.video.display_height}` : ''}
              </span>
              {(running[a.id] ?? []).map((r) => (
                <span key={r} className="analysis" data-testid="analysis-running">
                  <span className="spinner" /> {r}
                </span>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
