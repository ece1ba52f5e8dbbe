/**
 * ensureProxies: make the missing proxies of every video asset a timeline uses (or of the given assets), each
 * a `proxy` artifact at `tenants/{t}/{e}/media_v2/{asset_id}/proxy_{profile}.mp4` with meta {profile,
 * hw_encoder_used, source_asset_id, width, height, media_info (the proxy's probe)}. Cached by cache key (asset content hash + profile params):
 * a second call is a lookup; a changed profile parameter regenerates (the new object replaces the old one under
 * the same name, which is the ladder's fixed address).
 *
 * Encoding is CPU libx264 on purpose: proxies must come out the same on every machine (a hardware encoder
 * would change the bytes), and small sizes encode fast anyway. hw_encoder_used is therefore false.
 */
import { cutroomError, isCutroomError, type Warning } from '../errors.js';
import type { RequestContext } from '../context.js';
import { probeMedia } from '../ffmpeg/probe.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { formatNumber } from '../format.js';
import type { Artifact } from '../media/artifacts.js';
import type { Services } from '../media/services.js';
import type { Timeline } from '../timeline/index.js';
import { collectAssetRefs } from './collect-asset-refs.js';
import { findArtifact } from './find-artifact.js';
import { PROXY_PROFILES, type ProxyProfile, type ProxyProfileId } from './proxy-profiles.js';

/** Bump when proxy bytes change in a way the profile parameters do not show (other filters, muxer flags). */
export const PROXY_BACKEND_VERSION = 'cutroom-proxy/1';

export interface EnsureProxiesInput {
  services: Services;
  ctx: RequestContext;
  /** Every media asset of the timeline; or give assetIds. */
  timeline?: Timeline;
  assetIds?: readonly string[];
  profiles?: readonly ProxyProfileId[];
  signal?: AbortSignal;
  /** Override profile parameters (tests, tuning); the overrides are part of the cache key. */
  profileOverrides?: Partial<Record<ProxyProfileId, Partial<Omit<ProxyProfile, 'id'>>>>;
}

export interface ProxyInfo {
  asset_id: string;
  profile: ProxyProfileId;
  artifact_id: string;
  cached: boolean;
  width: number;
  height: number;
}

export interface EnsureProxiesResult {
  proxies: ProxyInfo[];
  /** Non-video assets are skipped (PROXY_SKIPPED); missing assets are warned (MISSING_ASSET). */
  warnings: Warning[];
}

function even(n: number): number {
  return Math.max(2, 2 * Math.round(n / 2));
}

/** The proxy profile with overrides applied: what goes into the cache key. */
export function proxyParams(
  profile: ProxyProfileId,
  overrides?: EnsureProxiesInput['profileOverrides'],
): ProxyProfile {
  return { ...PROXY_PROFILES[profile], ...overrides?.[profile], id: profile };
}

export async function ensureProxies(input: EnsureProxiesInput): Promise<EnsureProxiesResult> {
  const { services, ctx, signal } = input;
  const profiles = input.profiles ?? ['draft_360p', 'preview_720p'];
  const ids = new Set(input.assetIds ?? []);
  if (input.timeline) for (const id of collectAssetRefs(input.timeline).media.keys()) ids.add(id);
  const warnings: Warning[] = [];
  const proxies: ProxyInfo[] = [];
  for (const assetId of [...ids].sort()) {
    let asset;
    try {
      asset = await services.assets.getAsset(ctx, assetId);
    } catch (err) {
      if (!isCutroomError(err, 'ASSET_NOT_FOUND')) throw err;
      warnings.push({ code: 'MISSING_ASSET', message: `asset ${assetId} does not exist`, path: assetId });
      continue;
    }
    const video = asset.media_info.video;
    if (asset.kind !== 'video' || !video || video.still) {
      warnings.push({
        code: 'PROXY_SKIPPED',
        message: `asset ${assetId} is ${asset.kind}: only videos get proxies`,
        path: assetId,
      });
      continue;
    }
    for (const profileId of profiles) {
      const params = proxyParams(profileId, input.profileOverrides);
      const height = even(Math.min(params.height, video.display_height));
      const width = even((video.display_width * height) / video.display_height);
      const { artifact, cached } = await services.artifacts.lookupOrCreateArtifact(ctx, {
        assetId,
        kind: 'proxy',
        backendVersion: PROXY_BACKEND_VERSION,
        params,
        produce: async ({ workDir }) => {
          const source = await services.assets.assetPath(ctx, assetId);
          const output = `${workDir}/proxy.mp4`;
          const copyAudio = asset.media_info.audio?.codec === params.audio.copy_if;
          await runFfmpeg({
            args: [
              ...['-i', source, '-map', '0:v:0', '-map', '0:a:0?'],
              // Scale only: no fps filter, and passthrough + the input time base keep every frame's pts.
              ...['-vf', `scale=${formatNumber(width)}:${formatNumber(height)}`],
              ...['-fps_mode', 'passthrough', '-enc_time_base:v', '-1'],
              ...['-c:v', params.video_codec, '-preset', params.preset, '-crf', formatNumber(params.crf)],
              ...['-g', formatNumber(params.gop), '-pix_fmt', params.pix_fmt],
              ...(copyAudio ? ['-c:a', 'copy'] : ['-c:a', params.audio.codec, '-b:a', params.audio.bitrate]),
              ...['-map_metadata', '-1', '-movflags', '+faststart', '-f', 'mp4'],
            ],
            output,
            durationMs: asset.media_info.duration_ms,
            stage: 'encode',
            context: { asset_id: assetId, proxy_profile: profileId },
            ...(signal ? { signal } : {}),
          });
          // Kept in meta so previews can plan from the proxy without probing it on every request.
          const mediaInfo = await probeMedia({ path: output, ...(signal ? { signal } : {}) });
          return {
            meta: {
              media_info: mediaInfo,
              profile: profileId,
              hw_encoder_used: false,
              encoder: params.video_codec,
              source_asset_id: assetId,
              width,
              height,
              audio: copyAudio ? 'copy' : params.audio.codec,
            },
            content: { path: output },
            name: `proxy_${profileId}.mp4`,
          };
        },
      });
      proxies.push({
        asset_id: assetId,
        profile: profileId,
        artifact_id: artifact.id,
        cached,
        width,
        height,
      });
    }
  }
  return { proxies, warnings };
}

/** The current proxy of an asset for a profile (null when none matches the profile's parameters). */
export async function findProxy({
  services,
  ctx,
  assetId,
  profile,
}: {
  services: Services;
  ctx: RequestContext;
  assetId: string;
  profile: ProxyProfileId;
}): Promise<Artifact | null> {
  const found = await findArtifact({
    services,
    ctx,
    input: { assetId, kind: 'proxy', params: proxyParams(profile), backendVersion: PROXY_BACKEND_VERSION },
  });
  if (found && !(found.storage_key && (await services.store.exists(found.storage_key)))) return null;
  return found;
}

export function assertProxyProfile(value: string): ProxyProfileId {
  if (!Object.hasOwn(PROXY_PROFILES, value))
    throw cutroomError('INVALID_PARAM', `unknown proxy profile ${value}`, {
      issues: [{ path: 'profile', message: `one of ${Object.keys(PROXY_PROFILES).join(', ')}` }],
    });
  return value as ProxyProfileId;
}
