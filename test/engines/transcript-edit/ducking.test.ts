// duck_under on real speech (LibriVox clips with inserted pauses) over a steady two-tone bed above the speech's
// band: gain automation (the default) against the sidechaincompress fallback, both rendered and measured on the
// output. Figures: how much lower the bed sits during speech than between (target ≥ 10 dB), how much it wobbles
// inside speech (std of 50 ms levels), and the speech's integrated loudness vs the speech alone (≤ 0.5 LU).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeAudioSemanticForAsset } from '../../../src/engines/audio-semantic/index.js';
import { renderToFile } from '../../../src/render/index.js';
import { parseTimeline } from '../../../src/timeline/index.js';
import { makeServices, type TestServices } from '../../media/setup.js';
import { integratedLufs, musicBed, pcm, rmsDb, speechDataAvailable, speechWithSilences, type SpeechFixture } from './fixtures.js';

const RATE = 48000;
const BED_ONLY = 'highpass=f=9000:poles=2,highpass=f=9000:poles=2';
const SPEECH_ONLY = 'lowpass=f=7000:poles=2,lowpass=f=7000:poles=2';

interface DuckFigures {
  method: string;
  /** Bed level between speech minus during speech, per (during, between) pair: the smallest. */
  depth_db: number;
  during_db: number[];
  between_db: number[];
  /** Std of the bed's 50 ms levels inside the speech windows (pumping). */
  wobble_db: number;
  speech_lu_change: number;
}

describe('duck_under: gain automation vs sidechaincompress on real speech', { skip: !speechDataAvailable() }, () => {
  let services: TestServices;
  let dir: string;
  let fx: SpeechFixture;
  let talk: string;
  let bed: string;
  let speechAloneLufs: number;
  const ctx = () => services.tenant('dev', 'tduck');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutroom-duck-'));
    fx = speechWithSilences(dir);
    services = await makeServices();
    talk = (await services.assets.registerAsset(await ctx(), { source: { path: fx.file } })).asset.id;
    bed = (await services.assets.registerAsset(await ctx(), { source: { path: musicBed(dir, fx.duration_ms) } })).asset.id;
    const speechOnly = parseTimeline({ tracks: [{ id: 'talk', kind: 'video', clips: [{ id: 'a', asset_id: talk, start_ms: 0 }] }] });
    const alone = join(dir, 'speech-only.mp4');
    await renderToFile({ services, ctx: await ctx(), timeline: speechOnly, profile: 'draft_360p', output: alone });
    speechAloneLufs = integratedLufs(alone, SPEECH_ONLY);
  });
  after(async () => {
    await services?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function measure(method: 'gain' | 'sidechain'): Promise<DuckFigures> {
    const timeline = parseTimeline({
      tracks: [
        { id: 'talk', kind: 'video', clips: [{ id: 'a', asset_id: talk, start_ms: 0 }] },
        { id: 'bed', kind: 'audio', duck_under: { track_id: 'talk', method }, clips: [{ id: 'm', asset_id: bed, start_ms: 0 }] },
      ],
    });
    const out = join(dir, `ducked-${method}.mp4`);
    let ducking: Array<{ method: string }> = [];
    await renderToFile({
      services,
      ctx: await ctx(),
      timeline,
      profile: 'draft_360p',
      output: out,
      onPlan: (p) => (ducking = p.plan.meta.ducking as typeof ducking),
    });
    assert.equal(ducking[0]!.method, method);
    const music = pcm(out, RATE, BED_ONLY);
    // Between: the middle of each inserted pause (clear of attack and release); during: inside the speech.
    const between = fx.silences.map((s) => rmsDb(music, RATE, s.start_ms + 600, s.end_ms - 600));
    const duringWindows: Array<[number, number]> = [
      [800, fx.silences[0]!.start_ms - 500],
      [fx.silences[0]!.end_ms + 500, fx.silences[1]!.start_ms - 500],
      [fx.silences[1]!.end_ms + 500, fx.duration_ms - 800],
    ];
    const during = duringWindows.map(([s, e]) => rmsDb(music, RATE, s, e));
    const levels: number[] = [];
    for (const [s, e] of duringWindows) for (let t = s; t + 50 <= e; t += 50) levels.push(rmsDb(music, RATE, t, t + 50));
    const mean = levels.reduce((a, b) => a + b, 0) / levels.length;
    const wobble = Math.sqrt(levels.reduce((a, b) => a + (b - mean) ** 2, 0) / levels.length);
    const depth = Math.min(...during.flatMap((d) => between.map((q) => q - d)));
    return {
      method,
      depth_db: depth,
      during_db: during,
      between_db: between,
      wobble_db: wobble,
      speech_lu_change: integratedLufs(out, SPEECH_ONLY) - speechAloneLufs,
    };
  }

  const report = (f: DuckFigures) =>
    `${f.method}: depth ${f.depth_db.toFixed(1)} dB (bed during ${f.during_db.map((x) => x.toFixed(1)).join('/')} dBFS, between ${f.between_db
      .map((x) => x.toFixed(1))
      .join('/')}), wobble in speech ${f.wobble_db.toFixed(2)} dB, speech loudness change ${f.speech_lu_change.toFixed(2)} LU`;

  it('gain automation (default): ≥ 10 dB lower during speech, steady inside speech, speech loudness unchanged', async (t) => {
    // The speech windows the gain follows.
    await analyzeAudioSemanticForAsset({ services, ctx: await ctx(), assetId: talk });
    const f = await measure('gain');
    t.diagnostic(report(f));
    assert.ok(f.depth_db >= 10, report(f));
    assert.ok(Math.abs(f.depth_db - 12) <= 1.5, `gain ducks by its depth_db (-12): ${report(f)}`);
    assert.ok(f.wobble_db < 1, `no pumping inside speech: ${report(f)}`);
    assert.ok(Math.abs(f.speech_lu_change) <= 0.5, report(f));
  });

  it('sidechaincompress fallback: ≥ 10 dB lower during speech, speech loudness unchanged', async (t) => {
    const f = await measure('sidechain');
    t.diagnostic(report(f));
    assert.ok(f.depth_db >= 10, report(f));
    assert.ok(Math.abs(f.speech_lu_change) <= 0.5, report(f));
  });
});
