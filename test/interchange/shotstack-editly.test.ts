// Shotstack edit JSON and editly specs (hand-written from their published docs) import into timelines with every
// unmapped property as a warning, and the imported edits render: duration, a pixel at a chosen time, audio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCutroomError } from '../../src/errors.js';
import { importEditly } from '../../src/interchange/editly.js';
import { importShotstack } from '../../src/interchange/shotstack.js';
import { compile } from '../../src/plan/compile.js';
import { audioOnly, durationMs, hasAudio, pngImage, sampleColor, solidClip } from '../helpers/media.js';
import { realSource, runPlan, tempDir } from '../plan/helpers/plan-fixtures.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

const SHOTSTACK_ASSETS = {
  'https://cdn.example.com/music/upbeat.mp3': 'music',
  'https://cdn.example.com/logo.png': 'logo',
  'https://cdn.example.com/red.mp4': 'red',
  'https://cdn.example.com/green.mp4': 'green',
};

test('Shotstack: tracks reversed, times in ms, fit/scale/position/opacity/filters mapped, the rest warned', () => {
  const r = importShotstack({ text: fixture('shotstack-promo.json'), assets: SHOTSTACK_ASSETS });
  const kinds = r.timeline.tracks.map((t) => t.kind);
  assert.deepEqual(kinds, ['video', 'overlay', 'audio', 'text']);
  const [video, overlay, audio, text] = r.timeline.tracks;
  assert.ok(video?.kind === 'video' && overlay?.kind === 'overlay' && audio?.kind === 'audio' && text?.kind === 'text');
  assert.deepEqual(video.clips.map((c) => [c.asset_id, c.start_ms, c.in_ms, c.out_ms, c.fit]), [
    ['red', 0, 500, 2000, 'fill'],
    ['green', 1500, 0, 1500, undefined],
  ]);
  assert.deepEqual(video.clips[0]!.filters.map((f) => f.type), ['contrast', 'saturation']);
  assert.deepEqual(video.clips[1]!.filters, [{ type: 'fade_in', params: { duration_ms: 1000 } }]);
  const logo = overlay.clips[0]!;
  assert.equal(logo.duration_ms, 3000);
  assert.equal(logo.opacity, 0.9);
  // bottomRight anchor with scale 0.25: centre 0.125 in from the edges, then offset x -0.05, y +0.05 (up).
  assert.deepEqual([logo.transform.scale, logo.transform.position_x, logo.transform.position_y], [0.25, 0.825, 0.825]);
  assert.deepEqual([audio.clips[0]!.asset_id, audio.clips[0]!.out_ms, audio.clips[0]!.volume, audio.clips[0]!.audio_fade_out_ms], ['music', 3000, 0.8, 1500]);
  assert.deepEqual([text.items[0]!.text, text.items[0]!.start_ms, text.items[0]!.duration_ms, text.items[0]!.position], ['Summer Sale', 500, 1500, 'top']);
  assert.deepEqual(r.output, { format: 'mp4', fps: 25, width: 1024, height: 576 });
  const warned = r.warnings.map((w) => w.path);
  for (const path of [
    'timeline.tracks[0].clips[0].transition',
    'timeline.tracks[0].clips[0].asset.style',
    'timeline.tracks[1].clips[0].fit',
    'timeline.tracks[2].clips[1].transition.out',
    'timeline.tracks[2].clips[2].asset',
    'output',
  ])
    assert.ok(warned.includes(path), `no warning for ${path}: ${warned.join(', ')}`);
  // Shotstack's zoomInSlow is the Ken Burns zoom at half the distance.
  assert.deepEqual(video.clips[0]!.motion, { preset: 'ken_burns_in', intensity: 0.5 });
  assert.ok(!warned.includes('timeline.tracks[2].clips[0].effect'));
});

test('Shotstack bad input: unmapped URLs listed with paths, malformed JSON, wrong shapes', () => {
  assert.throws(() => importShotstack({ text: fixture('shotstack-promo.json'), assets: { 'https://cdn.example.com/red.mp4': 'red' } }), (err: unknown) => {
    assert.ok(isCutroomError(err, 'INTERCHANGE_MEDIA_UNMAPPED'));
    const paths = (err.details.issues as Array<{ path: string }>).map((i) => i.path);
    assert.deepEqual(paths.sort(), ['timeline.soundtrack.src', 'timeline.tracks[1].clips[0].asset.src', 'timeline.tracks[2].clips[1].asset.src']);
    return true;
  });
  assert.throws(() => importShotstack({ text: '{"timeline": {"tracks": [' }), (err: unknown) => isCutroomError(err, 'INTERCHANGE_PARSE_FAILED'));
  assert.throws(() => importShotstack({ text: '{"timeline": {"tracks": [{"clips": [{"asset": {"type": "video"}, "start": -1, "length": 2}]}]}}' }), (err: unknown) => {
    assert.ok(isCutroomError(err, 'INTERCHANGE_INVALID'));
    assert.equal((err.details.issues as Array<{ path: string }>)[0]!.path, 'timeline.tracks[0].clips[0].start');
    return true;
  });
});

test('an imported Shotstack edit renders: 3 s, red then green, logo bottom right, music audible', async () => {
  const red = await solidClip({ color: '#FF0000', durationMs: 3000, width: 640, height: 360 });
  const green = await solidClip({ color: '#00FF00', durationMs: 3000, width: 640, height: 360, toneHz: null });
  const logo = await pngImage({ color: '#0000FF', width: 200, height: 200 });
  const music = await audioOnly({ durationMs: 4000 });
  const { timeline } = importShotstack({ text: fixture('shotstack-promo.json'), assets: SHOTSTACK_ASSETS });
  const tmp = tempDir('shotstack-render');
  try {
    const plan = compile({
      timeline,
      sources: { red: realSource('red', red), green: realSource('green', green), logo: realSource('logo', logo), music: realSource('music', music) },
      profile: 'draft_360p',
      fonts: { 'DejaVu Sans': FONT },
      work_dir: tmp.dir,
    });
    const out = join(tmp.dir, 'out.mp4');
    runPlan(plan, out);
    assert.ok(Math.abs((await durationMs(out)) - 3000) <= 40);
    // 300 ms: red (boosted) clip, away from the title and the logo.
    const a = await sampleColor({ file: out, tMs: 1200, x: 100, y: 200 });
    assert.ok(a.r > 200 && a.g < 60 && a.b < 60, `expected red, got ${JSON.stringify(a)}`);
    // 2.7 s: green clip (its fade-in is over).
    const b = await sampleColor({ file: out, tMs: 2700, x: 100, y: 200 });
    assert.ok(b.g > 180 && b.r < 80, `expected green, got ${JSON.stringify(b)}`);
    // The logo: 160x90 px box centred at (0.825, 0.825) of 640x360 -> around (528, 297), blue at 0.9 opacity.
    const c = await sampleColor({ file: out, tMs: 2700, x: 528, y: 297 });
    assert.ok(c.b > 180 && c.g < 100, `expected the blue logo, got ${JSON.stringify(c)}`);
    assert.ok(await hasAudio(out));
  } finally {
    tmp.cleanup();
  }
});

const EDITLY_ASSETS = { './red.mp4': 'red', './green.mp4': 'green', './still.png': 'still', './music.wav': 'music' };

test('editly: overlapping transitions become centred ones with the same total length; unmapped parts warned', () => {
  const r = importEditly({ text: fixture('editly-slideshow.json5'), assets: EDITLY_ASSETS });
  const video = r.timeline.tracks[0]!;
  assert.ok(video.kind === 'video');
  // A clip's transition joins it to the next (editly's rule): 1.5 + 1.5 + 1 - 0.4 - 0.5 = 3.1 s. editly starts the
  // clips at 0, 1.1 and 2.1 s; the cuts sit mid-overlap, at 1.3 and 2.35 s.
  assert.deepEqual(video.clips.map((c) => [c.asset_id, c.start_ms, c.in_ms ?? null, c.out_ms ?? null, c.duration_ms ?? null]), [
    ['red', 0, 200, 1500, null],
    ['still', 1300, 0, null, 1050],
    ['green', 2350, 250, 1000, null],
  ]);
  assert.deepEqual(video.transitions.map((t) => [t.type, t.duration_ms]), [['crossfade', 400], ['push_left', 500]]);
  assert.equal(video.clips[0]!.volume, 0.5);
  assert.equal(video.clips[1]!.fit, 'fit');
  const text = r.timeline.tracks.find((t) => t.kind === 'text');
  assert.ok(text?.kind === 'text');
  assert.deepEqual(text.items.map((i) => [i.text, i.start_ms, i.duration_ms, i.position]), [['Day one', 0, 1500, 'center'], ['The end', 2100, 1000, 'bottom']]);
  const audio = r.timeline.tracks.find((t) => t.kind === 'audio');
  assert.ok(audio?.kind === 'audio');
  assert.deepEqual([audio.clips[0]!.start_ms, audio.clips[0]!.volume, audio.clips[0]!.out_ms], [500, 0.6, 2600]);
  assert.deepEqual(r.output, { width: 640, height: 360, fps: 30 });
  const paths = r.warnings.map((w) => w.path);
  for (const p of ['outPath', 'clips[2].transition.name', 'clips[2].layers[2]']) assert.ok(paths.includes(p), `no warning for ${p}: ${paths.join(', ')}`);
});

test('editly zoomDirection becomes a motion preset scaled by zoomAmount; an unknown direction is warned', () => {
  const spec = (dir: string, amount?: number) =>
    `{ clips: [{ duration: 2, layers: [{ type: 'image', path: './still.png', zoomDirection: '${dir}'${amount === undefined ? '' : `, zoomAmount: ${amount}`} }] }] }`;
  const clipOf = (text: string) => {
    const r = importEditly({ text, assets: EDITLY_ASSETS });
    const track = r.timeline.tracks[0]!;
    assert.ok(track.kind === 'video');
    return { clip: track.clips[0]!, warnings: r.warnings };
  };
  assert.deepEqual(clipOf(spec('in')).clip.motion, { preset: 'ken_burns_in', intensity: 0.667 });
  assert.deepEqual(clipOf(spec('left', 0.3)).clip.motion, { preset: 'pan_left', intensity: 2 });
  const odd = clipOf(spec('sideways'));
  assert.equal(odd.clip.motion, undefined);
  assert.ok(odd.warnings.some((w) => w.path === 'clips[0].layers[0].zoomDirection'), JSON.stringify(odd.warnings));
});

test('editly bad input: malformed JSON5 with a line number, missing clips, unmapped paths', () => {
  assert.throws(() => importEditly({ text: '{\n  clips: [\n    { duration: 1, layers: [ }\n' }), (err: unknown) => isCutroomError(err, 'INTERCHANGE_PARSE_FAILED') && err.details.line === 3);
  assert.throws(() => importEditly({ text: '{ width: 640 }' }), (err: unknown) => isCutroomError(err, 'INTERCHANGE_INVALID'));
  assert.throws(() => importEditly({ text: "{ clips: [{ layers: [{ type: 'video', path: '../../etc/passwd' }] }] }" }), (err: unknown) => isCutroomError(err, 'INTERCHANGE_MEDIA_UNMAPPED') && JSON.stringify(err.details).includes('../../etc/passwd'));
});

test('an imported editly spec renders: 3.1 s, red, then the still, then green, audio present', async () => {
  const red = await solidClip({ color: '#FF0000', durationMs: 3000, width: 640, height: 360 });
  const green = await solidClip({ color: '#00FF00', durationMs: 3000, width: 640, height: 360 });
  const still = await pngImage({ color: '#0000FF', width: 640, height: 360 });
  const music = await audioOnly({ durationMs: 4000 });
  const { timeline } = importEditly({ text: fixture('editly-slideshow.json5'), assets: EDITLY_ASSETS });
  const tmp = tempDir('editly-render');
  try {
    const plan = compile({
      timeline,
      sources: { red: realSource('red', red), green: realSource('green', green), still: realSource('still', still), music: realSource('music', music) },
      profile: 'draft_360p',
      fonts: { 'DejaVu Sans': FONT },
      work_dir: tmp.dir,
    });
    const out = join(tmp.dir, 'out.mp4');
    runPlan(plan, out);
    assert.ok(Math.abs((await durationMs(out)) - 3100) <= 40);
    const at = async (tMs: number) => sampleColor({ file: out, tMs, x: 20, y: 20 });
    const a = await at(500);
    assert.ok(a.r > 200 && a.g < 60, JSON.stringify(a));
    const b = await at(1800);
    assert.ok(b.b > 200 && b.r < 60, JSON.stringify(b));
    const c = await at(2900);
    assert.ok(c.g > 200 && c.r < 60, JSON.stringify(c));
    assert.ok(await hasAudio(out));
  } finally {
    tmp.cleanup();
  }
});
