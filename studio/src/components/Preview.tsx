/**
 * The preview player. It posts the sequence the editor holds to POST /video/preview (so an edit is previewed
 * at once, not after its autosave) for a window starting at the playhead, streams the fragmented MP4 into a
 * MediaSource (the first 0.5 s fragment plays while the server encodes the rest), and moves the playhead with
 * the <video>. A document change or a playhead outside the window requests a new window. Until its first frame
 * is decodable, and while the playhead is outside the window, the filmstrip tile of the top visible clip at the
 * playhead stands in (frame-accurate to the sprite's tile spacing), so scrubbing always shows a picture.
 */
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../api/client';
import { streamToMediaSource } from '../api/media-source-stream';
import { loadFilmstrip, releaseVisualsHold, type Filmstrip } from '../api/visuals';
import { currentSequence, editor, mediaLookup } from '../state/editor';
import { clipEnd, formatTime, sequenceEnd } from '../state/geometry';
import type { Media, MediaClip, Timeline } from '../state/ops';
import { useStore } from '../state/store';
import { useRenderProfile } from './RenderPanel';
import { sourceAt, tileFor } from './ClipVisuals';
import { previewCanvasFor } from '../../../src/plan/preview-output';

/** A short first window renders quickly; once playing on, longer windows follow. */
const FIRST_WINDOW_MS = 1000;
const WINDOW_MS = 10_000;
/** The preview route's canvas for a render profile (16:9 when the profile is not known yet). */
export function previewSize(profile: { width?: number; height?: number } | undefined): { width: number; height: number } {
  const { width = 1920, height = 1080 } = profile ?? {};
  return previewCanvasFor(width, height);
}

declare global {
  interface Window {
    __studioPreview?: {
      requests: number;
      lastStartMs: number | null;
      windowStart: number;
      ready: boolean;
      requestedAt?: number;
      firstFrameMs?: number;
      /** Request sent -> response headers (the server has planned and started ffmpeg). */
      headersMs?: number;
      /** Epoch ms (performance.timeOrigin + now) the last request was sent: server marks share this clock. */
      requestedEpoch?: number;
      /** Client moments of the last request, ms after it was sent (first occurrence of each). */
      marks?: Record<string, number>;
    };
  }
}

interface Loaded {
  url: string;
  start: number;
  duration: number;
  revision: number;
  sequenceId: string;
  profile: string;
}

/** The clip whose picture the playhead shows: topmost visible picture track, full-frame clips before insets. */
export function topClipAt(seq: Timeline, media: Media, t: number): MediaClip | null {
  let inset: MediaClip | null = null;
  for (let i = seq.tracks.length - 1; i >= 0; i--) {
    const track = seq.tracks[i]!;
    if ((track.kind !== 'video' && track.kind !== 'overlay') || track.hidden) continue;
    for (const clip of track.clips) {
      if (t < clip.start_ms || t >= clipEnd(clip, media)) continue;
      if (media[clip.asset_id]?.kind === 'audio') continue;
      if ((clip.transform?.scale ?? 1) >= 1) return clip;
      inset ??= clip;
    }
  }
  return inset;
}

/** The filmstrip tile for the playhead, drawn on a canvas in the preview area. */
function ScrubFrame({
  seq,
  media,
  playhead,
  size,
}: {
  seq: Timeline;
  media: Media;
  playhead: number;
  size: { width: number; height: number };
}) {
  const api = useStore(editor, (s) => s.api);
  const canvas = useRef<HTMLCanvasElement>(null);
  const clip = topClipAt(seq, media, playhead);
  const [sprite, setSprite] = useState<{ strip: Filmstrip; img: HTMLImageElement } | null>(null);
  const assetId = clip?.asset_id ?? null;
  useEffect(() => {
    if (!api || !assetId) return;
    let live = true;
    void loadFilmstrip(api, assetId).then((strip) => {
      if (!live || !strip) return;
      const img = new Image();
      img.src = strip.url;
      void img.decode().then(
        () => live && setSprite({ strip, img }),
        () => undefined,
      );
    });
    return () => {
      live = false;
    };
  }, [api, assetId]);
  const strip = sprite && clip && sprite.strip.asset_id === clip.asset_id ? sprite.strip : null;
  const sourceMs = clip && strip ? sourceAt(clip, playhead - clip.start_ms, strip.duration_ms) : null;
  const tile = strip && sourceMs !== null ? tileFor(strip, sourceMs) : undefined;
  useEffect(() => {
    const c = canvas.current;
    if (!c || !sprite || !tile) return;
    // The preview's frame (black, the profile's aspect) with the tile fitted inside, as the window will show it.
    const g = c.getContext('2d')!;
    g.fillStyle = '#000';
    g.fillRect(0, 0, c.width, c.height);
    const k = Math.min(c.width / tile.width, c.height / tile.height);
    const w = tile.width * k;
    const h = tile.height * k;
    g.drawImage(sprite.img, tile.x, tile.y, tile.width, tile.height, (c.width - w) / 2, (c.height - h) / 2, w, h);
  }, [sprite, tile, size.width, size.height]);
  if (!clip || !tile) return null;
  return (
    <canvas
      ref={canvas}
      width={size.width}
      height={size.height}
      className="scrub-frame"
      data-testid="preview-scrub"
      data-asset={clip.asset_id}
      data-tile={tile.index}
      data-source-ms={Math.round(sourceMs!)}
    />
  );
}

/** A <video> event of the current request, ms after it was sent (the benchmark's client breakdown). */
function videoMark(name: string): void {
  const stats = window.__studioPreview;
  if (stats?.marks && stats.requestedAt !== undefined) stats.marks[name] ??= performance.now() - stats.requestedAt;
}

export function Preview() {
  const video = useRef<HTMLVideoElement>(null);
  const project = useStore(editor, (s) => s.project);
  const revision = useStore(editor, (s) => s.docRevision);
  const playing = useStore(editor, (s) => s.playing);
  const playhead = useStore(editor, (s) => s.playheadMs);
  const seq = useStore(editor, (s) => currentSequence(s));
  const assets = useStore(editor, (s) => s.assets);
  const profile = useRenderProfile();
  const presets = useStore(editor, (s) => s.presets);
  const size = previewSize(presets?.profiles.find((p) => p.id === profile));
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const media = mediaLookup(assets);
  const endMs = seq ? sequenceEnd(seq, media) : 0;
  const inFlight = useRef<AbortController | null>(null);
  const requested = useRef<string>('');
  const continuing = useRef(false);

  const inWindow = loaded !== null && playhead >= loaded.start && playhead < loaded.start + loaded.duration;
  const stale =
    loaded !== null && (loaded.revision !== revision || loaded.sequenceId !== seq?.id || loaded.profile !== profile);
  const needs = project !== null && seq !== null && endMs > 0 && (!loaded || stale || !inWindow);

  useEffect(() => {
    if (!needs || !project || !seq) return;
    const start = Math.min(playhead, Math.max(0, endMs - 1));
    const duration = Math.max(1, Math.min(continuing.current ? WINDOW_MS : FIRST_WINDOW_MS, endMs - start));
    const key = `${revision}:${seq.id}:${start}:${duration}:${profile}`;
    if (requested.current === key) return;
    requested.current = key;
    // Scrubbing and slider edits fire many changes: let them settle briefly before asking for a render.
    let fired = false;
    const timer = setTimeout(
      () => {
        fired = true;
        inFlight.current?.abort();
        const ctl = new AbortController();
        inFlight.current = ctl;
        setError(null);
        const stats = (window.__studioPreview ??= { requests: 0, lastStartMs: null, windowStart: 0, ready: false });
        stats.requests++;
        stats.ready = false;
        const t0 = performance.now();
        stats.requestedAt = t0;
        stats.requestedEpoch = performance.timeOrigin + t0;
        const marks: Record<string, number> = {};
        stats.marks = marks;
        const mark = (name: string) => {
          if (!ctl.signal.aborted) marks[name] ??= performance.now() - t0;
        };
        delete stats.firstFrameMs;
        editor
          .get()
          .api!.previewStream({ timeline: seq, start_ms: start, duration_ms: duration, profile }, ctl.signal)
          .then((res) => {
            if (ctl.signal.aborted) return;
            stats.headersMs = performance.now() - t0;
            mark('headers');
            const w = res.headers.get('x-preview-warnings');
            setWarnings(w ? (JSON.parse(w) as Array<{ code: string }>).map((x) => x.code) : []);
            const { url, done } = streamToMediaSource(res.body!, ctl.signal, mark);
            setReady(false);
            setLoaded((old) => {
              if (old) URL.revokeObjectURL(old.url);
              return { url, start, duration, revision, sequenceId: seq.id, profile };
            });
            stats.lastStartMs = performance.now() - t0;
            stats.windowStart = start;
            continuing.current = false;
            return done;
          })
          .catch((err: unknown) => {
            if (ctl.signal.aborted) return;
            requested.current = '';
            releaseVisualsHold();
            setError(describeError(err));
          })
          .finally(() => {
            if (inFlight.current === ctl) inFlight.current = null;
          });
      },
      !loaded || continuing.current ? 0 : stale ? 100 : 250,
    );
    return () => {
      clearTimeout(timer);
      // Cancelled before it asked (another dependency changed, e.g. the save bumped the project version): the
      // next run may ask for the same window again.
      if (!fired && requested.current === key) requested.current = '';
    };
  }, [needs, project, seq, playhead, endMs, revision, loaded, stale, profile]);

  // An empty edit has no preview to wait for: the bin's thumbnails need not wait either.
  useEffect(() => {
    if (seq && endMs === 0) releaseVisualsHold();
  }, [seq, endMs]);

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
            onLoadedMetadata={() => videoMark('loadedmetadata')}
            onCanPlay={() => videoMark('canplay')}
            onPlaying={() => videoMark('playing')}
            onLoadedData={() => {
              videoMark('loadeddata');
              setReady(true);
              releaseVisualsHold();
              const stats = window.__studioPreview;
              if (!stats) return;
              stats.ready = true;
              // Request sent -> first frame decodable: what "preview start" means in the benchmark.
              stats.firstFrameMs ??= performance.now() - (stats.requestedAt ?? performance.now());
            }}
          />
        ) : (
          <div
            className="poster"
            style={
              size.height > size.width
                ? { aspectRatio: `${size.width} / ${size.height}`, width: 'auto', height: 'min(100%, 640px)' }
                : { aspectRatio: `${size.width} / ${size.height}` }
            }
          >
            {endMs > 0 ? '' : 'Drop media on the timeline to see it here'}
          </div>
        )}
        {seq && endMs > 0 && (!ready || !inWindow || stale) && <ScrubFrame seq={seq} media={media} playhead={playhead} size={size} />}
        {endMs > 0 && !error && (needs || !ready) && (
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
