// Soundtrack conveniences on rendered audio (WAV, so sample positions are exact): `loop` repeats an audio clip's
// source range (sound across the whole clip, each seam on its sample, the phase kept in a range render), a
// track's fade_in_ms / fade_out_ms over the whole soundtrack, and keep_source_audio: false muting a video clip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { compile } from '../../src/plan/compile.js';
import type { CompileInput, PlanSource } from '../../src/plan/types.js';
import type { TimelineInput } from '../../src/timeline/index.js';
import { solidClip } from '../helpers/media.js';
import { audioRmsDb, realSource, runPlan, tempDir, timeline } from './helpers/plan-fixtures.js';

const SR = 48000;

/** A 1 s WAV made by an aevalsrc expression (quoted: commas inside stay in the expression). */
function toneFile(dir: string, name: string, expr: string, durationS = 1): string {
  const file = join(dir, `source-${name}.wav`);
  const r = spawnSync(ffmpegPath(), [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='${expr}':s=${SR}:d=${durationS}`,
    '-c:a',
    'pcm_s16le',
    file,
  ]);
  assert.equal(r.status, 0, r.stderr.toString());
  return file;
}

function renderWav(
  dir: string,
  name: string,
  tl: TimelineInput,
  sources: Record<string, PlanSource>,
  extra: Partial<CompileInput> = {},
): { file: string; plan: ReturnType<typeof compile> } {
  const plan = compile({
    timeline: timeline(tl),
    sources,
    profile: 'draft_360p',
    work_dir: join(dir, 'work'),
    output: { format: 'wav' },
    output_extension: 'wav',
    ...extra,
  });
  const file = join(dir, `${name}.wav`);
  runPlan(plan, file);
  return { file, plan };
}

/** The output's samples, mono float. */
function samples(file: string): Float32Array {
  const r = spawnSync(ffmpegPath(), ['-v', 'error', '-i', file, '-ac', '1', '-f', 'f32le', 'pipe:1'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(r.status, 0, r.stderr.toString());
  const b = r.stdout;
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

/** Sample indexes where the signal rises above `threshold` after at least `quietSamples` below it. */
function onsets(x: Float32Array, threshold = 0.05, quietSamples = 2400): number[] {
  const out: number[] = [];
  let quiet = quietSamples;
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i]!) > threshold) {
      if (quiet >= quietSamples) out.push(i);
      quiet = 0;
    } else quiet++;
  }
  return out;
}

const audioTrack = (clips: unknown[], extra: Record<string, unknown> = {}): TimelineInput =>
  ({ tracks: [{ id: 'a', kind: 'audio', clips, ...extra }] }) as TimelineInput;

test('loop: a beep in the source range repeats on its exact sample, across the whole clip; without loop it plays once', (t) => {
  const tmp = tempDir('loop');
  try {
    // A 1 kHz beep at source 500–600 ms; the clip loops the range [400, 900): beep 100 ms into each repeat.
    const beep = toneFile(tmp.dir, 'beep', '0.5*sin(2*PI*1000*t)*between(t,0.5,0.6)');
    const sources = { beep: realSource('beep', beep) };
    const clip = { id: 'm', asset_id: 'beep', start_ms: 200, in_ms: 400, out_ms: 900, duration_ms: 2600 };
    const looped = renderWav(tmp.dir, 'looped', audioTrack([{ ...clip, loop: true }]), sources);
    assert.match(looped.plan.filtergraph, /aloop=loop=-1:size=24000/);
    const x = samples(looped.file);
    assert.equal(x.length, (2800 * SR) / 1000, 'the render is as long as the clip ends');
    // Clip start 200 ms; repeats every 500 ms; the beep starts 100 ms into each: 300, 800, … 2300 ms.
    const expected = [0, 1, 2, 3, 4].map((k) => ((300 + 500 * k) * SR) / 1000);
    const found = onsets(x);
    t.diagnostic(`beep onsets (samples): ${found.join(', ')}; expected ${expected.join(', ')}`);
    assert.equal(found.length, expected.length, `onsets ${found.join(',')}`);
    found.forEach((s, k) =>
      assert.ok(Math.abs(s - expected[k]!) <= 3, `repeat ${k}: onset at ${s}, expected ${expected[k]}`),
    );

    const once = renderWav(tmp.dir, 'once', audioTrack([clip]), sources);
    assert.equal(onsets(samples(once.file)).length, 1, 'without loop the beep sounds once');
  } finally {
    tmp.cleanup();
  }
});

test('loop: a tone shorter than its clip sounds through the whole clip, and a range render keeps the phase', (t) => {
  const tmp = tempDir('loop-tone');
  try {
    const tone = toneFile(tmp.dir, 'tone', '0.5*sin(2*PI*440*t)', 0.7);
    const sources = { tone: realSource('tone', tone) };
    const clip = { id: 'm', asset_id: 'tone', start_ms: 0, duration_ms: 3000, loop: true };
    const r = renderWav(tmp.dir, 'tone', audioTrack([clip]), sources);
    const levels = Array.from({ length: 12 }, (_, k) =>
      audioRmsDb({ file: r.file, startMs: k * 250, durationMs: 250 }),
    );
    t.diagnostic(`RMS per 250 ms: ${levels.map((l) => l.toFixed(1)).join(' ')}`);
    // The level of the first play (before any seam) holds in every window to the end: no gap at the seams.
    for (const [k, l] of levels.entries())
      assert.ok(Math.abs(l - levels[0]!) < 0.3 && l > -15, `window ${k}: ${l} dB`);
    const plain = renderWav(tmp.dir, 'tone-once', audioTrack([{ ...clip, loop: false }]), sources);
    assert.equal(audioRmsDb({ file: plain.file, startMs: 1000, durationMs: 1500 }), -Infinity);

    // A range render from 1200 ms (on the frame grid, 200 ms into a repeat): the loop phase is kept.
    const beep = toneFile(tmp.dir, 'beep', '0.5*sin(2*PI*1000*t)*between(t,0.5,0.6)');
    const beepSources = { beep: realSource('beep', beep) };
    const bclip = {
      id: 'm',
      asset_id: 'beep',
      start_ms: 0,
      in_ms: 400,
      out_ms: 900,
      duration_ms: 3000,
      loop: true,
    };
    const part = renderWav(tmp.dir, 'range', audioTrack([bclip]), beepSources, {
      range: { start_ms: 1200, duration_ms: 1000 },
    });
    // Beeps at 100 + 500k ms of the clip: 1600 and 2100 fall in the range, at 400 and 900 ms of it.
    const found = onsets(samples(part.file));
    t.diagnostic(`range onsets: ${found.join(', ')}`);
    assert.deepEqual(found.length, 2);
    assert.ok(Math.abs(found[0]! - 0.4 * SR) <= 3 && Math.abs(found[1]! - 0.9 * SR) <= 3, found.join(','));
  } finally {
    tmp.cleanup();
  }
});

test("a track's fade_in_ms / fade_out_ms fade the whole soundtrack, across its clips", (t) => {
  const tmp = tempDir('track-fade');
  try {
    const tone = toneFile(tmp.dir, 'tone', '0.5*sin(2*PI*440*t)', 2);
    const sources = { tone: realSource('tone', tone) };
    const clips = [
      { id: 'a', asset_id: 'tone', start_ms: 500, out_ms: 1500 },
      { id: 'b', asset_id: 'tone', start_ms: 2000, out_ms: 2000 },
    ];
    // Soundtrack 500–4000 ms: fade in over 500–1500, out over 3000–4000.
    const r = renderWav(
      tmp.dir,
      'faded',
      audioTrack(clips, { fade_in_ms: 1000, fade_out_ms: 1000 }),
      sources,
    );
    const flat = renderWav(tmp.dir, 'flat', audioTrack(clips), sources);
    const at = (file: string, ms: number) => audioRmsDb({ file, startMs: ms - 50, durationMs: 100 });
    const rel = (ms: number) => at(r.file, ms) - at(flat.file, ms);
    const points = [550, 1000, 1400, 1700, 2500, 3100, 3500, 3950];
    t.diagnostic(
      `fade relative to unfaded (dB) at ${points.join(', ')} ms: ${points.map((p) => rel(p).toFixed(1)).join(' ')}`,
    );
    assert.ok(rel(550) < -20, `start of fade in ${rel(550)}`);
    assert.ok(Math.abs(rel(1000) + 6) < 1.5, `half way in: ${rel(1000)} dB (−6 expected)`);
    for (const ms of [1700, 2500]) assert.ok(Math.abs(rel(ms)) < 0.3, `${ms} ms: ${rel(ms)}`);
    assert.ok(Math.abs(rel(3500) + 6) < 1.5, `half way out: ${rel(3500)} dB`);
    assert.ok(rel(3950) < -20, `end of fade out ${rel(3950)}`);
    assert.equal(audioRmsDb({ file: r.file, startMs: 0, durationMs: 450 }), -Infinity);
  } finally {
    tmp.cleanup();
  }
});

test('keep_source_audio: false mutes a video clip exactly like muted: true; default keeps its sound', async () => {
  const tmp = tempDir('keep-source-audio');
  try {
    const clipFile = await solidClip({ color: '#FF0000', durationMs: 1000, toneHz: 440 });
    const sources = { v: realSource('v', clipFile) };
    const video = (extra: Record<string, unknown>): TimelineInput =>
      ({
        tracks: [
          {
            id: 'v',
            kind: 'video',
            clips: [{ id: 'c', asset_id: 'v', start_ms: 0, out_ms: 1000, ...extra }],
          },
        ],
      }) as TimelineInput;
    const kept = renderWav(tmp.dir, 'kept', video({}), sources);
    assert.ok(audioRmsDb({ file: kept.file, startMs: 100, durationMs: 800 }) > -40);
    const dropped = renderWav(tmp.dir, 'dropped', video({ keep_source_audio: false }), sources);
    assert.equal(audioRmsDb({ file: dropped.file, startMs: 0, durationMs: 1000 }), -Infinity);
    const muted = compile({
      timeline: timeline(video({ muted: true })),
      sources,
      profile: 'draft_360p',
      work_dir: join(tmp.dir, 'work'),
      output: { format: 'wav' },
      output_extension: 'wav',
    });
    assert.equal(dropped.plan.filtergraph, muted.filtergraph);
    // loop on a video track is not silently ignored.
    const warned = compile({
      timeline: timeline(video({ loop: true })),
      sources,
      profile: 'draft_360p',
      work_dir: join(tmp.dir, 'work'),
    });
    assert.deepEqual(
      warned.warnings.filter((w) => w.code === 'LOOP_IGNORED').map((w) => w.path),
      ['tracks[0].clips[0].loop'],
    );
  } finally {
    tmp.cleanup();
  }
});
