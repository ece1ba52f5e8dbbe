/**
 * Previews: a window [start_ms, start_ms + duration_ms) of a timeline rendered small and fast for a <video>.
 *
 * - Sources: each video asset's `draft_360p` proxy when it exists (ensureProxies makes them), else the original
 *   with a PROXY_MISSING warning. The planner gets the proxy's path and MediaInfo but the ORIGINAL asset's
 *   content_hash: the plan (and its hash) speaks of the edit, not of which file fed it; which proxies were used
 *   is added to the preview cache key instead, so a preview made from a source and one made from its proxy
 *   never share a cache entry. Proxies keep the source's frame timing, so in_ms/out_ms mean the same frames.
 * - Canvas: with `profile` (the render profile the preview stands for), that profile's aspect and frame rate at
 *   preview size (src/plan/preview-output.ts: 1080x1920 previews at 360x640), so everything sits where the
 *   render puts it; without, the draft profile's 640x360.
 * - Output: the draft_360p profile's encoder (x264 ultrafast, zerolatency), written as fragmented MP4 with one
 *   fragment per frame (`frag_every_frame+empty_moov`): playable from the first frame, so the first request
 *   streams bytes while ffmpeg is still encoding.
 * - Cache: the finished window is a `render_segment` artifact of the tenant keyed by {plan_hash, proxies}; later
 *   requests (and every Range request) read it. Concurrent requests for a window being rendered share the run.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { RequestContext } from '../context.js';
import { isCutroomError, type Warning } from '../errors.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import type { Artifact } from '../media/artifacts.js';
import type { Services } from '../media/services.js';
import { previewOutputFor } from '../plan/preview-output.js';
import { getProfile } from '../plan/profiles.js';
import type { PlanSource } from '../plan/types.js';
import type { MediaInfo, Timeline } from '../timeline/index.js';
import { collectAssetRefs } from './collect-asset-refs.js';
import { findArtifact } from './find-artifact.js';
import { growingFileStream } from './growing-file-stream.js';
import { prepareRender, type PreparedRender } from './prepare-render.js';
import type { PreviewTiming } from './preview-timing.js';
import { findProxy } from './proxies.js';

export const PREVIEW_BACKEND_VERSION = 'cutroom-preview/2';
export const PREVIEW_PROFILE = 'draft_360p';
export const PREVIEW_GOP_FRAMES = 15;
/** Longest window one preview request may render. */
export const MAX_PREVIEW_MS = 60_000;

export interface PreviewRequest {
  ctx: RequestContext;
  timeline: Timeline;
  start_ms: number;
  duration_ms: number;
  /** The render profile to preview for (its aspect and fps at preview size); default the draft's 640x360. */
  profile?: string;
  signal?: AbortSignal;
  /** Marks where the request's time goes (src/render/preview-timing.ts). */
  timing?: PreviewTiming;
}

export type PreviewResult =
  | { kind: 'cached'; artifact: Artifact; path: string; warnings: Warning[]; plan_hash: string }
  | {
      kind: 'streaming';
      /** The window as ffmpeg writes it (fragmented MP4). */
      stream: Readable;
      /** Resolves once the window is cached (its artifact). */
      stored: Promise<Artifact>;
      warnings: Warning[];
      plan_hash: string;
    };

export interface PreviewService {
  /** Cached window, or a live stream of the render that will cache it. */
  preview(req: PreviewRequest): Promise<PreviewResult>;
  /** The cached window, rendering it first (for Range requests). */
  previewFile(req: PreviewRequest): Promise<{ artifact: Artifact; path: string; warnings: Warning[] }>;
}

interface Prepared {
  prepared: PreparedRender;
  warnings: Warning[];
  params: Record<string, unknown>;
  workDir: string;
}

/** Proxy substitutes (keyed by asset id) and what they mean for the cache key. */
async function proxySources(
  services: Services,
  ctx: RequestContext,
  timeline: Timeline,
): Promise<{
  overrides: Record<string, PlanSource>;
  used: Record<string, string | null>;
  warnings: Warning[];
}> {
  const overrides: Record<string, PlanSource> = {};
  const used: Record<string, string | null> = {};
  const warnings: Warning[] = [];
  // Every asset's lookups at once (they are independent reads), results taken in sorted id order, so the
  // warnings and the cache key's `used` do not depend on which lookup finished first.
  const ids = [...collectAssetRefs(timeline).media.keys()].sort();
  const found = await Promise.all(
    ids.map(async (assetId) => {
      let asset;
      try {
        asset = await services.assets.getAsset(ctx, assetId);
      } catch (err) {
        if (isCutroomError(err, 'ASSET_NOT_FOUND')) return null; // prepareRender reports it with its paths
        throw err;
      }
      if (asset.kind !== 'video') return null;
      const proxy = await findProxy({ services, ctx, assetId, profile: 'draft_360p' });
      const info = proxy?.meta.media_info as MediaInfo | undefined;
      if (!proxy || !info) return { assetId, asset, proxy: null, info: null, path: null };
      return { assetId, asset, proxy, info, path: await services.artifacts.artifactPath(ctx, proxy.id) };
    }),
  );
  for (const f of found) {
    if (!f) continue;
    const { assetId, asset, proxy, info, path } = f;
    if (!proxy || !info || path === null) {
      used[assetId] = null;
      warnings.push({
        code: 'PROXY_MISSING',
        message: `asset ${assetId} has no draft_360p proxy; the preview reads the original (slower)`,
        path: assetId,
      });
      continue;
    }
    used[assetId] = proxy.cache_key;
    overrides[assetId] = { asset_id: assetId, path, content_hash: asset.content_hash, info };
  }
  return { overrides, used, warnings };
}

/**
 * The plan's args with the output as fragmented MP4 (replaces +faststart, which needs the whole file), each
 * fragment flushed to the file at once (`-flush_packets 1`: ffmpeg's 32 KiB I/O buffer would otherwise hold
 * back the small fragments of a 360p window until the end). x264 runs `ultrafast` with `-tune zerolatency`:
 * no lookahead and no B-frames, so the first fragment leaves the encoder as soon as its frames are in, instead
 * of after the profile's lookahead has filled (the preview is looked at once, its size hardly matters).
 */
function fragmentedArgs(args: readonly string[]): string[] {
  const out = [...args];
  const codec = out.indexOf('-c:v');
  if (codec >= 0 && out[codec + 1] === 'libx264') {
    const preset = out.indexOf('-preset');
    if (preset >= 0) out[preset + 1] = 'ultrafast';
    out.splice(codec + 2, 0, '-tune', 'zerolatency');
  }
  const i = out.indexOf('-movflags');
  // A fragment per frame: a player can show the first frame as soon as it is encoded, not after a whole GOP.
  const flags = 'frag_keyframe+frag_every_frame+empty_moov+default_base_moof';
  if (i >= 0) out[i + 1] = flags;
  else out.splice(out.lastIndexOf('-f'), 0, '-movflags', flags);
  out.splice(out.lastIndexOf('-f'), 0, '-flush_packets', '1');
  return out;
}

export function createPreviewService({ services }: { services: Services }): PreviewService {
  const inFlight = new Map<string, Promise<Artifact>>();

  const prepare = async (req: PreviewRequest): Promise<Prepared> => {
    const { ctx, timeline } = req;
    // Unknown profile names fail here (UNKNOWN_PROFILE), before any work.
    const output = req.profile !== undefined ? previewOutputFor(getProfile(req.profile)) : undefined;
    const { overrides, used, warnings } = await proxySources(services, ctx, timeline);
    req.timing?.mark('proxies');
    await mkdir(services.config.workDir, { recursive: true });
    const workDir = await mkdtemp(join(services.config.workDir, 'preview-'));
    try {
      const prepared = await prepareRender({
        services,
        ctx,
        timeline,
        profile: PREVIEW_PROFILE,
        workDir,
        range: { start_ms: req.start_ms, duration_ms: req.duration_ms },
        sourceOverrides: overrides,
        // A keyframe every 0.5 s (not the profile's 2 s GOP): a seek inside the window decodes at most 15 frames.
        gopFrames: PREVIEW_GOP_FRAMES,
        // A preview shows gaps for missing assets (with warnings) rather than refusing.
        allowMissingAssets: true,
        ...(output ? { output } : {}),
      });
      const params = {
        plan_hash: prepared.plan.meta.plan_hash,
        proxies: used,
        container: 'fmp4-per-frame',
        encode: 'ultrafast-zerolatency',
      };
      req.timing?.mark('planned');
      return { prepared, warnings: [...warnings, ...prepared.warnings], params, workDir };
    } catch (err) {
      await rm(workDir, { recursive: true, force: true });
      throw err;
    }
  };

  const cacheKey = (ctx: RequestContext, params: Record<string, unknown>) =>
    services.artifacts.cacheKeyFor(ctx, {
      assetId: null,
      kind: 'render_segment',
      params,
      backendVersion: PREVIEW_BACKEND_VERSION,
    });

  const findCached = (ctx: RequestContext, params: Record<string, unknown>): Promise<Artifact | null> =>
    findArtifact({
      services,
      ctx,
      input: { assetId: null, kind: 'render_segment', params, backendVersion: PREVIEW_BACKEND_VERSION },
    });

  /** Starts the render; `encoded` settles when the file is complete, `stored` when it is cached. */
  const start = (req: PreviewRequest, p: Prepared, key: string) => {
    const file = join(p.workDir, 'preview.mp4');
    const { plan } = p.prepared;
    const encoded = (async () => {
      for (const f of plan.files) await writeFile(f.path, f.content, 'utf8');
      const run = runFfmpeg({
        args: fragmentedArgs(plan.args),
        output: file,
        durationMs: plan.meta.duration_ms,
        stage: 'encode',
        context: { preview: true, plan_hash: plan.meta.plan_hash },
        ...(req.signal ? { signal: req.signal } : {}),
      });
      // runFfmpeg spawns synchronously: the process exists now.
      req.timing?.mark('spawned');
      await run;
      req.timing?.mark('encoded');
      req.timing?.publish('miss');
    })();
    const stored = encoded
      .then(async () => {
        const { artifact } = await services.artifacts.lookupOrCreateArtifact(req.ctx, {
          assetId: null,
          kind: 'render_segment',
          params: p.params,
          backendVersion: PREVIEW_BACKEND_VERSION,
          produce: async () => ({
            meta: {
              preview: true,
              profile: PREVIEW_PROFILE,
              ...(req.profile !== undefined ? { for_profile: req.profile } : {}),
              width: plan.meta.width,
              height: plan.meta.height,
              plan_hash: plan.meta.plan_hash,
              start_ms: req.start_ms,
              duration_ms: plan.meta.duration_ms,
              frame_count: plan.meta.frame_count,
              warnings: p.warnings,
            },
            content: { path: file },
            name: 'previews/{artifact_id}.mp4',
          }),
        });
        return artifact;
      })
      .finally(() => {
        inFlight.delete(`${req.ctx.tenantId}\u0000${req.ctx.env}\u0000${key}`);
        // A reader streaming the file keeps its open descriptor; removing the directory is safe on POSIX.
        void rm(p.workDir, { recursive: true, force: true });
      });
    inFlight.set(`${req.ctx.tenantId}\u0000${req.ctx.env}\u0000${key}`, stored);
    // Nobody may be waiting on `stored` (a streaming client that went away): never an unhandled rejection.
    stored.catch(() => undefined);
    return { file, encoded, stored };
  };

  const previewFile: PreviewService['previewFile'] = async (req) => {
    const p = await prepare(req);
    const key = await cacheKey(req.ctx, p.params);
    const running = inFlight.get(`${req.ctx.tenantId}\u0000${req.ctx.env}\u0000${key}`);
    const cached = running ? await running : await findCached(req.ctx, p.params);
    const artifact = cached ?? (await start(req, p, key).stored);
    if (cached) await rm(p.workDir, { recursive: true, force: true });
    return {
      artifact,
      path: await services.artifacts.artifactPath(req.ctx, artifact.id),
      warnings: p.warnings,
    };
  };

  const preview: PreviewService['preview'] = async (req) => {
    const p = await prepare(req);
    const key = await cacheKey(req.ctx, p.params);
    const plan_hash = p.prepared.plan.meta.plan_hash;
    const running = inFlight.get(`${req.ctx.tenantId}\u0000${req.ctx.env}\u0000${key}`);
    const cached = running ? await running : await findCached(req.ctx, p.params);
    req.timing?.mark('looked_up');
    if (cached) {
      req.timing?.publish('hit');
      await rm(p.workDir, { recursive: true, force: true });
      return {
        kind: 'cached',
        artifact: cached,
        path: await services.artifacts.artifactPath(req.ctx, cached.id),
        warnings: p.warnings,
        plan_hash,
      };
    }
    const run = start(req, p, key);
    return {
      kind: 'streaming',
      stream: growingFileStream({
        path: run.file,
        finished: run.encoded,
        ...(req.timing
          ? { onOpen: () => req.timing!.mark('output_opened'), onRead: (b: Buffer) => req.timing!.onRead(b) }
          : {}),
      }),
      stored: run.stored,
      warnings: p.warnings,
      plan_hash,
    };
  };

  return { preview, previewFile };
}
