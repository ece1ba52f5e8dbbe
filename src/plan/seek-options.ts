/**
 * The input options that start a source at `atMs` (accurate seek: the input keeps exactly the frames at or
 * after it, with timestamps from 0), seeking the demuxer early enough that the first kept frame decodes.
 *
 * Why not a plain `-ss at`: ffmpeg 5.1 seeks the demuxer to the last keyframe at or before `at - 3/23 s`, and
 * the MP4 demuxer compares that with the keyframes' DECODE timestamps (libavformat/mov.c mov_seek_stream). An
 * open-GOP keyframe (x264 --open-gop, x265's default CRA frames) is decoded before its leading pictures, the B
 * frames that show just before it but reference the previous GOP, so its dts lies before their pts by the
 * number of leading pictures plus the stream's reorder delay. When that exceeds 3/23 s (x264 -bf 3 open-gop at
 * 30 fps: 4 frames = 0.133 s), a seek to a leading picture lands on the keyframe after it; the leading pictures
 * cannot be decoded from there and are dropped, and the clip starts on the keyframe (the open-GOP source of
 * test/render/open-gop-seek.test.ts: `-ss 0.95` gave source frame 30 instead of 29).
 *
 * So the demuxer seeks SEEK_MARGIN_FRAMES source frames earlier (`-ss at-margin`) and `-itsoffset -margin`
 * shifts the timestamps back: ffmpeg offsets input timestamps by `itsoffset - ss` (whole microseconds, so
 * exactly `-at` again) and its accurate-seek trim keeps the frames from offset time 0, so the kept frames and
 * their timestamps are exactly those of `-ss at`, only decoded from an earlier keyframe; the filtergraph does
 * not change. 16 frames because the keyframe's dts leads by its leading pictures plus the reorder delay, and
 * x264/x265 write at most 16 consecutive B frames (--bframes 16, H.264's limit on reordered frames); the
 * reorder delay on top (2 frames with x264's B-pyramid) is covered by ffmpeg's own 3/23 s. Measured on 3 s
 * testsrc2 sources, seeking to every frame of the first two GOPs (keyint 30): x264 -bf 3 open-gop at 60 fps
 * and x265 --bframes 8 at 24 fps start wrong without a margin; x264 -bf 16 open-gop (keyframe dts 14 frames
 * before its pts) still starts wrong with a 9-frame margin at 24 and 30 fps; all start right with 16. The
 * cost: a decode from the previous keyframe when `at` is less than margin + 3/23 s after a keyframe's dts.
 * Checked with framemd5 at 11 seek points on a closed-GOP and an open-GOP x264 source: video frames and all
 * timestamps are identical to `-ss at` except on the leading pictures (now right); AAC audio, decoded from an
 * earlier packet, keeps its sample count and timestamps but differs by at most 2.7e-5 (-91 dBFS) in value
 * (the decoder carries state past one frame).
 *
 * Only codecs that reorder frames get the margin: in intra-only ones (ProRes, MJPEG, DNxHD…) every frame is a
 * keyframe and the margin would only decode frames to drop; VP8/VP9/AV1 show frames in decode order.
 */
import type { MediaInfo } from '../timeline/index.js';
import { formatNumber } from './format.js';

/** Source frames the demuxer seeks before the in-point (see above). */
export const SEEK_MARGIN_FRAMES = 16;

/** Codecs whose streams can hold frames shown before a keyframe that are decoded after it. */
const REORDERING_CODECS = new Set(['h264', 'hevc', 'vvc', 'mpeg1video', 'mpeg2video', 'mpeg4', 'vc1']);

export function seekOptions(options: {
  info: MediaInfo;
  /** Source time of the first kept frame, ms (clamped at 0). */
  atMs: number;
}): string[] {
  const { info } = options;
  // Integer microseconds, as ffmpeg parses them: the seek and the offset then add up to exactly `at`.
  const atUs = Math.round(Number(formatNumber(Math.max(0, options.atMs) / 1000)) * 1e6);
  const video = info.video;
  if (atUs === 0 || !video || video.still || !REORDERING_CODECS.has(video.codec))
    return ['-ss', formatNumber(atUs / 1e6)];
  // One source frame as resolveClip measures it (average rate, else nominal, else 25 fps).
  const fps = video.avg_fps.num > 0 ? video.avg_fps : video.fps;
  const sourceFrameMs = fps.num > 0 && fps.den > 0 ? (1000 * fps.den) / fps.num : 40;
  const marginUs = Math.ceil(SEEK_MARGIN_FRAMES * sourceFrameMs) * 1000;
  const seekUs = Math.max(0, atUs - marginUs);
  return ['-ss', formatNumber(seekUs / 1e6), '-itsoffset', formatNumber(-(atUs - seekUs) / 1e6)];
}
