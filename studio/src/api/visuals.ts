/**
 * Per-session cache of the timeline visuals: one filmstrip (index + sprite as an object URL) per asset and tile
 * height, one waveform per asset and zoom level. Every clip of an asset shares the same promise, so 500 clips of
 * 3 assets make 3 requests; a failure (no video/audio stream, decode error) is cached too and shows nothing.
 * Keyed by the Api object: a new sign-in gets a new cache, and releaseVisuals() revokes the old object URLs.
 */
import { useEffect, useState } from 'react';
import type { Api } from './client';
import type { FilmstripIndex, WaveformLevel } from './types';

export interface Filmstrip extends FilmstripIndex {
  /** blob: URL of the sprite JPEG. */
  url: string;
}

interface Cache {
  filmstrips: Map<string, Promise<Filmstrip | null>>;
  waveforms: Map<string, Promise<WaveformLevel | null>>;
  urls: string[];
}

const caches = new WeakMap<Api, Cache>();

function cacheOf(api: Api): Cache {
  let c = caches.get(api);
  if (!c) {
    c = { filmstrips: new Map(), waveforms: new Map(), urls: [] };
    caches.set(api, c);
  }
  return c;
}

/**
 * The session's first preview goes first. Sprites and waveforms are cut by ffmpeg on the same (often 2-core)
 * server as the preview window, and at sign-in every asset asks for both at once: the preview, what the user
 * looks at, waited behind them (1.1 s to its first byte instead of 0.3 s). So visuals wait until the first
 * preview frame has arrived, the preview gave up, or VISUALS_HOLD_MAX_MS passed, whichever comes first.
 */
export const VISUALS_HOLD_MAX_MS = 1500;
let releaseHold: () => void = () => undefined;
let held: Promise<void> | null = new Promise<void>((resolve) => {
  releaseHold = resolve;
});

/** The first preview frame is showing (or there is nothing to preview): visuals may load. */
export function releaseVisualsHold(): void {
  releaseHold();
  held = null;
}

function afterFirstPreview(): Promise<void> {
  if (!held) return Promise.resolve();
  const cap = new Promise<void>((resolve) => setTimeout(resolve, VISUALS_HOLD_MAX_MS));
  return Promise.race([held, cap]);
}

/** Tile height the Studio asks for: the tallest clip (64 px row) at 2× for sharp HiDPI thumbnails. */
export const FILMSTRIP_HEIGHT = 120;

export function loadFilmstrip(api: Api, assetId: string, height = FILMSTRIP_HEIGHT): Promise<Filmstrip | null> {
  const c = cacheOf(api);
  const key = `${assetId}@${height}`;
  let p = c.filmstrips.get(key);
  if (!p) {
    p = (async () => {
      await afterFirstPreview();
      const index = await api.filmstrip(assetId, height);
      const { blob } = await api.filmstripImage(index.image_url);
      const url = URL.createObjectURL(blob);
      c.urls.push(url);
      // Decode before anyone paints it, so a clip never flashes an empty background.
      const img = new Image();
      img.src = url;
      await img.decode().catch(() => undefined);
      return { ...index, url };
    })().catch(() => null);
    c.filmstrips.set(key, p);
  }
  return p;
}

export function loadWaveform(api: Api, assetId: string, level: number): Promise<WaveformLevel | null> {
  const c = cacheOf(api);
  const key = `${assetId}@${level}`;
  let p = c.waveforms.get(key);
  if (!p) {
    p = afterFirstPreview()
      .then(() => api.waveform(assetId, level))
      .catch(() => null);
    c.waveforms.set(key, p);
  }
  return p;
}

/** Revoke the session's sprite URLs (on sign-out). */
export function releaseVisuals(api: Api | null): void {
  if (!api) return;
  const c = caches.get(api);
  if (!c) return;
  for (const url of c.urls) URL.revokeObjectURL(url);
  caches.delete(api);
}

/**
 * The latest value a cached load resolved to (undefined until the first one does). It stays while a new load is
 * pending, so a zoom that picks another waveform level keeps showing the old one instead of blinking; callers
 * check `asset_id` when the asset itself may have changed.
 */
export function useLoaded<T>(load: (() => Promise<T>) | null, key: string): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    if (!load) return;
    let live = true;
    void load().then((v) => {
      if (live) setValue(v);
    });
    return () => {
      live = false;
    };
    // `load` is a fresh closure each render; `key` names what it loads.
  }, [key]);
  return value;
}
