// cutroom probe / validate / usage errors: stdout, one coded stderr line per problem, exit codes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testsrcClip } from '../helpers/media.js';
import { cutroomIn, type Run } from './run-cli.js';

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cutroom-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cutroom = (args: string[]): Run => cutroomIn(dir, args);

test('probe --json prints MediaInfo; without --json a readable summary', async () => {
  const clip = await testsrcClip({ durationMs: 1000, width: 320, height: 240 });
  const json = cutroom(['probe', clip, '--json']);
  assert.equal(json.status, 0, json.stderr);
  const info = JSON.parse(json.stdout);
  assert.equal(info.kind, 'video');
  assert.equal(info.duration_ms, 1000);
  assert.equal(info.video.width, 320);
  assert.equal(info.video.height, 240);
  assert.equal(info.audio.sample_rate, 48000);

  const human = cutroom(['probe', clip]);
  assert.equal(human.status, 0);
  assert.match(human.stdout, /: video, 1\.000 s,/);
  assert.match(human.stdout, /video: h264 320x240, 30\/1 fps, yuv420p/);
  assert.match(human.stdout, /audio: aac 48000 Hz/);
});

test('probe of a missing file → exactly one line "cutroom: PROBE_FAILED: …" and exit 1', () => {
  const r = cutroom(['probe', join(dir, 'nope.mp4')]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.errLines.length, 1, r.stderr);
  assert.match(r.errLines[0]!, /^cutroom: PROBE_FAILED: .*nope\.mp4/);
});

test('validate: a good timeline exits 0 with "valid"; a bad one exits 2 with one line per issue', async () => {
  // validate looks asset ids up in the local data dir, as render does: register one first.
  const added = cutroom(['assets', 'add', await testsrcClip({ durationMs: 1000 }), '--json']);
  assert.equal(added.status, 0, added.stderr);
  const assetId = JSON.parse(added.stdout).asset.id as string;
  const good = join(dir, 'good.json');
  const goodDoc = {
    tracks: [{ id: 'v', kind: 'video', clips: [{ id: 'a', asset_id: assetId, start_ms: 0, out_ms: 1000 }] }],
  };
  writeFileSync(good, JSON.stringify(goodDoc));
  const ok = cutroom(['validate', good]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /valid/);

  // What the render would refuse, validate refuses: an unknown asset, an unknown transition, a typo'd key.
  const unknownAsset = join(dir, 'unknown-asset.json');
  writeFileSync(unknownAsset, JSON.stringify(goodDoc).replace(assetId, 'ast_nothere'));
  const ua = cutroom(['validate', unknownAsset]);
  assert.equal(ua.status, 1, ua.stderr);
  assert.match(ua.errLines[0]!, /^cutroom: ASSET_NOT_FOUND: tracks\[0\]\.clips\[0\]\.asset_id/);
  const badTransition = join(dir, 'bad-transition.json');
  const twoClips = {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'a', asset_id: assetId, start_ms: 0, out_ms: 1000 },
          { id: 'b', asset_id: assetId, start_ms: 1000, out_ms: 1000 },
        ],
        transitions: [{ id: 't', type: 'wobble', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 200 }],
      },
    ],
  };
  writeFileSync(badTransition, JSON.stringify({ timeline: twoClips }));
  const bt = cutroom(['validate', badTransition]);
  assert.equal(bt.status, 1, bt.stderr);
  assert.match(
    bt.errLines[0]!,
    /^cutroom: UNKNOWN_TRANSITION: timeline\.tracks\[0\]\.transitions\[0\]\.type/,
  );
  const typo = join(dir, 'typo.json');
  writeFileSync(typo, JSON.stringify({ ...goodDoc, trakcs: [] }));
  const ty = cutroom(['validate', typo]);
  assert.equal(ty.status, 2, ty.stderr);
  assert.match(
    ty.errLines[0]!,
    /^cutroom: VALIDATION_FAILED: trakcs: unknown key "trakcs"; did you mean "tracks"\?/,
  );

  const badTypes = join(dir, 'bad-types.json');
  writeFileSync(
    badTypes,
    JSON.stringify({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            { id: 'a', asset_id: 'ast_x', start_ms: -1, out_ms: 1000 },
            { id: 'b', asset_id: 'ast_x', start_ms: 'soon', speed: 9 },
          ],
        },
      ],
    }),
  );
  const r = cutroom(['validate', badTypes]);
  assert.equal(r.status, 2);
  assert.deepEqual(
    r.errLines.map((l) => l.split(': ').slice(0, 3).join(': ')),
    [
      'cutroom: VALIDATION_FAILED: tracks[0].clips[0].start_ms',
      'cutroom: VALIDATION_FAILED: tracks[0].clips[1].start_ms',
      'cutroom: VALIDATION_FAILED: tracks[0].clips[1].speed',
    ],
  );

  const overlap = join(dir, 'overlap.json');
  writeFileSync(
    overlap,
    JSON.stringify({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            { id: 'a', asset_id: 'ast_x', start_ms: 0, out_ms: 1000 },
            { id: 'b', asset_id: 'ast_x', start_ms: 500, out_ms: 1000 },
          ],
        },
      ],
    }),
  );
  const o = cutroom(['validate', overlap]);
  assert.equal(o.status, 2);
  assert.equal(o.errLines.length, 1);
  assert.match(
    o.errLines[0]!,
    /^cutroom: TIMELINE_INVALID: tracks\[0\]\.clips\[1\]\.start_ms: overlaps clip "a"/,
  );

  const notJson = join(dir, 'not.json');
  writeFileSync(notJson, '{"tracks": [');
  const n = cutroom(['validate', notJson]);
  assert.equal(n.status, 2);
  assert.equal(n.errLines.length, 1);
  assert.match(n.errLines[0]!, /^cutroom: VALIDATION_FAILED: /);
});

test('validate a project file: every sequence is checked, paths start at sequences[i]', () => {
  const file = join(dir, 'project.json');
  const clipAt = (id: string, start: number) => ({ id, asset_id: 'ast_x', start_ms: start, out_ms: 1000 });
  writeFileSync(
    file,
    JSON.stringify({
      name: 'p',
      sequences: [
        { id: 'a', tracks: [{ id: 'v', kind: 'video', clips: [clipAt('a1', 0), clipAt('a2', 1000)] }] },
        { id: 'b', tracks: [{ id: 'v', kind: 'video', clips: [clipAt('b1', 0), clipAt('b2', 999)] }] },
      ],
    }),
  );
  const r = cutroom(['validate', file]);
  assert.equal(r.status, 2);
  assert.equal(r.errLines.length, 1, r.stderr);
  assert.match(
    r.errLines[0]!,
    /^cutroom: TIMELINE_INVALID: sequences\[1\]\.tracks\[0\]\.clips\[1\]\.start_ms: overlaps/,
  );
});

test('usage errors → one line "cutroom: CLI_USAGE: …" and exit 2; --help exits 0', () => {
  for (const args of [['frobnicate'], ['probe'], ['probe', 'x', '--bogus']]) {
    const r = cutroom(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.errLines.length, 1, r.stderr);
    assert.match(r.errLines[0]!, /^cutroom: CLI_USAGE: /);
  }
  const help = cutroom(['--help']);
  assert.equal(help.status, 0);
  for (const cmd of ['serve', 'probe', 'validate', 'assets', 'keys'])
    assert.match(help.stdout, new RegExp(`\\n  ${cmd}\\b`));
});
