// `font.bold: true` draws the family's Bold face (found through fontconfig), measured on rendered pixels: the
// same word is wider and has more ink than in the regular face. A family without a Bold face, or a font asset,
// draws what it has and warns TEXT_BOLD_UNAVAILABLE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';
import { findBoldFontFile, findFontFile } from '../../../src/ffmpeg/find-font.js';
import { compile } from '../../../src/plan/compile.js';
import { solidClip } from '../../helpers/media.js';
import { diffBox } from '../filters/render-helpers.js';
import { realSource, runPlan, tempDir, timeline } from '../helpers/plan-fixtures.js';

const FAMILY = 'DejaVu Sans';

function textTimeline(bold: boolean) {
  return timeline({
    tracks: [
      { id: 'v', kind: 'video', clips: [{ id: 'c', asset_id: 'bg', start_ms: 0, in_ms: 0, out_ms: 500 }] },
      {
        id: 't',
        kind: 'text',
        items: [
          {
            id: 'w',
            start_ms: 0,
            duration_ms: 500,
            text: 'Headline',
            font: { family: FAMILY, size: 160, bold },
            color: '#FFFFFF',
          },
        ],
      },
    ],
  });
}

/** The first frame of a file as RGB24 at 640x360. */
function firstFrame(file: string): Buffer {
  const r = spawnSync(ffmpegPath(), [
    '-v',
    'error',
    '-i',
    file,
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-',
  ]);
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout;
}

test('bold: true uses the Bold face: the word is wider and heavier on the rendered frame', async () => {
  const bg = await solidClip({ color: '#000000', durationMs: 500, width: 320, height: 180 });
  const regularFile = await findFontFile({ family: FAMILY });
  const boldFile = await findBoldFontFile({ family: FAMILY });
  assert.ok(boldFile !== undefined && boldFile !== regularFile, `bold face of ${FAMILY}: ${boldFile}`);
  const fonts = { [FAMILY]: regularFile, [`bold:${FAMILY}`]: boldFile };
  const tmp = tempDir('bold-face');
  try {
    const measure = (bold: boolean) => {
      const plan = compile({
        timeline: textTimeline(bold),
        sources: { bg: realSource('bg', bg) },
        profile: 'draft_360p',
        fonts,
        work_dir: join(tmp.dir, bold ? 'b' : 'r'),
      });
      assert.deepEqual(plan.warnings, []);
      assert.ok(plan.filtergraph.includes(bold ? 'DejaVuSans-Bold' : 'DejaVuSans.ttf'), plan.filtergraph);
      const out = join(tmp.dir, `${bold ? 'bold' : 'regular'}.mp4`);
      runPlan(plan, out);
      const box = diffBox(firstFrame(out), 640, 360, { r: 0, g: 0, b: 0 }, 100);
      assert.ok(box, 'text drawn');
      return box;
    };
    const regular = measure(false);
    const bold = measure(true);
    const w = (b: typeof regular) => b.x1 - b.x0 + 1;
    assert.ok(w(bold) > w(regular) * 1.05, `bold ${w(bold)} px wide vs regular ${w(regular)} px`);
    assert.ok(bold.count > regular.count * 1.2, `bold ink ${bold.count} px vs regular ${regular.count} px`);
  } finally {
    tmp.cleanup();
  }
});

test('bold without a Bold face (or with a font asset) draws the regular face and warns', async () => {
  const bg = await solidClip({ color: '#000000', durationMs: 500, width: 320, height: 180 });
  const plan = compile({
    timeline: textTimeline(true),
    sources: { bg: realSource('bg', bg) },
    profile: 'draft_360p',
    // The caller found no Bold face: only the family's regular file.
    fonts: { [FAMILY]: await findFontFile({ family: FAMILY }) },
    work_dir: '/nonexistent-work',
  });
  assert.deepEqual(
    plan.warnings.map((w) => [w.code, w.path]),
    [['TEXT_BOLD_UNAVAILABLE', 'tracks[1].items[0].font.bold']],
  );
  assert.ok(plan.filtergraph.includes('DejaVuSans.ttf'));
});
