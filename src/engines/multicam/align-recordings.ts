/**
 * Aligns 2–4 recordings to a reference: decode each once (mono mixdown at 16 kHz), estimate every camera's
 * offset and drift against the reference from audio, and prefer container timecode when both files carry one
 * that agrees with the audio (or when the audio gives no reliable answer). Offsets are in media time: the audio
 * streams' start times (relative to each file's earliest stream) are folded in, so a camera whose audio starts
 * 100 ms after its video is handled.
 */
import { cutroomError, type Warning } from '../../errors.js';
import { readPcm } from '../../ffmpeg/frames.js';
import type { MediaInfo } from '../../timeline/media-info.js';
import { driftCorrection } from './drift-correction.js';
import { estimateOffset, type OffsetEstimate } from './estimate-offset.js';
import { timecodeToMs } from './timecode.js';
import type { AlignParams, AlignmentPair, MulticamAlignment } from './types.js';

export interface Recording {
  id: string;
  path: string;
  info: MediaInfo;
}

export interface AlignRecordingsInput {
  recordings: Recording[];
  referenceId: string;
  params: AlignParams;
  signal?: AbortSignal;
}

export interface AlignRecordingsResult {
  alignment: MulticamAlignment;
  warnings: Warning[];
  /** Time spent decoding and correlating, ms (not part of the alignment: it must be deterministic). */
  timings: { decode_ms: number; correlate_ms: number };
}

/** Fine-pass rate: 16 kHz keeps speech up to 7 kHz; sub-sample interpolation gives µs-level precision. */
export const SYNC_SAMPLE_RATE = 16000;

export const MULTICAM_SYNC_UNRELIABLE = 'MULTICAM_SYNC_UNRELIABLE';
export const MULTICAM_OFFSET_CLAMPED = 'MULTICAM_OFFSET_CLAMPED';
export const MULTICAM_TIMECODE_IGNORED = 'MULTICAM_TIMECODE_IGNORED';

export function validateAlignParams({ params, count }: { params: AlignParams; count: number }): void {
  const issues: { path: string; message: string }[] = [];
  if (count < 2 || count > 4) issues.push({ path: 'asset_ids', message: 'must name 2 to 4 recordings' });
  const { search_window_ms: win, max_offset_ms: max } = params;
  if (win !== undefined && !(Number.isInteger(win) && win >= 500 && win <= 60000))
    issues.push({ path: 'search_window_ms', message: 'must be an integer from 500 to 60000' });
  if (max !== undefined && !(Number.isInteger(max) && max >= 0 && max <= 86_400_000))
    issues.push({ path: 'max_offset_ms', message: 'must be an integer from 0 to 86400000' });
  if (issues.length > 0)
    throw cutroomError('INVALID_PARAM', issues.map((i) => `${i.path} ${i.message}`).join('; '), { issues });
}

/**
 * Media time 0 of a file: its earliest stream start. ffmpeg's input -ss counts from there, and so do timeline
 * source times. MP3 shows why the audio start alone is wrong: ffprobe reports the first sample after the encoder
 * delay at 25 ms, yet -ss 0 (and our decode) begins with that very sample.
 */
function mediaOrigin(info: MediaInfo): number {
  const starts = [info.audio?.start_ms, info.video?.start_ms].filter((v): v is number => v !== undefined);
  return starts.length > 0 ? Math.min(...starts) : 0;
}

/** Where the decoded audio's first sample sits in media time. */
function audioStart(info: MediaInfo): number {
  return info.audio ? info.audio.start_ms - mediaOrigin(info) : 0;
}

/** Timecode of media time 0 on the real clock (the container timecode belongs to the first video frame). */
function timecodeOrigin(info: MediaInfo): number | null {
  if (!info.timecode || !info.video) return null;
  const tc = timecodeToMs({ timecode: info.timecode, fps: info.video.fps });
  return tc === null ? null : tc - (info.video.start_ms - mediaOrigin(info));
}

function frameMs(info: MediaInfo): number {
  const fps = info.video ? info.video.fps.num / info.video.fps.den : 0;
  return fps > 0 ? 1000 / fps : 40;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

export async function alignRecordings(input: AlignRecordingsInput): Promise<AlignRecordingsResult> {
  const { recordings, referenceId, params, signal } = input;
  validateAlignParams({ params, count: recordings.length });
  const ref = recordings.find((r) => r.id === referenceId);
  if (!ref)
    throw cutroomError('INVALID_PARAM', 'reference_asset_id must be one of asset_ids', {
      issues: [{ path: 'reference_asset_id', message: 'must be one of asset_ids' }],
    });
  const warnings: Warning[] = [];

  const decodeStarted = performance.now();
  const pcm = new Map<string, Float32Array>();
  // Two decoders at a time: the machine has two cores and each ffmpeg decode is single-threaded for audio.
  const withAudio = recordings.filter((r) => r.info.audio !== undefined);
  for (let i = 0; i < withAudio.length; i += 2) {
    const batch = withAudio.slice(i, i + 2);
    const decoded = await Promise.all(
      batch.map((r) =>
        readPcm({ path: r.path, sampleRate: SYNC_SAMPLE_RATE, channels: 1, ...(signal ? { signal } : {}) }),
      ),
    );
    batch.forEach((r, k) => pcm.set(r.id, decoded[k]!));
  }
  const decodeMs = performance.now() - decodeStarted;

  const correlateStarted = performance.now();
  const refPcm = pcm.get(ref.id);
  const refTc = timecodeOrigin(ref.info);
  const pairs: AlignmentPair[] = [];
  for (const [index, cam] of recordings.entries()) {
    if (cam.id === ref.id) continue;
    signal?.throwIfAborted();
    const camPcm = pcm.get(cam.id);
    let estimate: OffsetEstimate | null = null;
    let audioOffsetMs: number | null = null;
    if (refPcm && camPcm) {
      estimate = estimateOffset({
        ref: refPcm,
        cam: camPcm,
        sampleRate: SYNC_SAMPLE_RATE,
        ...(params.search_window_ms !== undefined ? { windowMs: params.search_window_ms } : {}),
        ...(params.max_offset_ms !== undefined ? { maxOffsetMs: params.max_offset_ms } : {}),
      });
      // PCM time 0 is each audio stream's first sample: fold the streams' start times back in.
      const refStart = audioStart(ref.info);
      const camStart = audioStart(cam.info);
      audioOffsetMs = estimate.offsetMs + refStart - camStart * (1 + estimate.driftPpm * 1e-6);
    }
    const camTc = timecodeOrigin(cam.info);
    const tcOffsetMs = refTc !== null && camTc !== null ? camTc - refTc : null;
    const audioOk = estimate?.status === 'ok' && audioOffsetMs !== null;
    const tolerance = Math.max(2 * frameMs(ref.info), 2 * frameMs(cam.info));

    let method: AlignmentPair['method'] = 'audio';
    let status: AlignmentPair['status'] = estimate?.status ?? 'SYNC_UNRELIABLE';
    let offsetMs = audioOffsetMs ?? 0;
    const notes: string[] = [];
    if (!refPcm || !camPcm) notes.push(`no audio stream in ${!refPcm ? 'the reference' : 'this recording'}`);
    else if (estimate?.reason) notes.push(estimate.reason);
    if (tcOffsetMs !== null) {
      if (!audioOk) {
        method = 'timecode';
        status = 'ok';
        offsetMs = tcOffsetMs;
        notes.unshift('audio gave no reliable offset: container timecode used');
      } else if (Math.abs(tcOffsetMs - audioOffsetMs!) <= tolerance) {
        method = 'timecode';
        offsetMs = tcOffsetMs;
        notes.unshift(
          `container timecode agrees with audio (${round(tcOffsetMs - audioOffsetMs!, 1)} ms apart): timecode used`,
        );
      } else {
        notes.unshift(
          `container timecode disagrees with audio by ${round(tcOffsetMs - audioOffsetMs!, 1)} ms: audio used`,
        );
        warnings.push({
          code: MULTICAM_TIMECODE_IGNORED,
          message: `timecode of ${cam.id} disagrees with its audio by ${Math.round(tcOffsetMs - audioOffsetMs!)} ms; audio offset used`,
          path: `asset_ids[${index}]`,
        });
      }
    }
    // A camera can start at most its own length before the reference and at most the reference's length after.
    const lowMs = -cam.info.duration_ms;
    const highMs = ref.info.duration_ms;
    if (status === 'ok' && (offsetMs < lowMs || offsetMs > highMs)) {
      const clamped = Math.min(highMs, Math.max(lowMs, offsetMs));
      warnings.push({
        code: MULTICAM_OFFSET_CLAMPED,
        message: `offset ${Math.round(offsetMs)} ms of ${cam.id} is outside [${lowMs}, ${highMs}] ms and was clamped`,
        path: `asset_ids[${index}]`,
      });
      notes.push(`offset clamped from ${Math.round(offsetMs)} ms`);
      offsetMs = clamped;
    }
    if (status === 'SYNC_UNRELIABLE') {
      offsetMs = 0;
      warnings.push({
        code: MULTICAM_SYNC_UNRELIABLE,
        message: `no reliable offset for ${cam.id}: ${notes.join('; ') || 'unknown reason'}`,
        path: `asset_ids[${index}]`,
      });
    }
    const driftPpm = status === 'ok' && audioOk ? round(estimate!.driftPpm, 2) : 0;
    const windowsUsed = estimate ? estimate.windows.filter((w) => w.used).length : 0;
    const driftMeasured = audioOk && windowsUsed >= 3;
    pairs.push({
      asset_id: cam.id,
      // From the µs value, so offset_ms is always offset_us rounded (3700.4999 ms must not print as 3700).
      offset_ms: Math.round(Math.round(offsetMs * 1000) / 1000),
      offset_us: Math.round(offsetMs * 1000),
      confidence: round(estimate?.confidence ?? 0, 3),
      psr: round(estimate?.psr ?? 0, 2),
      status,
      method,
      drift_ppm: driftPpm,
      ...(notes.length > 0 ? { reason: notes.join('; ') } : {}),
      ...(tcOffsetMs !== null ? { timecode_offset_ms: Math.round(tcOffsetMs) } : {}),
      windows_used: windowsUsed,
      windows_total: estimate?.windows.length ?? 0,
      ...(params.correct_drift && driftMeasured
        ? {
            drift_correction: driftCorrection({ driftPpm, sampleRate: cam.info.audio?.sample_rate ?? 48000 }),
          }
        : {}),
    });
  }
  return {
    alignment: { reference_asset_id: ref.id, pairs },
    warnings,
    timings: {
      decode_ms: Math.round(decodeMs),
      correlate_ms: Math.round(performance.now() - correlateStarted),
    },
  };
}
