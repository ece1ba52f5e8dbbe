// Caption burn-in: a caption track's asr_transcript artifact is drawn with libass, on the frames of its words
// and not outside them, in range renders too; hostile text renders as text; a missing transcript warns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { compile } from '../../src/plan/compile.js';
import type { CompileInput, PlanArtifact } from '../../src/plan/types.js';
import { runPlan, tempDir, timeline } from './helpers/plan-fixtures.js';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

function transcriptArtifact(words: Array<[number, number, string]>): PlanArtifact {
  return {
    id: 'tr1',
    kind: 'asr_transcript',
    asset_id: 'voice',
    backend_version: 'test-asr-1',
    cache_key: 'ck-transcript',
    meta: {},
    data: {
      language: 'en',
      segments: [
        {
          start_ms: words[0]![0],
          end_ms: words[words.length - 1]![1],
          text: words.map((w) => w[2]).join(' '),
          words: words.map(([start_ms, end_ms, word]) => ({ start_ms, end_ms, word, confidence: 1 })),
        },
      ],
    },
  };
}

function captionInput(o: {
  workDir: string;
  artifact?: PlanArtifact;
  startMs?: number;
  range?: CompileInput['range'];
}): CompileInput {
  return {
    timeline: timeline({
      duration_ms: 3000,
      tracks: [
        {
          id: 'c',
          kind: 'caption',
          items: [{ id: 'k', transcript_artifact_id: 'tr1', start_ms: o.startMs ?? 0, style: 'bold_pop' }],
        },
      ],
    }),
    sources: {},
    artifacts: o.artifact ? { tr1: o.artifact } : {},
    profile: 'draft_360p',
    fonts: { 'DejaVu Sans': FONT },
    work_dir: o.workDir,
    ...(o.range ? { range: o.range } : {}),
  };
}

/** Bright pixels (luma > 128) in output frame `n` (decoded by frame number, not by seeking). */
function brightPixels(file: string, n: number): number {
  const r = spawnSync(
    ffmpegPath(),
    [
      '-v',
      'error',
      '-i',
      file,
      '-vf',
      `select=eq(n\\,${n})`,
      '-frames:v',
      '1',
      '-pix_fmt',
      'gray',
      '-f',
      'rawvideo',
      '-',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(r.stderr.toString());
  let count = 0;
  for (const v of r.stdout) if (v > 128) count++;
  return count;
}

test('captions are drawn exactly on the frames of their words (bold_pop: one phrase per word span)', () => {
  const tmp = tempDir('captions');
  try {
    // Words from 1000 to 1500 ms of transcript time; the item starts at 300 ms on the timeline.
    const plan = compile(
      captionInput({
        workDir: join(tmp.dir, 'work'),
        artifact: transcriptArtifact([
          [1000, 1200, 'Hello'],
          [1200, 1500, 'world'],
        ]),
        startMs: 300,
      }),
    );
    assert.equal(plan.files.length, 1);
    assert.ok(plan.files[0]!.path.endsWith('/captions_0.ass'));
    assert.match(plan.filtergraph, /subtitles=filename=.*captions_0\.ass:fontsdir=/);
    assert.deepEqual(plan.meta.dependency_notices, [
      {
        kind: 'asr_transcript',
        artifact_id: 'tr1',
        backend_version: 'test-asr-1',
        cache_key: 'ck-transcript',
        asset_id: 'voice',
      },
    ]);
    const file = join(tmp.dir, 'c.mp4');
    runPlan(plan, file);
    // Timeline 1300..1800 ms = frames 39..53 at 30 fps.
    assert.equal(brightPixels(file, 38), 0, 'nothing before the first word');
    assert.ok(brightPixels(file, 39) > 200, 'text on the first word frame');
    assert.ok(brightPixels(file, 53) > 200, 'text on the last word frame');
    assert.equal(brightPixels(file, 54), 0, 'nothing after the last word');
    assert.equal(brightPixels(file, 80), 0);
  } finally {
    tmp.cleanup();
  }
});

test('a range render shifts captions to the range start', () => {
  const tmp = tempDir('captions-range');
  try {
    const plan = compile(
      captionInput({
        workDir: join(tmp.dir, 'work'),
        artifact: transcriptArtifact([[1000, 1500, 'Ranged']]),
        range: { start_ms: 1000, duration_ms: 1000 },
      }),
    );
    const file = join(tmp.dir, 'r.mp4');
    runPlan(plan, file);
    // Range frame 0 = timeline 1000 ms: the word is on frames 0..14 and gone from 15.
    assert.ok(brightPixels(file, 0) > 200);
    assert.ok(brightPixels(file, 14) > 200);
    assert.equal(brightPixels(file, 15), 0);
  } finally {
    tmp.cleanup();
  }
});

test('hostile caption text renders as text and cannot break the graph or the ASS file', () => {
  const tmp = tempDir('captions-hostile');
  try {
    const hostile = "{\\fs200}'];[0:v]drawtext=text=x;\\N,:%{n}";
    const plan = compile(
      captionInput({
        workDir: join(tmp.dir, 'work'),
        artifact: transcriptArtifact([[0, 2000, hostile]]),
      }),
    );
    const ass = plan.files[0]!.content;
    assert.ok(!ass.includes('{\\fs200}'), 'override block escaped');
    assert.ok(!plan.filtergraph.includes('drawtext'), 'text stays out of the graph');
    const file = join(tmp.dir, 'h.mp4');
    runPlan(plan, file);
    const lit = brightPixels(file, 30);
    // Drawn at the style's size: some text, far less than a 200-px font would light up.
    assert.ok(lit > 200 && lit < 640 * 360 * 0.2, `text drawn at a normal size, ${lit} bright pixels`);
    assert.equal(brightPixels(file, 70), 0);
  } finally {
    tmp.cleanup();
  }
});

test('missing transcript: MISSING_ARTIFACT warning, no subtitles filter, no dependency', () => {
  const plan = compile(captionInput({ workDir: '/tmp/none' }));
  const w = plan.warnings.find((x) => x.code === 'MISSING_ARTIFACT');
  assert.equal(w?.path, 'tracks[0].items[0].transcript_artifact_id');
  assert.ok(!plan.filtergraph.includes('subtitles'));
  assert.deepEqual(plan.meta.dependency_notices, []);
  const bad = compile(
    captionInput({
      workDir: '/tmp/none',
      artifact: { ...transcriptArtifact([[0, 1, 'x']]), data: { x: 1 } },
    }),
  );
  assert.equal(bad.warnings.find((x) => x.code === 'TRANSCRIPT_INVALID')?.path, w?.path);
});

test('caption font not available: FONT_NOT_FOUND names the item', () => {
  assert.throws(
    () =>
      compile({
        ...captionInput({ workDir: '/tmp/none', artifact: transcriptArtifact([[0, 500, 'x']]) }),
        fonts: {},
      }),
    (e: Error & { code?: string; details?: { issues?: Array<{ path: string }> } }) =>
      /FONT_NOT_FOUND/.test(String(e.code)) && e.details?.issues?.[0]?.path === 'tracks[0].items[0].font',
  );
});
