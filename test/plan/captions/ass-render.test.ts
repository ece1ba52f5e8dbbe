// Burns .ass files from buildAssSubtitles into a black clip with ffmpeg's subtitles filter (libass) and reads
// the pixels back: text appears during a word and not outside, and hostile text is drawn literally.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { capture } from '../../../src/ffmpeg/index.js';
import { buildAssSubtitles, type CaptionStyle, type Transcript } from '../../../src/plan/captions/index.js';
import { escapeFilterPath } from '../../../src/plan/format.js';

const W = 320;
const H = 240;
const FPS = 10;
let dir: string;
let n = 0;

before(async () => {
  // Quote, colon and comma in the directory: the path must survive filtergraph escaping.
  dir = await mkdtemp(join(tmpdir(), "cutroom-ass-it's:a,b-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function words(list: Array<[string, number, number]>): Transcript {
  return {
    language: 'en',
    segments: [
      {
        start_ms: list[0]![1],
        end_ms: list[list.length - 1]![2],
        text: list.map((w) => w[0]).join(' '),
        words: list.map(([word, start_ms, end_ms]) => ({ word, start_ms, end_ms, confidence: 1 })),
      },
    ],
  };
}

/** All frames (rgb24) of a 3 s black clip with the subtitles burnt in. */
async function render(transcript: Transcript, style: CaptionStyle, fontSize?: number): Promise<Buffer[]> {
  const ass = join(dir, `t${(n += 1)}.ass`);
  await writeFile(
    ass,
    buildAssSubtitles({
      transcript,
      style,
      canvas: { width: W, height: H },
      fontFamily: 'DejaVu Sans',
      ...(fontSize ? { fontSize } : {}),
    }),
  );
  const r = await capture({
    binary: 'ffmpeg',
    args: [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      `color=black:s=${W}x${H}:r=${FPS}:d=3`,
      '-vf',
      `subtitles=filename=${escapeFilterPath(ass)}`,
      '-threads',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
  });
  assert.equal(r.exitCode, 0, r.stderrTail);
  const size = W * H * 3;
  const frames: Buffer[] = [];
  for (let o = 0; o + size <= r.stdout.length; o += size) frames.push(r.stdout.subarray(o, o + size));
  assert.equal(frames.length, 3 * FPS);
  return frames;
}

interface Ink {
  count: number;
  width: number;
  height: number;
  yellow: number;
}

/** Bright (text) pixels: how many and their bounding box; yellow = bright red+green, no blue. */
function ink(frame: Buffer): Ink {
  let count = 0;
  let yellow = 0;
  let x0 = W;
  let x1 = -1;
  let y0 = H;
  let y1 = -1;
  for (let y = 0; y < H; y += 1)
    for (let x = 0; x < W; x += 1) {
      const i = (y * W + x) * 3;
      const r = frame[i]!;
      const g = frame[i + 1]!;
      const b = frame[i + 2]!;
      if (r > 150 && g > 150 && b < 90) yellow += 1;
      if (Math.max(r, g, b) > 128) {
        count += 1;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  return { count, width: x1 - x0 + 1, height: y1 - y0 + 1, yellow };
}

const at = (frames: Buffer[], ms: number) => ink(frames[Math.floor((ms * FPS) / 1000)]!);

describe('ASS burn-in renders (ffmpeg subtitles filter)', () => {
  for (const style of ['clean', 'bold_pop', 'karaoke'] as const) {
    it(`${style}: text during the words, nothing before or after`, async () => {
      const frames = await render(
        words([
          ['hello', 1000, 1400],
          ['world', 1450, 2000],
        ]),
        style,
      );
      assert.equal(at(frames, 500).count, 0, 'empty before the first word');
      assert.ok(at(frames, 1200).count > 20, 'text while a word is spoken');
      assert.equal(at(frames, 2700).count, 0, 'empty after the caption ends');
    });
  }

  it('karaoke highlights the current word in yellow', async () => {
    const frames = await render(
      words([
        ['hello', 1000, 1500],
        ['world', 1500, 2000],
      ]),
      'karaoke',
    );
    const first = at(frames, 1200);
    const second = at(frames, 1700);
    assert.ok(first.yellow > 30 && second.yellow > 30, `yellow pixels: ${first.yellow}, ${second.yellow}`);
    assert.ok(first.count - first.yellow > 30, 'the other word stays white');
  });

  it('hostile text renders literally (override tags, braces, backslashes, \\N)', async () => {
    const plain = at(await render(words([['AB', 500, 2500]]), 'clean', 24), 1000);
    assert.ok(plain.count > 0);
    for (const hostile of ['{\\b1}AB', '{\\c&H0000FF&}AB', '}{AB', '\\AB\\']) {
      const got = at(await render(words([[hostile, 500, 2500]]), 'clean', 24), 1000);
      // Interpreted tags would be invisible (or recolour/bold "AB"); drawn literally they widen the text.
      assert.ok(got.width > plain.width + 10, `${hostile}: width ${got.width} vs ${plain.width} for "AB"`);
      assert.ok(got.count > plain.count, `${hostile}: more ink than "AB" alone`);
    }
    const nl = at(await render(words([['A\\NB', 500, 2500]]), 'clean', 24), 1000);
    // A real \N would put B on a second line: twice the height, narrower.
    assert.ok(nl.height < plain.height * 1.5, `"A\\NB" is one line (height ${nl.height} vs ${plain.height})`);
    assert.ok(nl.width > plain.width, 'and shows the backslash and N');
  });
});
