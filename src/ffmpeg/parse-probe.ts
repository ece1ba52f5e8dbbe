/**
 * Turn ffprobe's JSON (`-show_format -show_streams -show_entries packet=dts_time,stream_index`) into MediaInfo.
 * Pure: no I/O, so every quirk (rotation sign, SAR, VFR, stills, cover art) is testable from recorded JSON.
 */
import { cutroomError } from '../errors.js';
import type { AudioStreamInfo, MediaInfo, Rational, VideoStreamInfo } from '../timeline/index.js';

export interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  pix_fmt?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  start_time?: string;
  nb_frames?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  disposition?: Record<string, number>;
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
}

export interface FfprobeJson {
  format?: {
    format_name?: string;
    duration?: string;
    size?: string;
    bit_rate?: string;
    tags?: Record<string, string>;
  };
  streams?: FfprobeStream[];
  packets?: Array<{ stream_index?: number; dts_time?: string }>;
}

export interface ParseProbeInput {
  json: FfprobeJson;
  /** File size from stat (ffprobe's format.size is missing for some demuxers). */
  sizeBytes: number;
  /** For error details only. */
  path: string;
}

/** Relative difference between r_frame_rate and avg_frame_rate above which a file counts as VFR. */
const RATE_TOLERANCE = 0.01;
/** A packet interval further than this (relative) from the median interval is "irregular". */
const INTERVAL_TOLERANCE = 0.1;
/** More than this share of irregular intervals means VFR (a CFR file may still drop a frame or two). */
const IRREGULAR_SHARE = 0.05;

export function parseRational(text: string | undefined): Rational {
  const m = /^(-?\d+)[/:](\d+)$/.exec(text ?? '');
  if (!m) return { num: 0, den: 1 };
  const num = Number(m[1]);
  const den = Number(m[2]);
  return den === 0 ? { num: 0, den: 1 } : { num, den };
}

function rationalValue(r: Rational): number {
  return r.den === 0 ? 0 : r.num / r.den;
}

function secondsToMs(text: string | undefined): number | undefined {
  if (text === undefined || text === 'N/A') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? Math.round(value * 1000) : undefined;
}

/** Matroska writes stream durations only as a tag, "HH:MM:SS.nnnnnnnnn". */
function tagDurationMs(tags: Record<string, string> | undefined): number | undefined {
  const text = tags?.DURATION ?? tags?.duration;
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text ?? '');
  if (!m) return undefined;
  return Math.round((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000);
}

/**
 * Clockwise display rotation. ffprobe's display-matrix `rotation` is counter-clockwise (a phone held upright
 * shows -90), so it is negated; the legacy `rotate` tag (older muxers/ffprobe) is already clockwise.
 */
function rotationOf(stream: FfprobeStream): 0 | 90 | 180 | 270 {
  const matrix = stream.side_data_list?.find((d) => typeof d.rotation === 'number');
  let degrees: number | undefined;
  if (matrix?.rotation !== undefined) degrees = -matrix.rotation;
  else if (stream.tags?.rotate !== undefined && Number.isFinite(Number(stream.tags.rotate))) {
    degrees = Number(stream.tags.rotate);
  }
  if (degrees === undefined) return 0;
  const quarter = ((Math.round(degrees / 90) % 4) + 4) % 4;
  return (quarter * 90) as 0 | 90 | 180 | 270;
}

/** Share of irregular frame intervals among the sampled video packets, or undefined with too few packets. */
function irregularShare(packets: FfprobeJson['packets'], streamIndex: number): number | undefined {
  const dts = (packets ?? [])
    .filter((p) => p.stream_index === streamIndex)
    .map((p) => Number(p.dts_time))
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b);
  const intervals: number[] = [];
  for (let i = 1; i < dts.length; i += 1) {
    const d = dts[i]! - dts[i - 1]!;
    if (d > 0) intervals.push(d);
  }
  if (intervals.length < 3) return undefined;
  const sorted = [...intervals].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const irregular = intervals.filter((d) => Math.abs(d - median) / median > INTERVAL_TOLERANCE).length;
  return irregular / intervals.length;
}

function isVfr(fps: Rational, avgFps: Rational, share: number | undefined): boolean {
  const r = rationalValue(fps);
  const avg = rationalValue(avgFps);
  // r_frame_rate is the lowest rate that represents all timestamps, avg is frames / duration: a file that
  // switches rate (phones under low light, screen recorders) shows them apart.
  const ratesDiffer = r > 0 && avg > 0 && Math.abs(r - avg) / r > RATE_TOLERANCE;
  return ratesDiffer || (share !== undefined && share > IRREGULAR_SHARE);
}

function isStillFormat(formatName: string): boolean {
  // image2 (by extension) and the *_pipe image demuxers (png_pipe, jpeg_pipe, webp_pipe, …) are stills.
  return formatName === 'image2' || /(^|,)[a-z0-9]+_pipe(,|$)/.test(formatName);
}

function corrupt(path: string, reason: string): never {
  throw cutroomError('MEDIA_CORRUPT', `${path}: ${reason}`, { path, reason });
}

export function parseProbeOutput(input: ParseProbeInput): MediaInfo {
  const { json, sizeBytes, path } = input;
  const format = json.format ?? {};
  const formatName = format.format_name ?? 'unknown';
  const streams = json.streams ?? [];
  const formatDurationMs = secondsToMs(format.duration);

  // Cover art in audio files is a video stream with attached_pic: not the picture track.
  const videoStream = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const audioStream = streams.find((s) => s.codec_type === 'audio');
  if (!videoStream && !audioStream) {
    throw cutroomError('UNSUPPORTED_MEDIA', `${path}: no audio or video stream (format ${formatName})`, {
      path,
      format_name: formatName,
    });
  }

  const still = videoStream !== undefined && isStillFormat(formatName);
  let video: VideoStreamInfo | undefined;
  if (videoStream) {
    const width = videoStream.width ?? 0;
    const height = videoStream.height ?? 0;
    if (width <= 0 || height <= 0) corrupt(path, 'video stream has no frame size (cannot be decoded)');
    const sarRaw = parseRational(videoStream.sample_aspect_ratio);
    const sar = sarRaw.num > 0 ? sarRaw : { num: 1, den: 1 };
    const rotation = rotationOf(videoStream);
    // SAR stretches the coded width; rotation then swaps the axes.
    const squareWidth = Math.round((width * sar.num) / sar.den);
    const swap = rotation === 90 || rotation === 270;
    const fps = parseRational(videoStream.r_frame_rate);
    const avgFps = parseRational(videoStream.avg_frame_rate);
    const durationMs = still
      ? 0
      : (secondsToMs(videoStream.duration) ?? tagDurationMs(videoStream.tags) ?? formatDurationMs);
    if (!still && (durationMs === undefined || durationMs <= 0)) {
      corrupt(path, 'video stream has no duration (no decodable frames)');
    }
    const nbFrames = Number(videoStream.nb_frames);
    video = {
      index: videoStream.index ?? 0,
      codec: videoStream.codec_name ?? 'unknown',
      width,
      height,
      display_width: swap ? height : squareWidth,
      display_height: swap ? squareWidth : height,
      fps,
      avg_fps: avgFps,
      vfr: still ? false : isVfr(fps, avgFps, irregularShare(json.packets, videoStream.index ?? 0)),
      rotation,
      sar,
      pix_fmt: videoStream.pix_fmt ?? 'unknown',
      ...(Number.isInteger(nbFrames) && nbFrames > 0 ? { frame_count: nbFrames } : {}),
      duration_ms: durationMs ?? 0,
      start_ms: still ? 0 : (secondsToMs(videoStream.start_time) ?? 0),
      still,
    };
  }

  let audio: AudioStreamInfo | undefined;
  if (audioStream) {
    const sampleRate = Number(audioStream.sample_rate ?? 0);
    const channels = audioStream.channels ?? 0;
    if (!(sampleRate > 0) || channels <= 0) corrupt(path, 'audio stream has no sample rate or channels');
    const durationMs =
      secondsToMs(audioStream.duration) ?? tagDurationMs(audioStream.tags) ?? formatDurationMs ?? 0;
    if (!video && durationMs <= 0) corrupt(path, 'audio stream has no duration (no decodable samples)');
    audio = {
      index: audioStream.index ?? 0,
      codec: audioStream.codec_name ?? 'unknown',
      sample_rate: sampleRate,
      channels,
      channel_layout:
        audioStream.channel_layout ?? (channels === 1 ? 'mono' : channels === 2 ? 'stereo' : ''),
      duration_ms: durationMs,
      start_ms: secondsToMs(audioStream.start_time) ?? 0,
    };
  }

  const kind: MediaInfo['kind'] = video ? (still ? 'image' : 'video') : 'audio';
  const durationMs =
    kind === 'image' ? 0 : (formatDurationMs ?? Math.max(video?.duration_ms ?? 0, audio?.duration_ms ?? 0));
  const bitRate = Number(format.bit_rate);
  const timecode =
    format.tags?.timecode ?? streams.find((s) => s.tags?.timecode !== undefined)?.tags?.timecode;

  return {
    kind,
    format_name: formatName,
    duration_ms: durationMs,
    size_bytes: sizeBytes,
    ...(Number.isFinite(bitRate) && bitRate > 0 ? { bit_rate: bitRate } : {}),
    ...(video ? { video } : {}),
    ...(audio ? { audio } : {}),
    stream_count: streams.length,
    ...(timecode !== undefined ? { timecode } : {}),
  };
}

/**
 * An image's EXIF orientation, as ffprobe reports it on the decoded frame (a display matrix in the frame's side
 * data, not on the stream). The ffmpeg CLI autorotates by it, so the probe must report the displayed size too,
 * or the planner would fit a 3000x4000 portrait photo as if it were 4000x3000 and stretch it.
 */
export function withFrameRotation(
  info: MediaInfo,
  frame: { side_data_list?: Array<{ side_data_type?: string; rotation?: number }> } | undefined,
): MediaInfo {
  const video = info.video;
  if (!video || !frame) return info;
  const rotation = rotationOf({ side_data_list: frame.side_data_list } as FfprobeStream);
  if (rotation === 0) return info;
  const swap = rotation === 90 || rotation === 270;
  const squareWidth = Math.round((video.width * video.sar.num) / video.sar.den);
  return {
    ...info,
    video: {
      ...video,
      rotation,
      display_width: swap ? video.height : squareWidth,
      display_height: swap ? squareWidth : video.height,
    },
  };
}
