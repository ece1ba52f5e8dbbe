/**
 * Filmstrip thumbnails and waveform peaks drawn inside a clip, from the asset's cached sprite and peaks
 * (api/visuals.ts: one request per asset, shared by all its clips). The filmstrip is a row of divs showing
 * sprite cells by CSS background-position (no canvas work at all); the waveform is drawn once per clip, zoom
 * level and source range, never per drag frame: a move changes no prop, and a trim changes only `width`, which
 * the drawing does not depend on.
 */
import { memo, useEffect, useMemo, useRef } from 'react';
import { loadFilmstrip, loadWaveform, useLoaded, type Filmstrip as Sprite } from '../api/visuals';
import type { WaveformLevel } from '../api/types';
import { editor } from '../state/editor';
import type { MediaClip } from '../state/ops';
import { useStore } from '../state/store';

/** More cells than this in one clip get wider slots (the frame left-aligned in each) instead of more divs. */
const MAX_SLOTS = 160;
/** Bucket length of the server's waveform levels 0..4 (64·4^L samples at 16 kHz). */
const LEVEL_MS = [4, 16, 64, 256, 1024];

/** Source time (ms) shown `offsetMs` of timeline time into the clip. */
export function sourceAt(clip: MediaClip, offsetMs: number, sourceEnd: number): number {
  if (clip.freeze_at_ms !== undefined) return clip.freeze_at_ms;
  const speed = clip.speed ?? 1;
  const inMs = clip.in_ms ?? 0;
  const outMs = clip.out_ms ?? sourceEnd;
  return clip.reverse ? outMs - offsetMs * speed : inMs + offsetMs * speed;
}

export function tileFor(sprite: Sprite, t: number): Sprite['tiles'][number] | undefined {
  if (sprite.duration_ms <= 0) return sprite.tiles[0];
  const k = Math.min(sprite.count - 1, Math.max(0, Math.floor((t * sprite.count) / sprite.duration_ms)));
  return sprite.tiles[k];
}

export const Filmstrip = memo(function Filmstrip({
  clip,
  pxPerSec,
  width,
  height,
}: {
  clip: MediaClip;
  pxPerSec: number;
  width: number;
  /** Inner height of the clip box in px. */
  height: number;
}) {
  const api = useStore(editor, (s) => s.api);
  const loaded = useLoaded(api ? () => loadFilmstrip(api, clip.asset_id) : null, `${clip.asset_id}`);
  const sprite = loaded && loaded.asset_id === clip.asset_id ? loaded : undefined;
  const slots = useMemo(() => {
    if (!sprite || sprite.tiles.length === 0) return [];
    const scale = height / sprite.tile_height;
    const tileW = sprite.tile_width * scale;
    const n = Math.min(MAX_SLOTS, Math.ceil(width / tileW));
    const slotW = Math.max(tileW, width / n);
    const pxPerMs = pxPerSec / 1000;
    const size = `${sprite.width * scale}px ${sprite.height * scale}px`;
    return Array.from({ length: n }, (_, i) => {
      // The frame under the slot's first half tile: what the playhead shows there.
      const tile = tileFor(sprite, sourceAt(clip, (i * slotW + tileW / 2) / pxPerMs, sprite.duration_ms))!;
      return {
        key: i,
        style: {
          width: slotW,
          backgroundSize: size,
          backgroundPosition: `${-tile.x * scale}px ${-tile.y * scale}px`,
        },
      };
    });
  }, [sprite, clip, pxPerSec, width, height]);
  if (!sprite || slots.length === 0) return null;
  return (
    <div className="filmstrip" data-testid="filmstrip" style={{ ['--sprite' as string]: `url("${sprite.url}")` }}>
      {slots.map((s) => (
        <div key={s.key} className="frame" style={s.style} />
      ))}
    </div>
  );
});

/** The coarsest level whose buckets are at most one pixel wide at this zoom (finest when none is). */
function levelFor(pxPerSec: number, speed: number): number {
  const sourceMsPerPx = (1000 / pxPerSec) * speed;
  let level = 0;
  for (let l = 0; l < LEVEL_MS.length; l++) if (LEVEL_MS[l]! <= sourceMsPerPx) level = l;
  return level;
}

/** Canvases wider than this are stretched by CSS (browsers cap canvas size; the peaks are coarser there anyway). */
const MAX_CANVAS_PX = 4096;

function drawPeaks(canvas: HTMLCanvasElement, wf: WaveformLevel, clip: MediaClip, cssWidth: number, color: string): void {
  const w = Math.max(1, Math.min(MAX_CANVAS_PX, Math.round(cssWidth)));
  const h = canvas.height;
  canvas.width = w;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.clearRect(0, 0, w, h);
  g.fillStyle = color;
  const msPerPx = cssWidth > 0 ? clipLengthMs(clip, wf) / w : 0;
  const mid = h / 2;
  // Square-root display curve: quiet material (a -18 dB tone) stays readable, loud material does not clip.
  const y = (v: number) => Math.sign(v) * Math.sqrt(Math.abs(v) / wf.scale) * mid;
  for (let x = 0; x < w; x++) {
    const a = sourceAt(clip, x * msPerPx, wf.audio_duration_ms);
    const b = sourceAt(clip, (x + 1) * msPerPx, wf.audio_duration_ms);
    const b0 = Math.max(0, Math.floor(Math.min(a, b) / wf.bucket_ms) - wf.first_bucket);
    const b1 = Math.min(wf.length, Math.max(b0 + 1, Math.ceil(Math.max(a, b) / wf.bucket_ms) - wf.first_bucket));
    if (b0 >= wf.length) break;
    let lo = 0;
    let hi = 0;
    for (let k = b0; k < b1; k++) {
      lo = Math.min(lo, wf.data[2 * k]!);
      hi = Math.max(hi, wf.data[2 * k + 1]!);
    }
    const top = mid - y(hi);
    g.fillRect(x, top, 1, Math.max(1, mid - y(lo) - top));
  }
}

/** Timeline length of the clip as committed (not the live trim), from its source range and speed. */
function clipLengthMs(clip: MediaClip, wf: WaveformLevel): number {
  if (clip.duration_ms !== undefined && clip.freeze_at_ms !== undefined) return clip.duration_ms;
  const outMs = clip.out_ms ?? wf.audio_duration_ms;
  return Math.max(0, outMs - (clip.in_ms ?? 0)) / (clip.speed ?? 1);
}

export const Waveform = memo(function Waveform({
  clip,
  pxPerSec,
  compact,
}: {
  clip: MediaClip;
  pxPerSec: number;
  width: number;
  compact: boolean;
}) {
  const api = useStore(editor, (s) => s.api);
  // Known to have no audio (a silent screen recording, an image): no request at all.
  const silent = useStore(editor, (s) => {
    const a = s.assets.find((x) => x.id === clip.asset_id);
    return a !== undefined && a.media_info.audio === undefined;
  });
  const level = levelFor(pxPerSec, clip.speed ?? 1);
  const loaded = useLoaded(
    api && !silent ? () => loadWaveform(api, clip.asset_id, level) : null,
    `${clip.asset_id}@${level}@${silent}`,
  );
  const wf = loaded && loaded.asset_id === clip.asset_id && !silent ? loaded : undefined;
  const ref = useRef<HTMLCanvasElement>(null);
  const cssWidth = wf ? (clipLengthMs(clip, wf) * pxPerSec) / 1000 : 0;
  useEffect(() => {
    if (wf && ref.current) drawPeaks(ref.current, wf, clip, cssWidth, compact ? '#ffffffb0' : '#e9fff6d8');
  }, [wf, clip, cssWidth, compact]);
  if (!wf || cssWidth < 1) return null;
  return (
    <canvas
      ref={ref}
      className={`waveform${compact ? ' compact' : ''}`}
      data-testid="waveform"
      height={compact ? 16 : 44}
      style={{ width: cssWidth }}
    />
  );
});
