/**
 * Output codec arguments for a profile and an encoder choice. The profile states quality as an x264 CRF; a
 * hardware H.264 encoder gets the closest equivalent of its own (nvenc -cq, qsv -global_quality, vaapi -qp,
 * videotoolbox -q:v), and the reason for the choice is recorded in the plan meta.
 */
import type { RenderProfile } from './profiles.js';
import type { EncoderChoice } from './types.js';
import { formatNumber } from './format.js';

export interface EncoderArgsResult {
  encoder: EncoderChoice;
  args: string[];
  /** The video half of `args` (codec, quality, GOP, pix_fmt). */
  videoArgs: string[];
  /** The audio half of `args` (codec, bitrate, rate, channels). */
  audioArgs: string[];
  /** Filters appended to the end of the video chain (vaapi needs its frames uploaded to the GPU). */
  videoTail: string[];
  /** Global options placed before the inputs (hardware device setup). */
  globalArgs: string[];
  /** libx264 needs `+cgop` in its codec flags for closed GOPs (merged with +bitexact by the caller). */
  closedGop: boolean;
}

function cpuEncoder(profile: RenderProfile, reason: string): EncoderChoice {
  return { video_encoder: profile.video.codec, kind: 'cpu', reason };
}

export function encoderArgs(options: {
  profile: RenderProfile;
  encoder?: EncoderChoice;
  /**
   * Force a keyframe every N frames and make every GOP closed, so chunks rendered separately start with an IDR
   * frame and can be joined without re-encoding. Without it, the profile's `gop` (a maximum only: x264 still
   * puts keyframes at scene cuts).
   */
  gopFrames?: number;
}): EncoderArgsResult {
  const { profile } = options;
  const v = profile.video;
  let encoder = options.encoder;
  const isH264Profile = v.codec === 'libx264';
  if (!encoder) encoder = cpuEncoder(profile, 'no hardware encoder offered; CPU encoder of the profile');
  else if (encoder.kind !== 'cpu' && !isH264Profile)
    encoder = cpuEncoder(
      profile,
      `${v.codec} profile: hardware H.264 encoder ${encoder.video_encoder} does not apply`,
    );
  else if (encoder.kind === 'cpu') encoder = { ...encoder, video_encoder: v.codec };

  const crf = v.crf ?? 23;
  const args: string[] = [];
  const videoTail: string[] = [];
  const globalArgs: string[] = [];
  switch (encoder.kind) {
    case 'cpu':
      args.push('-c:v', v.codec);
      if (v.codec === 'libx264') {
        args.push('-preset', v.preset ?? 'medium', '-crf', formatNumber(crf), '-profile:v', 'high');
      } else if (v.codec === 'libx265') {
        args.push('-preset', v.preset ?? 'medium', '-crf', formatNumber(crf), '-profile:v', 'main');
      } else if (v.codec === 'prores_ks') {
        args.push('-profile:v', formatNumber(v.prores_profile ?? 3), '-vendor', 'apl0');
      } else if (v.codec === 'libvpx-vp9') {
        // Constant quality (-b:v 0 makes -crf the target, not a cap); row-mt uses both cores at 1080p.
        args.push(
          '-crf',
          formatNumber(crf),
          '-b:v',
          '0',
          '-deadline',
          'good',
          '-cpu-used',
          '4',
          '-row-mt',
          '1',
        );
      } else if (v.codec === 'libsvtav1') {
        args.push('-crf', formatNumber(crf), '-preset', v.preset ?? '8');
      } else if (v.codec === 'mjpeg') {
        args.push('-q:v', '2');
      }
      break;
    case 'nvenc':
      args.push(
        '-c:v',
        encoder.video_encoder,
        '-preset',
        'p4',
        '-rc',
        'vbr',
        '-cq',
        formatNumber(crf),
        '-b:v',
        '0',
      );
      break;
    case 'qsv':
      args.push('-c:v', encoder.video_encoder, '-global_quality', formatNumber(crf));
      break;
    case 'vaapi':
      globalArgs.push('-init_hw_device', 'vaapi=va', '-filter_hw_device', 'va');
      videoTail.push('format=nv12', 'hwupload');
      args.push('-c:v', encoder.video_encoder, '-qp', formatNumber(crf));
      break;
    case 'videotoolbox':
      // -q:v runs 1..100 (higher is better); CRF 18 ≈ 70, CRF 30 ≈ 40.
      args.push(
        '-c:v',
        encoder.video_encoder,
        '-q:v',
        formatNumber(Math.max(1, Math.min(100, 115 - 2.5 * crf))),
      );
      break;
  }
  const gop = options.gopFrames;
  // Image and GIF encoders have no GOP.
  const still = v.codec === 'gif' || v.codec === 'mjpeg' || v.codec === 'png';
  if (still) {
    // No keyframe interval.
  } else if (gop !== undefined && v.codec !== 'prores_ks') {
    // -g alone is a maximum, and x264 also starts GOPs at scene cuts and counts keyint its own way (it clamps
    // keyint_min to keyint/2+1), so keyframes drift off the chunk grid. force_key_frames puts one on exactly
    // every N-th output frame for any encoder; forced-idr makes each an IDR (plus closed GOPs, `+cgop`), and
    // sc_threshold 0 stops the extra scene-cut keyframes.
    const g = formatNumber(gop);
    args.push('-g', g, '-force_key_frames', `expr:eq(mod(n,${g}),0)`);
    if (encoder.kind === 'cpu') args.push('-sc_threshold', '0', '-forced-idr', '1');
    else if (encoder.kind === 'nvenc') args.push('-forced-idr', '1');
  } else if (v.gop !== undefined) args.push('-g', formatNumber(v.gop));
  if (encoder.kind === 'cpu' && v.codec === 'libx265') {
    // x265 logs every encode to stderr unless told not to; chunks need closed GOPs (x265 writes open ones by
    // default, CRA frames whose leading pictures reference the GOP before) and no extra scene-cut keyframes.
    const x265 = ['log-level=error', ...(gop !== undefined ? ['open-gop=0', 'scenecut=0'] : [])];
    args.push('-x265-params', x265.join(':'));
  }
  if (encoder.kind === 'vaapi') {
    // The pix_fmt is set by the upload chain (nv12 on the GPU).
  } else if (v.codec === 'gif') {
    // paletteuse already delivers pal8, the GIF encoder's format.
  } else {
    args.push('-pix_fmt', profile.pix_fmt);
  }

  const a = profile.audio;
  const audioArgs: string[] = ['-c:a', a.codec];
  if (a.bitrate) audioArgs.push('-b:a', a.bitrate);
  audioArgs.push('-ar', formatNumber(a.sample_rate), '-ac', formatNumber(a.channels));
  return {
    encoder,
    args: [...args, ...audioArgs],
    videoArgs: args,
    audioArgs,
    videoTail,
    globalArgs,
    closedGop: gop !== undefined && encoder.kind === 'cpu' && v.codec === 'libx264',
  };
}
