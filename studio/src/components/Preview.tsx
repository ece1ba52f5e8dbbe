/**
 * The preview player. It asks the proxy-based preview route for a window of the edit starting at the playhead
 * (after the autosave stored the document, since the route renders the stored project), plays it in a
 * <video>, and moves the playhead with it. A document change or a playhead outside the window requests a new
 * window; until it arrives the last frame stays up under a "rendering" veil.
 */
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../api/client';
import { currentSequence, editor, mediaLookup } from '../state/editor';
import { formatTime, sequenceEnd } from '../state/geometry';
import { useStore } from '../state/store';

/** A short first window starts playback quickly; once playing on, longer windows follow. */
const FIRST_WINDOW_MS = 3000;
const WINDOW_MS = 10_000;

declare global {
  interface Window {
    __studioPreview?: {
      requests: number;
      lastStartMs: number | null;
      windowStart: number;
      ready: boolean;
      requestedAt?: number;
      firstFrameMs?: number;
    };
  }
}

interface Loaded {
  url: string;
  start: number;
  duration: number;
  revision: number;
  projectVersion: number;
}

export function Preview() {
  const video = useRef<HTMLVideoElement>(null);
  const project = useStore(editor, (s) => s.project);
  const revision = useStore(editor, (s) => s.docRevision);
  const saveStatus = useStore(editor, (s) => s.save.status);
  const playing = useStore(editor, (s) => s.playing);
  const playhead = useStore(editor, (s) => s.playheadMs);
  const seq = useStore(editor, (s) => currentSequence(s));
  const assets = useStore(editor, (s) => s.assets);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const endMs = seq ? sequenceEnd(seq, mediaLookup(assets)) : 0;
  const inFlight = useRef<AbortController | null>(null);
  const requested = useRef<string>('');
  const continuing = useRef(false);

  const inWindow = loaded !== null && playhead >= loaded.start && playhead < loaded.start + loaded.duration;
  const stale = loaded !== null && loaded.projectVersion !== project?.version;
  const needs = project !== null && seq !== null && endMs > 0 && saveStatus === 'saved' && (!loaded || stale || !inWindow);

  useEffect(() => {
    if (!needs || !project || !seq) return;
    const start = Math.min(playhead, Math.max(0, endMs - 1));
    const duration = Math.max(1, Math.min(continuing.current ? WINDOW_MS : FIRST_WINDOW_MS, endMs - start));
    const key = `${project.id}:${project.version}:${seq.id}:${start}:${duration}`;
    if (requested.current === key) return;
    requested.current = key;
    // Scrubbing fires many playhead changes: wait for it to settle before asking for a render.
    const timer = setTimeout(() => {
      inFlight.current?.abort();
      const ctl = new AbortController();
      inFlight.current = ctl;
      setLoading(true);
      setError(null);
      const stats = (window.__studioPreview ??= { requests: 0, lastStartMs: null, windowStart: 0, ready: false });
      stats.requests++;
      stats.ready = false;
      const t0 = performance.now();
      editor
        .get()
        .api!.preview(project.id, { sequence_id: seq.id, start_ms: start, duration_ms: duration }, ctl.signal)
        .then(({ blob, headers }) => {
          const w = headers.get('x-preview-warnings');
          setWarnings(w ? (JSON.parse(w) as Array<{ code: string }>).map((x) => x.code) : []);
          setLoaded((old) => {
            if (old) URL.revokeObjectURL(old.url);
            return { url: URL.createObjectURL(blob), start, duration, revision, projectVersion: project.version };
          });
          stats.lastStartMs = performance.now() - t0;
          stats.windowStart = start;
          stats.requestedAt = t0;
          continuing.current = false;
        })
        .catch((err: unknown) => {
          if (ctl.signal.aborted) return;
          requested.current = '';
          setError(describeError(err));
        })
        .finally(() => {
          if (inFlight.current === ctl) setLoading(false);
        });
    }, loaded ? 250 : 0);
    return () => clearTimeout(timer);
  }, [needs, project, seq, playhead, endMs, revision, loaded]);

  // Keep the video's position on the playhead while paused (scrubbing, frame steps).
  useEffect(() => {
    const v = video.current;
    if (!v || !loaded || playing || !inWindow) return;
    const t = (playhead - loaded.start) / 1000;
    if (Math.abs(v.currentTime - t) > 0.001) v.currentTime = t;
  }, [playhead, loaded, playing, inWindow]);

  // Play/pause follows the editor; while playing, the playhead follows the video.
  useEffect(() => {
    const v = video.current;
    if (!v || !loaded) return;
    if (!playing) {
      v.pause();
      return;
    }
    if (!inWindow) return;
    void v.play().catch(() => editor.set({ playing: false }));
    let raf = 0;
    const tick = () => {
      const ms = Math.round(loaded.start + v.currentTime * 1000);
      if (editor.get().playing) editor.set({ playheadMs: ms });
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
    // inWindow is deliberately not a dependency: the playhead moving inside the window must not restart play.
  }, [playing, loaded]);

  const onEnded = () => {
    if (!loaded) return;
    const next = loaded.start + loaded.duration;
    if (next >= endMs) editor.set({ playing: false, playheadMs: endMs });
    else {
      continuing.current = true;
      editor.set({ playheadMs: next });
    }
  };

  return (
    <div className="preview" data-testid="preview">
      <div className="stage">
        {loaded ? (
          <video
            ref={video}
            src={loaded.url}
            data-testid="preview-video"
            playsInline
            preload="auto"
            onEnded={onEnded}
            onLoadedData={() => {
              const stats = window.__studioPreview;
              if (!stats) return;
              stats.ready = true;
              // Request sent -> first frame decodable: what "preview start" means in the benchmark.
              stats.firstFrameMs = performance.now() - (stats.requestedAt ?? performance.now());
            }}
          />
        ) : (
          <div className="poster">{endMs > 0 ? '' : 'Drop media on the timeline to see it here'}</div>
        )}
        {(loading || (needs && !error)) && endMs > 0 && (
          <div className="veil" data-testid="preview-loading">
            <span className="spinner" /> Rendering preview…
          </div>
        )}
        {error && (
          <div className="veil error" data-testid="preview-error">
            {error}
          </div>
        )}
      </div>
      <div className="transport">
        <button onClick={() => editor.set({ playheadMs: 0, playing: false })} title="Go to start">
          |◀
        </button>
        <button
          className="play"
          onClick={() => editor.set({ playing: !editor.get().playing })}
          title="Play / pause (Space)"
          data-testid="play"
        >
          {playing ? '❚❚' : '▶'}
        </button>
        <span className="timecode">
          {formatTime(playhead)} / {formatTime(endMs)}
        </span>
        <span className="grow" />
        {warnings.length > 0 && (
          <span className="muted" title={warnings.join(', ')}>
            {warnings.includes('PROXY_MISSING') ? 'from originals (no proxy yet)' : warnings.join(', ')}
          </span>
        )}
      </div>
    </div>
  );
}
