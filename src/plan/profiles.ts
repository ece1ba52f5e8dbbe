/**
 * Render profiles as data: each fixes the canvas, the frame grid, the pixel format and the codec settings, so a
 * timeline renders the same way on every machine. Served by GET /video/presets (listProfiles).
 */
import { cutroomError } from '../errors.js';
import type { Rational } from '../timeline/index.js';

export interface RenderProfile {
  id: string;
  description: string;
  width: number;
  height: number;
  fps: Rational;
  pix_fmt: string;
  container: 'mp4' | 'mov';
  video: {
    codec: string;
    /** x264 CRF; hardware encoders map it to their own quality knob. */
    crf?: number;
    preset?: string;
    /** prores_ks profile number (3 = HQ). */
    prores_profile?: number;
    /** Keyframe interval in frames (closed GOPs keep chunked renders joinable). */
    gop?: number;
  };
  audio: { codec: string; bitrate?: string; sample_rate: number; channels: number };
  /**
   * Integrated loudness target (EBU R128, LUFS); none = untouched levels. Renders measure the mix first and apply
   * one gain + limiter (CompileInput.loudness_measurement); plans without a measurement use single-pass loudnorm.
   */
  loudness_lufs?: number;
  /** ffmpeg -threads for encoding. */
  threads: number;
}

const FPS30 = { num: 30, den: 1 };

export const PROFILES: readonly RenderProfile[] = [
  {
    id: 'draft_360p',
    description: 'Fast draft: 640x360, 30 fps, H.264 CRF 30 veryfast, AAC 96k.',
    width: 640,
    height: 360,
    fps: FPS30,
    pix_fmt: 'yuv420p',
    container: 'mp4',
    video: { codec: 'libx264', crf: 30, preset: 'veryfast', gop: 60 },
    audio: { codec: 'aac', bitrate: '96k', sample_rate: 48000, channels: 2 },
    threads: 2,
  },
  {
    id: 'draft_480p_fast',
    description: 'Fastest draft: 854x480, 30 fps, H.264 CRF 30 ultrafast, AAC 96k.',
    width: 854,
    height: 480,
    fps: FPS30,
    pix_fmt: 'yuv420p',
    container: 'mp4',
    video: { codec: 'libx264', crf: 30, preset: 'ultrafast', gop: 60 },
    audio: { codec: 'aac', bitrate: '96k', sample_rate: 48000, channels: 2 },
    threads: 2,
  },
  {
    id: 'preview_720p',
    description: 'Preview: 1280x720, 30 fps, H.264 CRF 26 veryfast, AAC 128k.',
    width: 1280,
    height: 720,
    fps: FPS30,
    pix_fmt: 'yuv420p',
    container: 'mp4',
    video: { codec: 'libx264', crf: 26, preset: 'veryfast', gop: 60 },
    audio: { codec: 'aac', bitrate: '128k', sample_rate: 48000, channels: 2 },
    threads: 0,
  },
  {
    id: 'social_1080p_h264',
    description: 'Social 16:9: 1920x1080, 30 fps, H.264 CRF 20 medium, AAC 192k 48 kHz, loudness -14 LUFS.',
    width: 1920,
    height: 1080,
    fps: FPS30,
    pix_fmt: 'yuv420p',
    container: 'mp4',
    video: { codec: 'libx264', crf: 20, preset: 'medium', gop: 60 },
    audio: { codec: 'aac', bitrate: '192k', sample_rate: 48000, channels: 2 },
    loudness_lufs: -14,
    threads: 0,
  },
  {
    id: 'social_1080x1920_h264',
    description:
      'Social vertical 9:16: 1080x1920, 30 fps, H.264 CRF 20 medium, AAC 192k 48 kHz, loudness -14 LUFS.',
    width: 1080,
    height: 1920,
    fps: FPS30,
    pix_fmt: 'yuv420p',
    container: 'mp4',
    video: { codec: 'libx264', crf: 20, preset: 'medium', gop: 60 },
    audio: { codec: 'aac', bitrate: '192k', sample_rate: 48000, channels: 2 },
    loudness_lufs: -14,
    threads: 0,
  },
  {
    id: 'social_1080x1080_h264',
    description:
      'Social square 1:1: 1080x1080, 30 fps, H.264 CRF 20 medium, AAC 192k 48 kHz, loudness -14 LUFS.',
    width: 1080,
    height: 1080,
    fps: FPS30,
    pix_fmt: 'yuv420p',
    container: 'mp4',
    video: { codec: 'libx264', crf: 20, preset: 'medium', gop: 60 },
    audio: { codec: 'aac', bitrate: '192k', sample_rate: 48000, channels: 2 },
    loudness_lufs: -14,
    threads: 0,
  },
  {
    id: 'social_1080x1350_h264',
    description:
      'Social portrait 4:5: 1080x1350, 30 fps, H.264 CRF 20 medium, AAC 192k 48 kHz, loudness -14 LUFS.',
    width: 1080,
    height: 1350,
    fps: FPS30,
    pix_fmt: 'yuv420p',
    container: 'mp4',
    video: { codec: 'libx264', crf: 20, preset: 'medium', gop: 60 },
    audio: { codec: 'aac', bitrate: '192k', sample_rate: 48000, channels: 2 },
    loudness_lufs: -14,
    threads: 0,
  },
  {
    // HEVC output (libx265, Main profile, 8-bit 4:2:0): what smart render copies HEVC sources into. The MP4 sample
    // entry is ffmpeg's default `hev1`, which allows parameter sets in-band (each piece of a smart render carries
    // its own VPS/SPS/PPS).
    id: 'draft_360p_hevc',
    description: 'Fast draft in HEVC: 640x360, 30 fps, H.265 (libx265 Main) CRF 30 veryfast, AAC 96k.',
    width: 640,
    height: 360,
    fps: FPS30,
    pix_fmt: 'yuv420p',
    container: 'mp4',
    video: { codec: 'libx265', crf: 30, preset: 'veryfast', gop: 60 },
    audio: { codec: 'aac', bitrate: '96k', sample_rate: 48000, channels: 2 },
    threads: 2,
  },
  {
    id: 'master_4k_prores',
    description: 'Master: 3840x2160, 30 fps, ProRes 422 HQ 10-bit, PCM 16-bit 48 kHz, in .mov.',
    width: 3840,
    height: 2160,
    fps: FPS30,
    pix_fmt: 'yuv422p10le',
    container: 'mov',
    video: { codec: 'prores_ks', prores_profile: 3 },
    audio: { codec: 'pcm_s16le', sample_rate: 48000, channels: 2 },
    threads: 0,
  },
];

/** All profiles (for the presets endpoint). */
export function listProfiles(): readonly RenderProfile[] {
  return PROFILES;
}

/** A profile by id, or UNKNOWN_PROFILE listing the valid ids. */
export function getProfile(id: string): RenderProfile {
  const profile = PROFILES.find((p) => p.id === id);
  if (!profile) {
    const valid = PROFILES.map((p) => p.id);
    throw cutroomError('UNKNOWN_PROFILE', `unknown render profile "${id}"; valid: ${valid.join(', ')}`, {
      profile: id,
      valid,
    });
  }
  return profile;
}
