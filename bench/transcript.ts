/**
 * `npm run bench -- transcript [--rounds N] [--profile ID] [--planning-only]`: edit by transcript (issue 14).
 *
 * 1. Silence removal + render of a 10-minute talk vs a plain re-encode of the same file with the same encoder
 *    settings (everything after the plan's last `-map`), alternating runs in this process. The talk is built
 *    deterministically from pocketsphinx-testdata's five LibriVox clips (each trimmed to its speech), cycled with
 *    inserted pauses of 300–2400 ms and a −60 dBFS noise floor, under 640x360 testsrc2 at 30 fps (x264, AAC),
 *    cached under .cache/bench/transcript/. Prints: the silence removal itself (speech analysis uncached + level
 *    envelope + plan), the render of the edit, the re-encode, both ratios (target ≤ 1.2 for analysis + render),
 *    and how well the removed ranges match the inserted pauses longer than the threshold.
 * 2. Planning time for 2 000 word cuts on a synthetic transcript of 6 000 words (10 min at 100 ms per word gap,
 *    a 5 ms level envelope): the pure planner alone (target < 200 ms), and planner + edit timeline + derived
 *    transcript + timeline validation, median of 5.
 * Prints the 1-minute load average: the machine is shared, figures taken under load say so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { removeSilences } from '../src/engines/transcript-edit/index.js';
import { ffmpegPath } from '../src/ffmpeg/binaries.js';
import { createServices } from '../src/media/services.js';
import type { Transcript, TranscriptWord } from '../src/plan/captions/transcript.js';
import { transcriptWords } from '../src/plan/captions/transcript.js';
import { editTimeline, planWordCuts, shiftTranscript } from '../src/plan/transcript-edit/index.js';
import { prepareRender } from '../src/render/prepare-render.js';
import { renderToFile } from '../src/render/render-to-file.js';
import { parseTimeline } from '../src/timeline/index.js';

const DIR = resolve('.cache/bench/transcript');
/** Bump when the talk's recipe changes (the cached file is keyed by it). */
const TALK_VERSION = 'v1';
const LIBRIVOX = '/usr/share/pocketsphinx/test/data/librivox';
const CLIPS = ['0870', '0880', '0890', '0920', '0930'].map((n) => `${LIBRIVOX}/sense_and_sensibility_01_austen_64kb-${n}.wav`);
/** Pauses inserted after each clip, cycled (two are under the 600 ms threshold). */
const PAUSES_MS = [300, 900, 1600, 2400, 500, 1200, 700, 2000];
const TALK_MS = 600_000;
const RATE = 16000;

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const rounds = Number(arg('--rounds')) || 2;
const profile = arg('--profile') ?? 'draft_360p';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const load = () => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;

function ffSync(args: string[], input?: Buffer): Buffer {
  const r = spawnSync(ffmpegPath(), ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], {
    maxBuffer: 512 * 1024 * 1024,
    ...(input ? { input } : {}),
  });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.stderr.toString().slice(-1500)}`);
  return r.stdout;
}

function run(args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(ffmpegPath(), ['-hide_banner', '-nostdin', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`ffmpeg failed: ${err}`))));
  });
}

interface Talk {
  path: string;
  /** Inserted pauses [start, end) in ms. */
  pauses: Array<{ start_ms: number; end_ms: number }>;
}

/** Trimmed speech clips cycled with PAUSES_MS between them up to TALK_MS; same recipe -> same file. */
function buildTalk(): Talk {
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, `talk-${TALK_VERSION}.mp4`);
  const trim = 'silenceremove=start_periods=1:start_threshold=-35dB:start_silence=0.02';
  const clips = CLIPS.map((c) => {
    const b = ffSync(['-i', c, '-af', `${trim},areverse,${trim},areverse`, '-ac', '1', '-ar', String(RATE), '-f', 'f32le', '-']);
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  });
  const total = (TALK_MS * RATE) / 1000;
  const pcm = new Float32Array(total);
  const pauses: Talk['pauses'] = [];
  let at = 0;
  for (let i = 0; ; i++) {
    const clip = clips[i % clips.length]!;
    const pause = (PAUSES_MS[i % PAUSES_MS.length]! * RATE) / 1000;
    if (at + clip.length + pause > total) break;
    pcm.set(clip, at);
    at += clip.length;
    pauses.push({ start_ms: (at * 1000) / RATE, end_ms: ((at + pause) * 1000) / RATE });
    at += pause;
  }
  // The last pause runs to the end of the talk.
  pauses[pauses.length - 1]!.end_ms = TALK_MS;
  if (existsSync(path)) return { path, pauses };
  const tmp = join(DIR, `.talk-${process.pid}.mp4`);
  ffSync(
    [
      ...['-f', 'lavfi', '-i', `testsrc2=s=640x360:r=30:d=${TALK_MS / 1000}`],
      ...['-f', 'f32le', '-ar', String(RATE), '-ac', '1', '-i', 'pipe:0'],
      ...['-f', 'lavfi', '-i', `anoisesrc=r=${RATE}:a=0.001:c=pink:seed=14:d=${TALK_MS / 1000}`],
      '-filter_complex',
      '[1:a][2:a]amix=inputs=2:normalize=0:duration=first[a]',
      ...['-map', '0:v', '-map', '[a]'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-g', '60', '-pix_fmt', 'yuv420p'],
      ...['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '1', '-bitexact', '-fflags', '+bitexact'],
      tmp,
    ],
    Buffer.from(pcm.buffer),
  );
  renameSync(tmp, path);
  return { path, pauses };
}

async function benchSilenceRemoval(): Promise<void> {
  let t0 = performance.now();
  const talk = buildTalk();
  console.log(`talk: ${talk.path} (${TALK_MS / 1000} s, ${talk.pauses.length} inserted pauses; ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const dataDir = join(DIR, 'data');
  rmSync(dataDir, { recursive: true, force: true });
  const services = await createServices({ dataDir });
  await services.tenants.ensureLocalTenant();
  const ctx = { tenantId: 'local', env: 'dev', requestId: 'bench-transcript' };
  const assetId = (await services.assets.registerAsset(ctx, { source: { path: talk.path } })).asset.id;

  t0 = performance.now();
  const edit = await removeSilences(services, ctx, { asset_id: assetId, transcript_artifact_id: 'none' });
  const analyseMs = performance.now() - t0;
  t0 = performance.now();
  await removeSilences(services, ctx, { asset_id: assetId, transcript_artifact_id: 'none', save_project: false });
  const cachedMs = performance.now() - t0;
  const vadStub = edit.warnings.some((w) => w.code === 'EDIT_SPEECH_STUB');

  // How the removed ranges match the inserted pauses longer than the threshold (padding 120 ms each side).
  const pad = 120;
  const long = talk.pauses.filter((p) => p.end_ms - p.start_ms > 600);
  const errs: number[] = [];
  let found = 0;
  for (const p of long) {
    const hit = edit.plan.removed.find((x) => x.start_ms < p.end_ms && x.end_ms > p.start_ms);
    if (!hit) continue;
    found++;
    errs.push(Math.abs(hit.start_ms - (p.start_ms + pad)));
    if (p.end_ms < TALK_MS) errs.push(Math.abs(hit.end_ms - (p.end_ms - pad)));
  }
  errs.sort((a, b) => a - b);
  const inShort = edit.plan.removed.filter((x) =>
    talk.pauses.some((p) => p.end_ms - p.start_ms <= 600 && x.start_ms < p.end_ms && x.end_ms > p.start_ms),
  ).length;

  const prepared = await prepareRender({ services, ctx, timeline: edit.timeline, profile, workDir: join(DIR, 'work') });
  const encoderArgs = prepared.plan.args.slice(prepared.plan.args.lastIndexOf('-map') + 2);
  console.log(
    `silence removal: ${edit.plan.kept.length} clips kept, ${edit.plan.removed.length} ranges removed, ` +
      `${(edit.plan.time_saved_ms / 1000).toFixed(1)} s saved (${(edit.plan.source_duration_ms / 1000).toFixed(1)} s -> ` +
      `${(edit.plan.output_duration_ms / 1000).toFixed(1)} s); speech windows from ${vadStub ? 'the energy stub' : 'Silero VAD'}`,
  );
  console.log(
    `  inserted pauses > 600 ms found ${found}/${long.length}; edge error median ${median(errs).toFixed(0)} ms, ` +
      `max ${errs[errs.length - 1]?.toFixed(0)} ms, ≤ 50 ms: ${errs.filter((e) => e <= 50).length}/${errs.length}; ` +
      `ranges inside pauses ≤ 600 ms: ${inShort}`,
  );
  console.log(`  plan: ${prepared.plan.inputs.length} inputs; encoder args: ${encoderArgs.join(' ')}`);

  const times = { render: [] as number[], reencode: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    t0 = performance.now();
    await renderToFile({ services, ctx, timeline: edit.timeline, profile, output: join(DIR, 'edit.mp4') });
    times.render.push(performance.now() - t0);
    t0 = performance.now();
    await run(['-i', talk.path, '-map', '0:v:0', '-map', '0:a:0', ...encoderArgs, join(DIR, 'reencode.mp4')]);
    times.reencode.push(performance.now() - t0);
    console.log(
      `round ${r + 1}/${rounds}: render of the edit ${(times.render[r]! / 1000).toFixed(1)} s, ` +
        `re-encode ${(times.reencode[r]! / 1000).toFixed(1)} s; ${load()}`,
    );
  }
  await services.close();
  const render = median(times.render);
  const reencode = median(times.reencode);
  console.log('');
  console.log(`silence removal (speech analysis uncached + levels + plan): ${(analyseMs / 1000).toFixed(2)} s; again with the analysis cached: ${(cachedMs / 1000).toFixed(2)} s`);
  console.log(`render of the edit (${profile}): median ${(render / 1000).toFixed(2)} s`);
  console.log(`plain re-encode of the talk, same encoder settings: median ${(reencode / 1000).toFixed(2)} s`);
  console.log(`ratio (silence removal + render) / re-encode: ${((analyseMs + render) / reencode).toFixed(3)} (target ≤ 1.2)`);
  console.log(`ratio render only / re-encode: ${(render / reencode).toFixed(3)}; ${load()}`);
}

/** 6 000 words of 400 ms with 100 ms gaps (10 min), a 5 ms envelope that dips mid-gap. */
function syntheticTranscript(): { transcript: Transcript; words: TranscriptWord[]; levels: Float32Array } {
  const n = 6000;
  const segments: Transcript['segments'] = [];
  for (let s = 0; s < n / 20; s++) {
    const words: TranscriptWord[] = [];
    for (let k = 0; k < 20; k++) {
      const i = s * 20 + k;
      words.push({ word: `w${i}`, start_ms: i * 500 + 50, end_ms: i * 500 + 450, confidence: 0.9 });
    }
    segments.push({ start_ms: words[0]!.start_ms, end_ms: words[19]!.end_ms, text: words.map((w) => w.word).join(' '), words });
  }
  const transcript: Transcript = { language: 'en-US', segments };
  const levels = new Float32Array((n * 500) / 5);
  for (let i = 0; i < levels.length; i++) {
    const inWord = ((i * 5) % 500) >= 50 && ((i * 5) % 500) < 450;
    levels[i] = inWord ? -20 - (i % 7) : -60 - (i % 11);
  }
  return { transcript, words: transcriptWords(transcript), levels };
}

function benchPlanning(): void {
  const { transcript, words, levels } = syntheticTranscript();
  const durationMs = words.length * 500;
  const fps = { num: 30, den: 1 };
  // 2 000 cuts: every third word.
  const ranges = Array.from({ length: 2000 }, (_, i) => ({ start: i * 3 + 1, end: i * 3 + 1 }));
  const plannerMs: number[] = [];
  const wholeMs: number[] = [];
  let clips = 0;
  for (let r = 0; r < 6; r++) {
    const t0 = performance.now();
    const { plan } = planWordCuts({ words, durationMs, fps, ranges, envelope: { step_ms: 5, levels } });
    const t1 = performance.now();
    shiftTranscript({ transcript, kept: plan.kept });
    const doc = parseTimeline(
      editTimeline({ assetId: 'talk', hasVideo: true, plan, name: 'bench', meta: { assist: 'transcript_edit' } }),
    );
    const t2 = performance.now();
    clips = doc.tracks[0]!.kind === 'video' ? doc.tracks[0]!.clips.length : 0;
    if (r === 0) continue; // warm-up
    plannerMs.push(t1 - t0);
    wholeMs.push(t2 - t0);
  }
  console.log(
    `planning 2 000 word cuts (6 000-word transcript, ${clips} clips): planWordCuts median ${median(plannerMs).toFixed(1)} ms (target < 200 ms); ` +
      `+ derived transcript + edit timeline + validation median ${median(wholeMs).toFixed(1)} ms; ${load()}`,
  );
}

async function main(): Promise<void> {
  console.log(`transcript bench; ${load()}`);
  benchPlanning();
  if (!process.argv.includes('--planning-only')) await benchSilenceRemoval();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
