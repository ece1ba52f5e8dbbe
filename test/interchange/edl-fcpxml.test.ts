// CMX3600 EDL in and out (cuts, dissolves, audio channels, reel names, drop-frame timecode) and FCPXML 1.9 out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isCutroomError } from '../../src/errors.js';
import { exportEdl, importEdl } from '../../src/interchange/edl.js';
import { exportFcpxml } from '../../src/interchange/fcpxml.js';
import { frameRate, framesToTimecode, timecodeToFrames } from '../../src/interchange/frame-time.js';
import { parseXmlText, type XmlElement } from '../../src/interchange/parse-xml.js';
import { TimelineSchema } from '../../src/timeline/index.js';
import { SAMPLE_MEDIA, sampleTimeline } from './sample-timeline.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

test('drop-frame timecode skips frames 0 and 1 of each minute except every tenth (SMPTE 12M)', () => {
  const ntsc = frameRate(29.97)!;
  assert.deepEqual(ntsc, { num: 30000, den: 1001 });
  assert.equal(framesToTimecode(1799, ntsc, true), '00:00:59;29');
  assert.equal(framesToTimecode(1800, ntsc, true), '00:01:00;02');
  assert.equal(framesToTimecode(17982, ntsc, true), '00:10:00;00');
  assert.equal(framesToTimecode(107892, ntsc, true), '01:00:00;00');
  assert.equal(framesToTimecode(107892, ntsc, false), '00:59:56:12');
  for (let f = 0; f < 40_000; f += 7) assert.equal(timecodeToFrames(framesToTimecode(f, ntsc, true), ntsc)?.frames, f);
  assert.equal(timecodeToFrames('00:01:00;00', ntsc), undefined, 'a label drop-frame skips');
  assert.equal(timecodeToFrames('00:00:00:30', frameRate(30)!), undefined, 'frame 30 does not exist at 30 fps');
});

test('a hand-written EDL imports: cuts, a centred dissolve, black as a gap, audio channel, clip names before reels', () => {
  const r = importEdl({
    text: fixture('doc-cut-25fps.edl'),
    fps: 25,
    assets: { 'interview.mov': 'ast_int', BROLL01: 'ast_broll', 'music.wav': 'ast_music' },
  });
  assert.equal(r.timeline.name, 'DOC CUT 12');
  const [v, a] = r.timeline.tracks;
  assert.ok(v?.kind === 'video' && a?.kind === 'audio');
  // 10:00:10:00 at 25 fps = 36 010 s; the 24-frame dissolve from 4 s puts the cut at 4.48 s.
  assert.deepEqual(v.clips.map((c) => [c.asset_id, c.start_ms, c.in_ms, c.out_ms]), [
    ['ast_int', 0, 36_010_000, 36_014_480],
    ['ast_broll', 4480, 5480, 8000],
    ['ast_int', 8000, 36_060_000, 36_062_480],
  ]);
  assert.deepEqual(v.transitions.map((t) => [t.type, t.duration_ms, t.from_clip_id, t.to_clip_id]), [['crossfade', 960, v.clips[0]!.id, v.clips[1]!.id]]);
  assert.deepEqual(a.clips.map((c) => [c.asset_id, c.start_ms, c.out_ms]), [['ast_music', 0, 10_000]]);
  assert.deepEqual(r.warnings.map((w) => w.path), ['line 15']);
});

test('EDL bad input: timecode off the frame rate and out before in, by line number; unmapped reels', () => {
  const text = fixture('doc-cut-25fps.edl').replace('00:00:08:00 01:00:04:00', '00:00:08:27 01:00:04:00').replace('01:00:08:00 01:00:10:12', '01:00:08:00 01:00:07:12');
  assert.throws(() => importEdl({ text, fps: 25, assets: {} }), (err: unknown) => {
    assert.ok(isCutroomError(err, 'INTERCHANGE_INVALID'));
    assert.deepEqual((err.details.issues as Array<{ line: number }>).map((i) => i.line), [8, 13]);
    return true;
  });
  assert.throws(() => importEdl({ text: fixture('doc-cut-25fps.edl'), fps: 25, assets: {} }), (err: unknown) => isCutroomError(err, 'INTERCHANGE_MEDIA_UNMAPPED'));
});

test('cutroom -> EDL -> cutroom keeps frame-aligned cuts and dissolves; reel names come from asset names', () => {
  const timeline = TimelineSchema.parse({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'a', asset_id: 'ast_a', start_ms: 0, in_ms: 1000, out_ms: 3000 },
          { id: 'b', asset_id: 'ast_b', start_ms: 2000, in_ms: 2000, out_ms: 4000 },
        ],
        transitions: [{ id: 't', type: 'crossfade', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 1000 }],
      },
      { id: 'm', kind: 'audio', clips: [{ id: 'm1', asset_id: 'ast_music', start_ms: 0, in_ms: 0, out_ms: 4000 }] },
    ],
  });
  const out = exportEdl({ timeline, media: SAMPLE_MEDIA, fps: 25, title: 'Round trip' });
  const lines = out.text.split('\r\n');
  assert.equal(lines[1], 'FCM: NON-DROP FRAME');
  assert.ok(lines.includes('001  A        AA/V  C        00:00:01:00 00:00:02:13 01:00:00:00 01:00:01:13'), out.text);
  assert.ok(lines.includes('002  A        AA/V  C        00:00:02:13 00:00:02:13 01:00:01:13 01:00:01:13'), out.text);
  assert.ok(lines.includes('002  BCLIP    AA/V  D    025 00:00:01:13 00:00:04:00 01:00:01:13 01:00:04:00'), out.text);
  assert.ok(lines.includes('* FROM CLIP NAME: b clip.mp4'));
  const back = importEdl({ text: out.text, fps: 25, assets: { 'a.mp4': 'ast_a', 'b clip.mp4': 'ast_b', 'music.wav': 'ast_music' } });
  const v = back.timeline.tracks[0]!;
  assert.ok(v.kind === 'video');
  assert.deepEqual(v.clips.map((c) => [c.asset_id, c.start_ms, c.in_ms, c.out_ms]), [
    ['ast_a', 0, 1000, 3000],
    ['ast_b', 2000, 2000, 4000],
  ]);
  assert.equal(v.transitions[0]?.duration_ms, 1000);
});

test('EDL at 29.97 writes drop-frame timecode with 01:00:00;00 as the record start', () => {
  const timeline = TimelineSchema.parse({ tracks: [{ id: 'v', kind: 'video', clips: [{ id: 'a', asset_id: 'ast_a', start_ms: 0, in_ms: 0, out_ms: 2002 }] }] });
  const out = exportEdl({ timeline, media: SAMPLE_MEDIA, fps: 29.97 });
  assert.match(out.text, /FCM: DROP FRAME/);
  assert.match(out.text, /00:00:00;00 00:00:02;00 01:00:00;00 01:00:02;00/);
  assert.throws(() => exportEdl({ timeline, media: SAMPLE_MEDIA, fps: 25, dropFrame: true }), (err: unknown) => isCutroomError(err, 'VALIDATION_FAILED'));
});

function find(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (e.name === name) out.push(e);
    e.children.forEach(walk);
  };
  walk(el);
  return out;
}

test('FCPXML 1.9: spine with clips, gaps and a centred dissolve; connected clips in lanes; rational frame times', () => {
  const out = exportFcpxml({ timeline: sampleTimeline(), media: SAMPLE_MEDIA, fps: 30, width: 640, height: 360, title: 'Promo & <cut>' });
  const root = parseXmlText({ text: out.text, format: 'fcpxml' });
  assert.equal(root.name, 'fcpxml');
  assert.equal(root.attrs.version, '1.9');
  assert.equal(find(root, 'format')[0]!.attrs.frameDuration, '1/30s');
  assert.equal(find(root, 'project')[0]!.attrs.name, 'Promo & <cut>');
  const assets = find(root, 'asset');
  assert.equal(assets.length, 4);
  assert.equal(find(assets.find((a) => a.attrs.name === 'b clip.mp4')!, 'media-rep')[0]!.attrs.src, 'file:///media/b%20clip.mp4');
  const spine = find(root, 'spine')[0]!;
  assert.deepEqual(spine.children.map((c) => c.name), ['asset-clip', 'transition', 'asset-clip', 'gap', 'asset-clip', 'video', 'gap', 'asset-clip', 'asset-clip']);
  const [c1, tr, c2] = spine.children;
  assert.deepEqual([c1!.attrs.offset, c1!.attrs.start, c1!.attrs.duration], ['0s', '1/2s', '4s']);
  // A 500 ms (15-frame) dissolve centred on the cut at 4 s starts 7 frames before it.
  assert.deepEqual([tr!.attrs.offset, tr!.attrs.duration], ['113/30s', '1/2s']);
  assert.deepEqual([c2!.attrs.offset, c2!.attrs.start, c2!.attrs.duration], ['4s', '1s', '2s']);
  assert.equal(find(c2!, 'adjust-volume')[0]!.attrs.amount, '-6.02dB');
  // The overlay clip (1 s..3 s) hangs off c1 in lane 1; the music in lane -1; titles above.
  const lanes = find(c1!, 'video').map((v) => [v.attrs.lane, v.attrs.offset]);
  assert.deepEqual(lanes, [['1', '3/2s']]);
  assert.deepEqual(c1!.children.filter((v) => v.name === 'asset-clip').map((v) => v.attrs.lane), ['-1']);
  assert.equal(find(root, 'title').length, 2);
  assert.equal(find(root, 'text-style')[0]!.text, 'Hello & <world>');
  const paths = out.warnings.map((w) => w.path);
  for (const p of ['tracks[0].clips[1].filters', 'tracks[0].clips[2].speed', 'tracks[1].clips[0].automation', 'tracks[4]']) assert.ok(paths.includes(p), `${p}: ${paths.join(', ')}`);
});
