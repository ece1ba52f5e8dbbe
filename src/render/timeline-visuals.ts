/**
 * Cached timeline visuals for the Studio: a `filmstrip` artifact (thumbnail sprite JPEG + its tile index in meta)
 * and a `waveform` artifact (min/max peaks at several zoom levels, JSON content). Both go through
 * lookupOrCreateArtifact, so the cache key is sha256 of {tenant, env, asset content hash, kind, params,
 * backend_version}: the same request is a lookup, another tenant never sees or reuses them, and a changed
 * parameter (height, frame count) makes a new artifact. The ffmpeg work is in src/ffmpeg/filmstrip.ts and
 * waveform.ts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { RequestContext } from '../context.js';
import { cutroomError } from '../errors.js';
import {
  extractFilmstrip,
  extractWaveform,
  filmstripLayout,
  FILMSTRIP_MAX_FRAMES,
  WAVEFORM_LEVELS,
  WAVEFORM_SAMPLE_RATE,
  type FilmstripLayout,
  type Waveform,
} from '../ffmpeg/index.js';
import type { Artifact } from '../media/artifacts.js';
import type { Services } from '../media/services.js';

/** Bump when the sprite's bytes change in a way the params do not show (filters, encoder options). */
export const FILMSTRIP_BACKEND_VERSION = 'cutroom-filmstrip/1';
export const WAVEFORM_BACKEND_VERSION = 'cutroom-waveform/1';

export const FILMSTRIP_DEFAULT_HEIGHT = 72;
export const FILMSTRIP_MIN_HEIGHT = 16;
export const FILMSTRIP_MAX_HEIGHT = 360;

/** One tile per second by default, 1..120 tiles (ask for more with `frames`, up to FILMSTRIP_MAX_FRAMES). */
export function defaultFilmstripFrames(durationMs: number): number {
  return Math.max(1, Math.min(120, Math.ceil(durationMs / 1000)));
}

export interface FilmstripResult {
  artifact: Artifact;
  cached: boolean;
  layout: FilmstripLayout;
}

export async function ensureFilmstrip(input: {
  services: Services;
  ctx: RequestContext;
  assetId: string;
  height?: number;
  frames?: number;
  signal?: AbortSignal;
}): Promise<FilmstripResult> {
  const { services, ctx, assetId, signal } = input;
  const asset = await services.assets.getAsset(ctx, assetId);
  const video = asset.media_info.video;
  if (!video)
    throw cutroomError('MEDIA_STREAM_MISSING', `asset ${assetId} has no video stream for a filmstrip`, {
      asset_id: assetId,
      needs: 'video',
    });
  const durationMs = video.still ? 0 : asset.media_info.duration_ms;
  const frames = video.still
    ? 1
    : Math.min(FILMSTRIP_MAX_FRAMES, input.frames ?? defaultFilmstripFrames(durationMs));
  const layout = filmstripLayout({
    durationMs,
    displayWidth: video.display_width,
    displayHeight: video.display_height,
    tileHeight: input.height ?? FILMSTRIP_DEFAULT_HEIGHT,
    frames,
  });
  const params = { tile_height: layout.tile_height, count: layout.count, format: 'jpeg' };
  const { artifact, cached } = await services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId,
    kind: 'filmstrip',
    backendVersion: FILMSTRIP_BACKEND_VERSION,
    params,
    produce: async ({ workDir }) => {
      const output = `${workDir}/filmstrip.jpg`;
      const source = await services.assets.assetPath(ctx, assetId);
      await extractFilmstrip({ path: source, layout, output, ...(signal ? { signal } : {}) });
      return {
        meta: { source_asset_id: assetId, content_type: 'image/jpeg', layout },
        content: { path: output },
        name: 'filmstrip/{artifact_id}.jpg',
      };
    },
  });
  return { artifact, cached, layout: artifact.meta.layout as FilmstripLayout };
}

export interface WaveformResult {
  artifact: Artifact;
  cached: boolean;
  waveform: Waveform;
}

export async function ensureWaveform(input: {
  services: Services;
  ctx: RequestContext;
  assetId: string;
  signal?: AbortSignal;
}): Promise<WaveformResult> {
  const { services, ctx, assetId, signal } = input;
  const asset = await services.assets.getAsset(ctx, assetId);
  if (!asset.media_info.audio)
    throw cutroomError('MEDIA_STREAM_MISSING', `asset ${assetId} has no audio stream for a waveform`, {
      asset_id: assetId,
      needs: 'audio',
    });
  const params = { sample_rate: WAVEFORM_SAMPLE_RATE, levels: WAVEFORM_LEVELS, channels: 1, bits: 8 };
  const { artifact, cached } = await services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId,
    kind: 'waveform',
    backendVersion: WAVEFORM_BACKEND_VERSION,
    params,
    produce: async ({ workDir }) => {
      const source = await services.assets.assetPath(ctx, assetId);
      const waveform = await extractWaveform({
        path: source,
        durationMs: asset.media_info.duration_ms,
        ...(signal ? { signal } : {}),
      });
      const output = `${workDir}/waveform.json`;
      await writeFile(output, JSON.stringify(waveform));
      return {
        meta: {
          source_asset_id: assetId,
          content_type: 'application/json',
          sample_rate: waveform.sample_rate,
          samples: waveform.samples,
          audio_duration_ms: waveform.duration_ms,
          levels: waveform.levels.map(({ data: _data, ...level }) => level),
        },
        content: { path: output },
        name: 'waveform/{artifact_id}.json',
      };
    },
  });
  const path = await services.artifacts.artifactPath(ctx, artifact.id);
  const waveform = JSON.parse(await readFile(path, 'utf8')) as Waveform;
  return { artifact, cached, waveform };
}
