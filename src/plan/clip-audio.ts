/**
 * The audio of one clip segment: exactly `samples` samples at the profile rate and layout, so audio and video
 * stay in sync whatever the source has (no audio, audio shorter or longer than its video, another rate).
 * `apad` + `atrim=end_sample=` make the count exact; a source without usable audio becomes silence.
 */
import { isClipMuted, type Keyframe } from '../timeline/index.js';
import { keyframeExpr } from './automation/keyframe-expr.js';
import type { ClipRef } from './clip-ref.js';
import { escapeFilterValue, formatNumber } from './format.js';
import { frameMs, type FrameGrid } from './frame-grid.js';
import type { GraphBuilder } from './graph.js';

function n(x: number): string {
  return formatNumber(x);
}

export function channelLayout(channels: number): string {
  return channels === 1 ? 'mono' : 'stereo';
}

/** A silent stream of exactly `samples` samples. */
export function silence(options: {
  g: GraphBuilder;
  sampleRate: number;
  channels: number;
  samples: number;
}): string {
  const { g, sampleRate, channels, samples } = options;
  const out = g.fresh('a');
  g.statements.push(
    `anullsrc=r=${n(sampleRate)}:cl=${channelLayout(channels)},atrim=end_sample=${n(samples)}${out}`,
  );
  return out;
}

/** atempo accepts 0.5..2 per instance (ffmpeg 5.1 allows up to 100 but quality drops past 2): chain stages. */
export function atempoChain(speed: number): string[] {
  const stages: string[] = [];
  let s = speed;
  while (s > 2) {
    stages.push('atempo=2');
    s /= 2;
  }
  while (s < 0.5) {
    stages.push('atempo=0.5');
    s /= 0.5;
  }
  if (Math.abs(s - 1) > 1e-9) stages.push(`atempo=${n(s)}`);
  return stages;
}

export interface AudioSegmentOptions {
  g: GraphBuilder;
  ref: ClipRef;
  grid: FrameGrid;
  inputIndex: number;
  p0: number;
  count: number;
  samples: number;
  /** Samples of silence at the start (frames held before the source's first frame). */
  leadSamples: number;
  channels: number;
  /** False on muted tracks/clips: silence. */
  audible: boolean;
  /** Filters run first on the decoded source audio (stabilise's trim to the window). */
  pre?: string[];
  /**
   * Repeat the source range (the input reads exactly it): `rangeSamples` output samples long, the segment
   * starting `offsetSamples` into the repeated stream.
   */
  loop?: { rangeSamples: number; offsetSamples: number };
}

export function buildAudioSegment(o: AudioSegmentOptions): string {
  const { g, ref, grid, samples } = o;
  const clip = ref.clip;
  const sr = grid.sampleRate;
  if (!o.audible || !ref.hasAudio || ref.freeze || ref.still || isClipMuted(clip)) {
    return silence({ g, sampleRate: sr, channels: o.channels, samples });
  }
  const f: string[] = [...(o.pre ?? []), 'asetpts=PTS-STARTPTS'];
  if (ref.reverse) f.push('areverse');
  f.push(...atempoChain(clip.speed));
  f.push(`aresample=${n(sr)}`, `aformat=sample_fmts=fltp:channel_layouts=${channelLayout(o.channels)}`);
  if (o.loop) {
    // aloop repeats the first `size` samples it buffers (all of them if the stream ends sooner: a source a few
    // samples short of its probed length still loops seamlessly). It holds the range in memory: 384 KB/s at
    // 48 kHz stereo float.
    const { rangeSamples, offsetSamples } = o.loop;
    f.push(`atrim=end_sample=${n(rangeSamples)}`, `aloop=loop=-1:size=${n(rangeSamples)}`);
    if (offsetSamples > 0) f.push(`atrim=start_sample=${n(offsetSamples)}`);
    f.push('asetpts=PTS-STARTPTS');
  }
  if (o.leadSamples > 0) f.push(`adelay=delays=${n(o.leadSamples)}S:all=1`);

  // Segment-local time t relates to clip time by t_clip = t + p0·frame.
  const fms = frameMs(grid);
  const p0s = (o.p0 * fms) / 1000;
  const segS = (o.count * fms) / 1000;
  const clipS = ((ref.endF - ref.startF) * fms) / 1000;

  const gains: string[] = [];
  const volumeKeys: Keyframe[] | undefined = clip.automation.find((a) => a.param === 'volume')?.keyframes;
  if (volumeKeys)
    gains.push(`(${keyframeExpr({ keyframes: volumeKeys, timeVar: 't', offsetSeconds: -p0s })})`);
  else if (clip.volume !== 1) gains.push(n(clip.volume));

  // Fades: afade when the fade starts inside the segment; a gain expression when the segment begins mid-fade
  // (afade cannot start before its stream).
  const fades: string[] = [];
  const fi = clip.audio_fade_in_ms / 1000;
  if (fi > 0) {
    const start = -p0s;
    if (start >= 0 && start < segS) fades.push(`afade=t=in:st=${n(start)}:d=${n(fi)}`);
    else if (start < 0 && start + fi > 0) gains.push(`clip((t+${n(p0s)})/${n(fi)},0,1)`);
  }
  const fo = clip.audio_fade_out_ms / 1000;
  if (fo > 0) {
    const start = clipS - fo - p0s;
    if (start >= 0 && start < segS) fades.push(`afade=t=out:st=${n(start)}:d=${n(fo)}`);
    else if (start < 0 && start + fo > 0) gains.push(`clip(1-(t-(${n(start)}))/${n(fo)},0,1)`);
  }
  if (gains.length > 0) {
    const perFrame = gains.some((x) => x.includes('t'));
    f.push(`volume=volume=${escapeFilterValue(gains.join('*'))}${perFrame ? ':eval=frame' : ''}`);
  }
  f.push(...fades);
  f.push(`apad=whole_len=${n(samples)}`, `atrim=end_sample=${n(samples)}`);
  const out = g.fresh('a');
  g.chain([`[${o.inputIndex}:a]`], f, out);
  return out;
}
