// compile(): determinism, plan_hash, validation errors and warnings, limits (500 clips, 100 keyframes, long
// text), profiles and the transition catalog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../src/plan/compile.js';
import { getProfile, listProfiles } from '../../src/plan/profiles.js';
import { getTransition, listTransitions } from '../../src/plan/transitions/catalog.js';
import type { CompileInput, PlanSource } from '../../src/plan/types.js';
import { isCutroomError } from '../../src/errors.js';
import type { TimelineInput } from '../../src/timeline/index.js';
import { checkGraph } from './helpers/graph-check.js';
import { fakeVideoInfo, source, timeline } from './helpers/plan-fixtures.js';

const A = source('a', '/media/a.mp4', fakeVideoInfo({ durationMs: 10000 }));
const B = source('b', '/media/b.mp4', fakeVideoInfo({ durationMs: 8000, width: 1280, height: 720 }));

function input(tl: TimelineInput, extra: Partial<CompileInput> = {}): CompileInput {
  return { timeline: timeline(tl), sources: { a: A, b: B }, profile: 'draft_360p', ...extra };
}

const TWO_CLIPS: TimelineInput = {
  tracks: [
    {
      id: 'v',
      kind: 'video',
      clips: [
        { id: 'c1', asset_id: 'a', start_ms: 0, out_ms: 2000 },
        { id: 'c2', asset_id: 'b', start_ms: 2000, in_ms: 1000, out_ms: 3000 },
      ],
      transitions: [{ id: 't', type: 'crossfade', from_clip_id: 'c1', to_clip_id: 'c2', duration_ms: 500 }],
    },
  ],
};

test('same input -> byte-identical plan', () => {
  const one = JSON.stringify(compile(input(TWO_CLIPS)));
  const two = JSON.stringify(compile(input(TWO_CLIPS)));
  assert.equal(one, two);
  assert.match(JSON.parse(one).meta.plan_hash, /^[0-9a-f]{64}$/);
});

test('plan_hash ignores machine paths and work_dir, follows content hashes', () => {
  const base = compile(input(TWO_CLIPS, { work_dir: '/tmp/w1' }));
  const moved: Record<string, PlanSource> = {
    a: { ...A, path: '/other/disk/a.mp4' },
    b: { ...B, path: '/other/disk/b.mp4' },
  };
  const elsewhere = compile({ ...input(TWO_CLIPS, { work_dir: '/var/w2' }), sources: moved });
  assert.notEqual(JSON.stringify(base.args), JSON.stringify(elsewhere.args));
  assert.equal(base.meta.plan_hash, elsewhere.meta.plan_hash);
  const changed = compile({
    ...input(TWO_CLIPS),
    sources: { a: { ...A, content_hash: 'f'.repeat(64) }, b: B },
  });
  assert.notEqual(base.meta.plan_hash, changed.meta.plan_hash);
  const edited = compile(input({ ...TWO_CLIPS, duration_ms: 5000 }));
  assert.notEqual(base.meta.plan_hash, edited.meta.plan_hash);
});

test('transition order does not depend on document order; meta lists aliases present in the graph', () => {
  const tl: TimelineInput = {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'c1', asset_id: 'a', start_ms: 0, out_ms: 1000 },
          { id: 'c2', asset_id: 'a', start_ms: 1000, in_ms: 2000, out_ms: 3000 },
          { id: 'c3', asset_id: 'b', start_ms: 2000, out_ms: 1000 },
        ],
        transitions: [
          { id: 'z', type: 'wipe_left', from_clip_id: 'c2', to_clip_id: 'c3', duration_ms: 400 },
          { id: 'y', type: 'dip_to_white', from_clip_id: 'c1', to_clip_id: 'c2', duration_ms: 400 },
        ],
      },
    ],
  };
  const plan = compile(input(tl));
  const track = tl.tracks![0] as { transitions: unknown[] };
  const reordered = compile(
    input({
      tracks: [{ ...track, transitions: [...track.transitions].reverse() }],
    } as unknown as TimelineInput),
  );
  assert.equal(plan.filtergraph, reordered.filtergraph);
  assert.deepEqual(
    plan.meta.transitions.map((t) => [t.id, t.start_ms, t.duration_ms]),
    [
      ['y', 800, 400],
      ['z', 1800, 400],
    ],
  );
  for (const t of plan.meta.transitions) {
    assert.ok(plan.filtergraph.includes(`[${t.video_alias}]`));
    assert.ok(plan.filtergraph.includes(`[${t.audio_alias}]`));
  }
  assert.deepEqual(checkGraph(plan), []);
});

test('a transition longer than a neighbour is clamped with a warning', () => {
  const tl: TimelineInput = {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'c1', asset_id: 'a', start_ms: 0, out_ms: 2000 },
          { id: 'c2', asset_id: 'b', start_ms: 2000, out_ms: 300 },
        ],
        transitions: [
          { id: 't', type: 'crossfade', from_clip_id: 'c1', to_clip_id: 'c2', duration_ms: 2000 },
        ],
      },
    ],
  };
  const plan = compile(input(tl));
  const w = plan.warnings.find((x) => x.code === 'TRANSITION_CLAMPED');
  assert.equal(w?.path, 'tracks[0].transitions[0].duration_ms');
  assert.equal(plan.meta.transitions[0]?.duration_ms, 300);
  assert.equal(plan.meta.frame_count, 69);
});

test('unknown transition type -> UNKNOWN_TRANSITION listing every path and the valid types', () => {
  const tl = structuredClone(TWO_CLIPS) as { tracks: Array<{ transitions: Array<{ type: string }> }> };
  tl.tracks[0]!.transitions[0]!.type = 'star_wipe';
  assert.throws(
    () => compile(input(tl as TimelineInput)),
    (e: unknown) =>
      isCutroomError(e, 'UNKNOWN_TRANSITION') &&
      (e.details.valid as string[]).includes('crossfade') &&
      JSON.stringify(e.details.issues).includes('tracks[0].transitions[0].type'),
  );
});

test('unknown profile -> UNKNOWN_PROFILE with the valid ids', () => {
  assert.throws(
    () => compile(input(TWO_CLIPS, { profile: 'vhs' })),
    (e: unknown) =>
      isCutroomError(e, 'UNKNOWN_PROFILE') && (e.details.valid as string[]).includes('draft_360p'),
  );
});

test('missing asset -> MISSING_ASSET warning, a gap, and meta.missing_assets', () => {
  const plan = compile(
    input({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            { id: 'c1', asset_id: 'a', start_ms: 0, out_ms: 1000 },
            { id: 'c2', asset_id: 'ghost', start_ms: 1000, duration_ms: 1000 },
          ],
        },
      ],
    }),
  );
  assert.deepEqual(plan.meta.missing_assets, ['ghost']);
  assert.equal(plan.warnings.find((w) => w.code === 'MISSING_ASSET')?.path, 'tracks[0].clips[1].asset_id');
  assert.equal(plan.meta.frame_count, 60);
  assert.deepEqual(checkGraph(plan), []);
});

test('out_ms beyond the source is clamped with a warning; a caption item without its transcript warns', () => {
  const plan = compile(
    input({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [{ id: 'c1', asset_id: 'b', start_ms: 0, in_ms: 7000, out_ms: 9000 }],
        },
        { id: 'c', kind: 'caption', items: [{ id: 'k', transcript_artifact_id: 'tr' }] },
      ],
    }),
  );
  assert.equal(plan.warnings.find((w) => w.code === 'CLIP_OUT_CLAMPED')?.path, 'tracks[0].clips[0].out_ms');
  assert.equal(
    plan.warnings.find((w) => w.code === 'MISSING_ARTIFACT')?.path,
    'tracks[1].items[0].transcript_artifact_id',
  );
  assert.ok(!plan.filtergraph.includes('subtitles='));
  assert.equal(plan.meta.duration_ms, 1000);
});

test('reverse longer than 30 s plays forwards with REVERSE_TOO_LONG', () => {
  const long = source('l', '/media/long.mp4', fakeVideoInfo({ durationMs: 60000 }));
  const plan = compile({
    ...input({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [{ id: 'c', asset_id: 'l', start_ms: 0, out_ms: 40000, reverse: true }],
        },
      ],
    }),
    sources: { l: long },
  });
  assert.equal(plan.warnings.find((w) => w.code === 'REVERSE_TOO_LONG')?.path, 'tracks[0].clips[0].reverse');
  assert.ok(!plan.filtergraph.includes('reverse'));
});

test('a missing font -> FONT_NOT_FOUND naming it', () => {
  assert.throws(
    () =>
      compile(
        input({
          tracks: [
            { id: 'v', kind: 'video', clips: [{ id: 'c1', asset_id: 'a', start_ms: 0, out_ms: 1000 }] },
            {
              id: 't',
              kind: 'text',
              items: [{ id: 'x', start_ms: 0, duration_ms: 500, text: 'hi', font: { family: 'Comic Neue' } }],
            },
          ],
        }),
      ),
    (e: unknown) => isCutroomError(e, 'FONT_NOT_FOUND') && e.message.includes('Comic Neue'),
  );
});

test('limits: 500 clips with transitions compile to a well-formed graph (script file when long)', () => {
  const clips = Array.from({ length: 500 }, (_, i) => ({
    id: `c${i}`,
    asset_id: i % 2 ? 'a' : 'b',
    start_ms: i * 1000,
    in_ms: 500,
    out_ms: 1500,
  }));
  const transitions = Array.from({ length: 250 }, (_, k) => ({
    id: `t${k}`,
    type: listTransitions()[k % listTransitions().length]!.id,
    from_clip_id: `c${2 * k}`,
    to_clip_id: `c${2 * k + 1}`,
    duration_ms: 400,
  }));
  const started = performance.now();
  const plan = compile(
    input({ tracks: [{ id: 'v', kind: 'video', clips, transitions }] }, { work_dir: '/tmp/cutroom-work' }),
  );
  const ms = performance.now() - started;
  console.log(
    `# 500 clips + 250 transitions compiled in ${ms.toFixed(0)} ms; graph ${plan.filtergraph.length} chars, ${plan.inputs.length} inputs`,
  );
  assert.equal(plan.meta.frame_count, 15000);
  assert.equal(plan.meta.transitions.length, 250);
  assert.deepEqual(checkGraph(plan), []);
  assert.ok(plan.args.includes('-filter_complex_script'));
  assert.equal(
    plan.files.find((f) => f.path === '/tmp/cutroom-work/filtergraph.txt')?.content,
    plan.filtergraph,
  );
  assert.ok(!plan.args.some((a) => a.length > 32 * 1024), 'no argument near the OS limit');
});

test('limits: 100 keyframes per param and a 5000-character text compile', () => {
  const keyframes = Array.from({ length: 100 }, (_, i) => ({ t_ms: i * 20, value: (i % 10) / 10 }));
  const plan = compile(
    input(
      {
        tracks: [
          { id: 'v', kind: 'video', clips: [{ id: 'c1', asset_id: 'a', start_ms: 0, out_ms: 2000 }] },
          {
            id: 'o',
            kind: 'overlay',
            clips: [
              {
                id: 'p',
                asset_id: 'b',
                start_ms: 0,
                out_ms: 2000,
                automation: [
                  { param: 'position_x', keyframes },
                  { param: 'opacity', keyframes },
                  { param: 'volume', keyframes },
                ],
              },
            ],
          },
          {
            id: 't',
            kind: 'text',
            items: [{ id: 'x', start_ms: 0, duration_ms: 2000, text: 'long text '.repeat(500) }],
          },
        ],
      },
      { fonts: { 'DejaVu Sans': '/fonts/DejaVuSans.ttf' }, work_dir: '/tmp/w' },
    ),
  );
  assert.deepEqual(checkGraph(plan), []);
  assert.ok(!plan.filtergraph.includes('long text'), 'user text goes to a file, not into the graph');
});

test('profiles and transitions are data with the required fields', () => {
  const ids = listProfiles().map((p) => p.id);
  assert.deepEqual(ids, [
    'draft_360p',
    'draft_480p_fast',
    'preview_720p',
    'social_1080p_h264',
    'social_1080x1920_h264',
    'social_1080x1080_h264',
    'social_1080x1350_h264',
    'draft_360p_hevc',
    'master_4k_prores',
  ]);
  assert.equal(getProfile('social_1080p_h264').loudness_lufs, -14);
  assert.equal(getProfile('master_4k_prores').pix_fmt, 'yuv422p10le');
  const t = listTransitions();
  assert.equal(new Set(t.map((x) => x.id)).size, t.length);
  assert.equal(getTransition('push_left').xfade, 'slideleft');
  assert.equal(getTransition('dip_to_black').xfade, 'fadeblack');
});

test('hardware encoder choice maps quality and is recorded; prores keeps its CPU encoder', () => {
  const nv = compile(
    input(TWO_CLIPS, {
      profile: 'social_1080p_h264',
      encoder: { video_encoder: 'h264_nvenc', kind: 'nvenc', reason: 'test encode ok' },
    }),
  );
  assert.equal(nv.meta.encoder.video_encoder, 'h264_nvenc');
  assert.ok(nv.args.join(' ').includes('-c:v h264_nvenc'));
  assert.ok(nv.args.join(' ').includes('-cq 20'));
  const pr = compile(
    input(TWO_CLIPS, {
      profile: 'master_4k_prores',
      encoder: { video_encoder: 'h264_nvenc', kind: 'nvenc', reason: 'x' },
    }),
  );
  assert.equal(pr.meta.encoder.video_encoder, 'prores_ks');
  assert.match(pr.meta.encoder.reason, /does not apply/);
  assert.ok(pr.args.includes('yuv422p10le'));
});

test('planChunks: ranges tile the timeline frame-exactly and respect the input limit', async () => {
  const { planChunks } = await import('../../src/plan/plan-chunks.js');
  const clips = Array.from({ length: 40 }, (_, i) => ({
    id: `c${i}`,
    asset_id: 'a',
    start_ms: i * 500,
    in_ms: 100 * i,
    out_ms: 100 * i + 500,
  }));
  const transitions = Array.from({ length: 10 }, (_, k) => ({
    id: `t${k}`,
    type: 'crossfade',
    from_clip_id: `c${4 * k}`,
    to_clip_id: `c${4 * k + 1}`,
    duration_ms: 200,
  }));
  const inp = input({
    tracks: [
      { id: 'v', kind: 'video', clips, transitions },
      { id: 'm', kind: 'audio', clips: [{ id: 'bed', asset_id: 'b', start_ms: 0, out_ms: 8000 }] },
    ],
  });
  const chunks = planChunks({ input: inp, maxInputs: 8 });
  assert.ok(chunks.length > 1);
  let frames = 0;
  let cursor = 0;
  for (const c of chunks) {
    assert.equal(c.start_ms, cursor);
    cursor += c.duration_ms;
    const plan = compile({ ...inp, range: { start_ms: c.start_ms, duration_ms: c.duration_ms } });
    assert.ok(plan.inputs.length <= 8, `${plan.inputs.length} inputs in chunk at ${c.start_ms}`);
    assert.equal(plan.inputs.length, c.inputs);
    frames += plan.meta.frame_count;
  }
  assert.equal(frames, compile(inp).meta.frame_count);
});

test('every warning code the planner emits is documented in PLAN_WARNINGS', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { PLAN_WARNINGS } = await import('../../src/plan/warnings.js');
  const files = ['src/plan', 'src/plan/transitions', 'src/plan/automation'].flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `${d}/${f}`),
  );
  const codes = new Set<string>();
  for (const f of files)
    for (const m of readFileSync(f, 'utf8').matchAll(/code: '([A-Z_]+)'/g)) codes.add(m[1]!);
  assert.ok(codes.size >= 10);
  for (const c of codes) assert.ok(c in PLAN_WARNINGS, `${c} is not in PLAN_WARNINGS`);
});
