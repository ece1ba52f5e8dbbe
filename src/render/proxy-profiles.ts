/**
 * Proxy ladder: smaller copies of video assets for fast editing and previews. Every parameter here is part of
 * the proxy artifact's cache key, so changing one (a CRF, a size) makes the next ensureProxies regenerate.
 *
 * Timing policy (not a parameter, a rule): a proxy keeps its source's frame timestamps exactly — same frame
 * count, same pts, same time base (`-fps_mode passthrough`, `-enc_time_base -1`, no fps filter) — so an edit
 * made against a proxy (cut at frame N, in_ms/out_ms) means the same frames on the original.
 */
export interface ProxyProfile {
  id: 'draft_360p' | 'preview_720p';
  /** Target height; never upscaled (a smaller source keeps its height). Width follows the aspect, even. */
  height: number;
  video_codec: 'libx264';
  crf: number;
  preset: string;
  pix_fmt: 'yuv420p';
  /** Keyframe interval in frames: short GOPs make previews seek and start fast. */
  gop: number;
  /** AAC sources are copied (exact audio timing); others are encoded to AAC at this bitrate. */
  audio: { copy_if: 'aac'; codec: 'aac'; bitrate: string };
  fps_policy: 'passthrough';
}

export const PROXY_PROFILES: Record<ProxyProfile['id'], ProxyProfile> = {
  draft_360p: {
    id: 'draft_360p',
    height: 360,
    video_codec: 'libx264',
    crf: 30,
    preset: 'veryfast',
    pix_fmt: 'yuv420p',
    gop: 30,
    audio: { copy_if: 'aac', codec: 'aac', bitrate: '96k' },
    fps_policy: 'passthrough',
  },
  preview_720p: {
    id: 'preview_720p',
    height: 720,
    video_codec: 'libx264',
    crf: 26,
    preset: 'veryfast',
    pix_fmt: 'yuv420p',
    gop: 30,
    audio: { copy_if: 'aac', codec: 'aac', bitrate: '128k' },
    fps_policy: 'passthrough',
  },
};

export type ProxyProfileId = ProxyProfile['id'];

export function isProxyProfileId(value: string): value is ProxyProfileId {
  return Object.hasOwn(PROXY_PROFILES, value);
}
