/**
 * `duck_under` compiled into the graph. Two ways, chosen per ducked track:
 * - `gain` (auto's choice whenever speech windows are known): a volume expression from duckKeyframes on the
 *   ducked track's stream. Exact depth, look-ahead attack, no dependence on how loud the speaker is.
 * - `sidechain` (auto's fallback when some key clip's asset has no audio_semantic_timeline): sidechaincompress
 *   keyed by the key tracks' sound, in parallel with a dry copy at depth_db so it never ducks deeper than asked;
 *   it also ducks under non-speech sound, cannot look ahead, and its depth still follows the key's level. The
 *   key streams are split so they still reach the mix unchanged.
 * Why gain is the default, measured on real speech over a steady bed (test/engines/transcript-edit/ducking.test.ts,
 * docs/BENCHMARKS.md): gain ducks by its depth exactly inside the speech windows and starts before the first
 * syllable (11.2 dB lower over whole passages of speech, their internal pauses included, with 0.72 dB wobble);
 * the floored sidechain reaches 10.1 dB with 0.76 dB wobble; a plain sidechaincompress (threshold −40 dBFS,
 * ratio 20) gave 8.5–16.1 dB on three passages of the same talk and 4.3 dB of pumping. Speech loudness is
 * unchanged (0.00 LU) with either.
 */
import type { Warning } from '../../errors.js';
import type { DuckUnder, Track } from '../../timeline/index.js';
import { keyframeExpr } from '../automation/keyframe-expr.js';
import { escapeFilterValue, formatNumber } from '../format.js';
import type { GraphBuilder } from '../graph.js';
import type { PlanArtifact, PlanSource } from '../types.js';
import { duckKeyframes } from './duck-gain.js';
import { speechOnTimeline } from './speech-on-timeline.js';

/** sidechaincompress threshold of the fallback: −56 dBFS (see applyDucking). */
export const SIDECHAIN_THRESHOLD = 0.0016;
/**
 * The fallback cannot look ahead (gain automation starts its attack before the speech), so its compressor attacks
 * within 20 ms of the first syllable at most: a slower attack leaves every word onset over a loud bed.
 */
export const SIDECHAIN_MAX_ATTACK_MS = 20;

export interface DuckingDetails {
  track_id: string;
  method: 'gain' | 'sidechain';
  key_track_ids: string[];
  depth_db: number;
  attack_ms: number;
  release_ms: number;
  /** Speech spans used (gain). */
  span_count?: number;
  /** Assets of key clips without an audio_semantic_timeline artifact. */
  unknown_assets?: string[];
}

interface DuckOptions {
  track_id?: string | undefined;
  depth_db: number;
  attack_ms: number;
  release_ms: number;
  method: 'auto' | 'gain' | 'sidechain';
}

function optionsOf(d: DuckUnder): DuckOptions {
  if (d === 'speech') return { depth_db: -12, attack_ms: 150, release_ms: 400, method: 'auto' };
  return {
    track_id: d.track_id,
    depth_db: d.depth_db,
    attack_ms: d.attack_ms,
    release_ms: d.release_ms,
    method: d.method,
  };
}

export function applyDucking(input: {
  g: GraphBuilder;
  tracks: readonly Track[];
  /** The audio stream label of each track that has one, by track index; replaced in place. */
  streams: Map<number, string>;
  sources: Record<string, PlanSource>;
  artifacts?: Record<string, PlanArtifact>;
  /** Timeline ms where the streams start (the render range start). */
  rangeStartMs: number;
  warnings: Warning[];
  usedArtifactIds: Set<string>;
}): DuckingDetails[] {
  const { g, tracks, streams, warnings } = input;
  const details: DuckingDetails[] = [];
  tracks.forEach((track, ti) => {
    if (track.kind !== 'audio' || track.duck_under === undefined) return;
    const path = `tracks[${ti}].duck_under`;
    const o = optionsOf(track.duck_under);
    let keys: number[];
    if (o.track_id !== undefined) {
      const k = tracks.findIndex((t) => t.id === o.track_id);
      if (k < 0 || k === ti || tracks[k]!.kind === 'text' || tracks[k]!.kind === 'caption') {
        warnings.push({
          code: 'DUCK_KEY_INVALID',
          message: `duck_under.track_id "${o.track_id}" names no other audio-carrying track; not ducked`,
          path: `${path}.track_id`,
        });
        return;
      }
      keys = [k];
    } else {
      keys = tracks
        .map((t, k) => ({ t, k }))
        .filter(({ t, k }) => k !== ti && (t.kind === 'video' || t.kind === 'overlay' || (t.kind === 'audio' && t.duck_under === undefined)))
        .map(({ k }) => k);
    }
    const own = streams.get(ti);
    if (own === undefined) return;
    const speech = speechOnTimeline({
      tracks,
      trackIndexes: keys,
      sources: input.sources,
      ...(input.artifacts ? { artifacts: input.artifacts } : {}),
    });
    const base: DuckingDetails = {
      track_id: track.id,
      method: 'gain',
      key_track_ids: keys.map((k) => tracks[k]!.id),
      depth_db: o.depth_db,
      attack_ms: o.attack_ms,
      release_ms: o.release_ms,
    };
    const keyStreams = keys.filter((k) => streams.has(k));
    const useGain = o.method === 'gain' || (o.method === 'auto' && speech.unknownAssets.length === 0) || keyStreams.length === 0;
    if (speech.unknownAssets.length > 0)
      warnings.push({
        code: 'DUCK_SPEECH_UNKNOWN',
        message: `no audio_semantic_timeline for ${speech.unknownAssets.join(', ')} (POST /video/audio-semantic/analyze); ${
          useGain ? 'their speech does not duck this track' : "ducking follows the key tracks' level (sidechaincompress)"
        }`,
        path,
      });
    if (useGain) {
      for (const id of speech.usedArtifacts) input.usedArtifactIds.add(id);
      const kf = duckKeyframes({ spans: speech.spans, depthDb: o.depth_db, attackMs: o.attack_ms, releaseMs: o.release_ms });
      details.push({ ...base, span_count: speech.spans.length, ...(speech.unknownAssets.length ? { unknown_assets: speech.unknownAssets } : {}) });
      if (kf.length === 0) return;
      const out = g.fresh('duck');
      const expr = keyframeExpr({ keyframes: kf, timeVar: 't', offsetSeconds: -input.rangeStartMs / 1000 });
      g.chain([own], [`volume=volume=${escapeFilterValue(expr)}:eval=frame`], out);
      streams.set(ti, out);
      return;
    }
    // Sidechain: the key tracks' sound (mixed when several), split so the mix still gets each one.
    const keyLabels: string[] = [];
    for (const k of keyStreams) {
      const mixCopy = g.fresh('dkm');
      const keyCopy = g.fresh('dkk');
      g.chain([streams.get(k)!], ['asplit=2'], `${mixCopy}${keyCopy}`);
      streams.set(k, mixCopy);
      keyLabels.push(keyCopy);
    }
    let key = keyLabels[0]!;
    if (keyLabels.length > 1) {
      key = g.fresh('dkey');
      g.chain(keyLabels, [`amix=inputs=${formatNumber(keyLabels.length)}:duration=longest:normalize=0`], key);
    }
    // Parallel ducking with a floor: a dry copy at depth_db plus a compressed copy at (1 - depth) that the
    // compressor pulls towards silence. The sum never goes below depth_db however loud the speech (a lone
    // sidechaincompress over-ducks loud passages and under-ducks quiet ones: measured 8.5–16 dB on the same
    // talk), and sidechaincompress has no look-ahead, so the two copies stay sample-aligned. Threshold −56 dBFS
    // with ratio 20 (its maximum): speech at −30 dBFS is 26 dB over, the compressed copy −25 dB, the sum within
    // 1.5 dB of depth_db; room tone below −56 dBFS leaves the bed alone. Measured in
    // test/engines/transcript-edit/ducking.test.ts.
    const floor = 10 ** (o.depth_db / 20);
    const dry = g.fresh('dkd');
    const wetIn = g.fresh('dkw');
    g.chain([own], ['asplit=2'], `${dry}${wetIn}`);
    const dryLow = g.fresh('dkf');
    g.chain([dry], [`volume=volume=${formatNumber(floor)}`], dryLow);
    const wet = g.fresh('dkc');
    g.chain(
      [wetIn, key],
      [
        `sidechaincompress=threshold=${formatNumber(SIDECHAIN_THRESHOLD)}:ratio=20:attack=${formatNumber(Math.min(SIDECHAIN_MAX_ATTACK_MS, Math.max(0.01, o.attack_ms)))}:release=${formatNumber(Math.min(9000, Math.max(0.01, o.release_ms)))}:level_sc=1:makeup=1:knee=1`,
        `volume=volume=${formatNumber(1 - floor)}`,
      ],
      wet,
    );
    const out = g.fresh('duck');
    g.chain([dryLow, wet], ['amix=inputs=2:duration=longest:normalize=0'], out);
    streams.set(ti, out);
    details.push({ ...base, method: 'sidechain', unknown_assets: speech.unknownAssets });
  });
  return details;
}
