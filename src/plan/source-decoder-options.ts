/**
 * Decoder options every input of a source needs so that a decode started by `-ss` at any keyframe gives the
 * same pictures as a decode from the start. Today: H.264 from x264 decodes with `-x264_build N`, because the
 * SEI that names the build is only in the first access unit and ffmpeg's workarounds for old x264 bitstream
 * bugs (4:4:4 before build 151 and older ones) depend on it; without it a seeked window decodes to garbage.
 * The option is only a fallback ("if no x264 version found in any SEI"), so it is a no-op for decodes from the
 * start. See src/ffmpeg/detect-x264-build.ts.
 */
import type { MediaInfo } from '../timeline/index.js';
import { formatNumber } from './format.js';

export function sourceDecoderOptions(info: MediaInfo): string[] {
  const video = info.video;
  if (!video || video.codec !== 'h264' || video.x264_build === undefined) return [];
  return ['-x264_build', formatNumber(video.x264_build)];
}
