// Memory bound: every segment is its own seeked input and transitions blend only their window, so peak RSS must
// not grow with clip length. Renders 3 clips with 2 crossfades twice (3 s clips, then 10 s clips) and compares
// peak RSS measured by /usr/bin/time -v. Skipped when GNU time is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { compile } from '../../src/plan/compile.js';
import { testsrcClip } from '../helpers/media.js';
import { realSource, tempDir, timeline } from './helpers/plan-fixtures.js';

const GNU_TIME = '/usr/bin/time';

function peakRssMb(args: string[], out: string): number {
  const r = spawnSync(GNU_TIME, [
    '-v',
    ffmpegPath(),
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    ...args,
    out,
  ]);
  assert.equal(r.status, 0, r.stderr.toString().slice(-2000));
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr.toString())?.[1];
  assert.ok(kb, 'GNU time printed the peak RSS');
  return Number(kb) / 1024;
}

test(
  'peak RSS of 3 clips + 2 crossfades does not grow with clip length',
  { skip: !existsSync(GNU_TIME) && 'no /usr/bin/time' },
  async () => {
    const file = await testsrcClip({ durationMs: 10000 });
    const src = realSource('s', file);
    const tmp = tempDir('mem');
    try {
      const rss: number[] = [];
      for (const clipMs of [3000, 9000]) {
        const tl = timeline({
          tracks: [
            {
              id: 'v',
              kind: 'video',
              clips: [
                { id: 'a', asset_id: 's', start_ms: 0, in_ms: 0, out_ms: clipMs },
                { id: 'b', asset_id: 's', start_ms: clipMs, in_ms: 500, out_ms: clipMs + 500 },
                { id: 'c', asset_id: 's', start_ms: 2 * clipMs, in_ms: 1000, out_ms: clipMs + 1000 },
              ],
              transitions: [
                { id: 't1', type: 'crossfade', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 1000 },
                { id: 't2', type: 'crossfade', from_clip_id: 'b', to_clip_id: 'c', duration_ms: 1000 },
              ],
            },
          ],
        });
        const plan = compile({ timeline: tl, sources: { s: src }, profile: 'draft_360p' });
        const args = plan.args.map((a) => (a === 'veryfast' ? 'ultrafast' : a));
        rss.push(peakRssMb(args, join(tmp.dir, `m${clipMs}.mp4`)));
      }
      console.log(`# peak RSS: 3x3 s clips ${rss[0]!.toFixed(0)} MB, 3x9 s clips ${rss[1]!.toFixed(0)} MB`);
      // 3x more media may not cost more than a small constant (decoder/encoder state), never per-frame buffering:
      // buffering 6 extra seconds of 640x360 frames would add > 60 MB.
      assert.ok(rss[1]! < rss[0]! + 30, `RSS grew from ${rss[0]} to ${rss[1]} MB`);
      assert.ok(rss[1]! < 400, `peak RSS ${rss[1]} MB`);
    } finally {
      tmp.cleanup();
    }
  },
);
