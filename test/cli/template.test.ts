// `cutroom template merge|render` from local files: the merge is checked field by field, the render is measured.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { durationMs, pngImage, sampleColor } from '../helpers/media.js';
import { cutroomIn } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cutroom-cli-template-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const TEMPLATE = {
  name: 'card',
  timeline: {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          {
            id: 'bg',
            asset_id: 'generator:bg',
            start_ms: 0,
            duration_ms: '{{DUR}}',
            generator: { type: 'color', color: '{{FILL}}' },
          },
        ],
      },
      {
        id: 'o',
        kind: 'overlay',
        clips: [
          {
            id: 'p',
            asset_id: '{{PHOTO}}',
            start_ms: 0,
            duration_ms: '{{DUR}}',
            transform: { scale: 0.25, position_x: 0.875, position_y: 0.125 },
          },
        ],
      },
    ],
  },
};

test('template render: merge values from a file, render, measured; a bad value is one coded line naming it', async () => {
  const png = await pngImage({ color: '#0000FF' });
  const added = cutroomIn(dir, ['assets', 'add', png, '--json']);
  assert.equal(added.status, 0, added.stderr);
  const photo = JSON.parse(added.stdout).asset.id as string;
  const templatePath = join(dir, 'card.json');
  writeFileSync(templatePath, JSON.stringify(TEMPLATE));
  const mergePath = join(dir, 'merge.json');
  writeFileSync(mergePath, JSON.stringify({ DUR: 1200, FILL: '#00C000', PHOTO: photo }));

  const merged = cutroomIn(dir, ['template', 'merge', templatePath, '--merge', mergePath]);
  assert.equal(merged.status, 0, merged.stderr);
  assert.equal(JSON.parse(merged.stdout).tracks[0].clips[0].generator.color, '#00C000');

  const out = join(dir, 'card.mp4');
  const run = cutroomIn(dir, [
    'template',
    'render',
    templatePath,
    '--merge',
    mergePath,
    '-o',
    out,
    '--profile',
    'draft_360p',
  ]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /rendered .*card\.mp4: 1200 ms, 36 frames/);
  assert.ok(Math.abs((await durationMs(out, 'video')) - 1200) <= 34);
  const fill = await sampleColor({ file: out, tMs: 600, x: 40, y: 300 });
  assert.ok(fill.g > 150 && fill.r < 50 && fill.b < 50, JSON.stringify(fill));
  const pic = await sampleColor({ file: out, tMs: 600, x: 560, y: 40 });
  assert.ok(pic.b > 180 && pic.r < 60, JSON.stringify(pic));

  writeFileSync(mergePath, JSON.stringify({ DUR: 1200, FILL: 'green', PHOTO: photo }));
  const bad = cutroomIn(dir, ['template', 'render', templatePath, '--merge', mergePath, '-o', out]);
  assert.notEqual(bad.status, 0);
  assert.deepEqual(bad.errLines, [
    'cutroom: TEMPLATE_MERGE_INVALID: merge.FILL: must be a colour #RRGGBB or #RRGGBBAA, got "green"',
  ]);
});
