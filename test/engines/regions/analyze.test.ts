// analyzeFaces end to end on real video: BlazeFace + tracking + sub-regions, read through src/ffmpeg.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { probeMedia } from '../../../src/ffmpeg/probe.js';
import { analyzeFaces } from '../../../src/engines/regions/analyze.js';
import { boxesAtFrame } from '../../../src/engines/regions/boxes-at-frame.js';
import { selectFaceBackend } from '../../../src/engines/regions/select-backend.js';
import { MEGAMIND, PAN, expectedFaceX, panningFaceClip } from './moving-face.js';

const selected = await selectFaceBackend();
const skip = !existsSync(MEGAMIND)
  ? 'opencv-doc examples missing (apt-get install opencv-doc)'
  : selected.backend.stub
    ? 'BlazeFace model missing (bash scripts/fetch-models.sh)'
    : false;

test(
  'a face panning across the frame is one track that follows the known motion, with a box on every frame',
  { skip },
  async () => {
    const path = panningFaceClip();
    const info = await probeMedia({ path });
    const { summary, warnings } = await analyzeFaces({
      path,
      info,
      intervalMs: 200,
      includeRegions: ['eyes', 'mouth'],
      backend: selected.backend,
    });
    assert.deepEqual(warnings, []);
    assert.equal(summary.stub, undefined);
    assert.equal(summary.width, PAN.width);
    assert.equal(summary.height, PAN.height);
    assert.equal(summary.samples.length, 10);
    // The woman's track: the one present in the first sample.
    const id = summary.samples[0]!.faces.find(
      (f) => Math.abs(f.box.x + f.box.w / 2 - expectedFaceX(0)) < 0.06,
    )?.track_id;
    assert.ok(id, 'face found in the first sample');
    for (const s of summary.samples) {
      const f = s.faces.find((x) => x.track_id === id);
      assert.ok(f, `track ${id} present at ${s.t_ms} ms`);
      const cx = f.box.x + f.box.w / 2;
      assert.ok(
        Math.abs(cx - expectedFaceX(s.t_ms)) < 0.05,
        `at ${s.t_ms} ms centre ${cx} vs ${expectedFaceX(s.t_ms)}`,
      );
      assert.ok(f.regions.eyes && f.regions.mouth, 'eyes and mouth regions');
      assert.ok(
        f.regions.eyes.y + f.regions.eyes.h / 2 < f.regions.mouth.y + f.regions.mouth.h / 2,
        'eyes above mouth',
      );
    }
    const track = summary.tracks.find((t) => t.id === id)!;
    assert.equal(track.first_ms, 0);
    assert.equal(track.last_ms, summary.samples.at(-1)!.t_ms);
    // No blink: every video frame inside the track's life has a box, moving left monotonically.
    let prev = Infinity;
    for (let frame = 0; (frame * 1000) / summary.fps <= track.last_ms; frame++) {
      const at = boxesAtFrame(summary, { frameIndex: frame }).find((f) => f.track_id === id);
      assert.ok(at, `box at frame ${frame}`);
      const cx = at.box.x + at.box.w / 2;
      assert.ok(cx <= prev + 0.01, `frame ${frame} moves left (${cx} after ${prev})`);
      prev = cx;
    }
  },
);

test(
  'real video (Megamind): tracks are stable across samples and two runs are identical',
  { skip },
  async () => {
    const info = await probeMedia({ path: MEGAMIND });
    const run = () => analyzeFaces({ path: MEGAMIND, info, intervalMs: 250, backend: selected.backend });
    const a = await run();
    const b = await run();
    assert.equal(JSON.stringify(a.summary), JSON.stringify(b.summary));
    const { summary } = a;
    // The opening shot (0–3 s, labels.json) shows the woman the whole time: one track covers it.
    const opening = summary.samples.filter((s) => s.t_ms <= 3000);
    const first = opening[0]!.faces.map((f) => f.track_id);
    const woman = first.find((id) => opening.every((s) => s.faces.some((f) => f.track_id === id)));
    assert.ok(woman, `one track through the opening shot; first sample has ${first.join(',')}`);
    // Track ids are t1, t2, … in order of first appearance.
    summary.tracks.forEach((t, i) => assert.equal(t.id, `t${i + 1}`));
    for (let i = 1; i < summary.tracks.length; i++) {
      assert.ok(summary.tracks[i]!.first_ms >= summary.tracks[i - 1]!.first_ms);
    }
    // A cut to a close-up starts a new track: within a track the face never changes size abruptly.
    const lastWidth = new Map<string, number>();
    for (const s of summary.samples) {
      for (const f of s.faces) {
        const w = lastWidth.get(f.track_id);
        if (w !== undefined) {
          const ratio = Math.max(f.box.w / w, w / f.box.w);
          assert.ok(ratio < 1.6, `${f.track_id} at ${s.t_ms} ms: width ${w} → ${f.box.w}`);
        }
        lastWidth.set(f.track_id, f.box.w);
      }
    }
    // Shot cuts (seen in the frames) lie between these samples; no track may span one.
    for (const [before, after] of [
      [4000, 4250],
      [6250, 6500],
      [8250, 8500],
    ] as const) {
      const spanning = summary.tracks.filter((t) => t.first_ms <= before && t.last_ms >= after);
      assert.deepEqual(spanning, [], `no track across the cut between ${before} and ${after} ms`);
    }
    // Far fewer tracks than detections: faces are associated, not re-numbered every sample.
    const detections = summary.samples.reduce((n, s) => n + s.faces.length, 0);
    assert.ok(
      summary.tracks.length * 4 < detections,
      `${summary.tracks.length} tracks for ${detections} faces`,
    );
  },
);

test('an image gives one sample at t=0', { skip }, async () => {
  const path = '/usr/share/doc/opencv-doc/examples/data/messi5.jpg';
  const info = await probeMedia({ path });
  const { summary } = await analyzeFaces({
    path,
    info,
    backend: selected.backend,
    includeRegions: ['mouth'],
  });
  assert.equal(summary.samples.length, 1);
  assert.equal(summary.samples[0]!.t_ms, 0);
  assert.equal(summary.samples[0]!.faces.length, 1);
  assert.deepEqual(Object.keys(summary.samples[0]!.faces[0]!.regions).sort(), ['face', 'mouth']);
  assert.deepEqual(summary.tracks, [{ id: 't1', first_ms: 0, last_ms: 0 }]);
});
