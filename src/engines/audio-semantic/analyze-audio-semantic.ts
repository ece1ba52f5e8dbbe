/**
 * Audio semantic timeline: speech / music / silence windows, EBU R 128 loudness and loud peaks, from ONE ffmpeg
 * decode (48 kHz float PCM): the loudness meter reads it as is, the VAD a 16 kHz mono downsample made here.
 * Long files are read in chunks so memory stays bounded (≈ 55 MB per 5-minute stereo chunk).
 */
import { cutroomError, type Warning } from '../../errors.js';
import { readPcm } from '../../ffmpeg/frames.js';
import type { MediaInfo } from '../../timeline/media-info.js';
import { createDownsampler48kTo16k } from './downsample.js';
import { findPeaks, type LoudnessPeak } from './find-peaks.js';
import { createLoudnessMeter, type LoudnessPoint } from './loudness-meter.js';
import { segmentAudio, type AudioWindow, type SegmentAudioOptions } from './segment-audio.js';
import { createSpectralAnalyzer, type SpectralFrame } from './spectral-features.js';
import {
  createEnergyVad,
  createSileroVad,
  defaultVadModelPath,
  VAD_SAMPLE_RATE,
  VAD_WINDOW,
  type VadBackend,
} from './vad-backend.js';

/** Bump whenever thresholds, features or output shape change: part of every cache key. */
export const AUDIO_SEMANTIC_BACKEND_VERSION = 'cutroom-audio-semantic-1';
const PCM_RATE = 48000;
const CHUNK_MS = 5 * 60 * 1000;
const FRAME_MS = (VAD_WINDOW * 1000) / VAD_SAMPLE_RATE;

export interface AudioSemanticTimeline {
  duration_ms: number;
  windows: AudioWindow[];
  /** Every `loudness_step_ms`: momentary (400 ms) and short-term (3 s) loudness ending at t_ms. */
  loudness: LoudnessPoint[];
  loudness_step_ms: number;
  peaks: LoudnessPeak[];
  integrated_lufs: number | null;
  sample_peak_dbfs: number | null;
}

export interface AnalyzeAudioSemanticInput {
  path: string;
  info: MediaInfo;
  /** Silero VAD .onnx; default defaultVadModelPath(). A missing file selects the energy stub (with a warning). */
  modelPath?: string;
  loudnessStepMs?: number;
  segmentOptions?: SegmentAudioOptions;
  signal?: AbortSignal;
}

export interface AnalyzeAudioSemanticResult {
  timeline: AudioSemanticTimeline;
  backend: { name: string; stub: boolean };
  warnings: Warning[];
}

export async function selectVadBackend(modelPath: string): Promise<{ vad: VadBackend; warnings: Warning[] }> {
  try {
    return { vad: await createSileroVad({ modelPath }), warnings: [] };
  } catch (err) {
    return {
      vad: createEnergyVad(),
      warnings: [
        {
          code: 'AUDIO_SEMANTIC_STUB_BACKEND',
          message: `Silero VAD unavailable (${(err as Error).message}); used an energy-based stub that cannot tell speech from other sound. Run scripts/fetch-vad-model.sh.`,
          path: 'backend',
        },
      ],
    };
  }
}

export async function analyzeAudioSemantic({
  path,
  info,
  modelPath = defaultVadModelPath(),
  loudnessStepMs = 100,
  segmentOptions,
  signal,
}: AnalyzeAudioSemanticInput): Promise<AnalyzeAudioSemanticResult> {
  const audio = info.audio;
  if (audio === undefined)
    throw cutroomError('UNSUPPORTED_MEDIA', 'the file has no audio stream to analyse', { kind: info.kind });
  if (!Number.isInteger(loudnessStepMs) || loudnessStepMs < 100 || loudnessStepMs % 100 !== 0)
    throw cutroomError('INVALID_PARAM', `loudness_step_ms must be a multiple of 100, got ${loudnessStepMs}`, {
      path: 'loudness_step_ms',
    });
  // Surround is downmixed to stereo by ffmpeg: BS.1770 channel weights beyond L/R are not modelled.
  const channels = Math.min(2, Math.max(1, audio.channels));
  const { vad, warnings } = await selectVadBackend(modelPath);
  try {
    const meter = createLoudnessMeter({ sampleRate: PCM_RATE, channels, stepMs: loudnessStepMs });
    const down = createDownsampler48kTo16k({ channels });
    const spectralOf = createSpectralAnalyzer({ size: VAD_WINDOW, sampleRate: VAD_SAMPLE_RATE });
    const probs: number[] = [];
    const spectral: SpectralFrame[] = [];
    let pending = new Float32Array(0);
    let totalFrames = 0;

    const feed = async (pcm: Float32Array) => {
      meter.push(pcm);
      totalFrames += Math.floor(pcm.length / channels);
      const mono = down.push(pcm);
      const buf = new Float32Array(pending.length + mono.length);
      buf.set(pending, 0);
      buf.set(mono, pending.length);
      let off = 0;
      for (; off + VAD_WINDOW <= buf.length; off += VAD_WINDOW) {
        signal?.throwIfAborted();
        const w = buf.subarray(off, off + VAD_WINDOW);
        probs.push(await vad.process(w));
        spectral.push(spectralOf(w));
      }
      pending = buf.slice(off);
    };

    const total = Math.max(info.duration_ms, audio.duration_ms);
    if (total <= CHUNK_MS * 2) {
      await feed(await readPcm({ path, sampleRate: PCM_RATE, channels, ...(signal ? { signal } : {}) }));
    } else {
      for (let start = 0; start < total; start += CHUNK_MS) {
        const pcm = await readPcm({
          path,
          sampleRate: PCM_RATE,
          channels,
          startMs: start,
          durationMs: CHUNK_MS,
          ...(signal ? { signal } : {}),
        });
        if (pcm.length === 0) break;
        await feed(pcm);
      }
    }
    const durationMs = Math.round((totalFrames * 1000) / PCM_RATE);
    const loud = meter.finish();
    const windows = segmentAudio({
      probs,
      spectral,
      frameMs: FRAME_MS,
      durationMs,
      ...(segmentOptions ? { options: segmentOptions } : {}),
    });
    if (durationMs === 0)
      warnings.push({
        code: 'AUDIO_SEMANTIC_EMPTY',
        message: 'the audio stream decoded to no samples',
        path: 'audio',
      });
    return {
      timeline: {
        duration_ms: durationMs,
        windows,
        loudness: loud.points,
        loudness_step_ms: loudnessStepMs,
        peaks: findPeaks({
          points: loud.points,
          integratedLufs: loud.integrated_lufs,
          blockPeaksDbfs: loud.block_peaks_dbfs,
        }),
        integrated_lufs: loud.integrated_lufs,
        sample_peak_dbfs: loud.sample_peak_dbfs,
      },
      backend: { name: vad.name, stub: vad.stub },
      warnings,
    };
  } finally {
    await vad.close();
  }
}
