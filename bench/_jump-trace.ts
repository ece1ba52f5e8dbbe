// Diagnostic: per-frame traces around given frames (score, diff_y, local block residual) for one video.
//   node --import tsx bench/_jump-trace.ts FILE FRAME...
import { readFrames } from '../src/ffmpeg/frames.js';
import { probeMedia } from '../src/ffmpeg/probe.js';
import { analysisSize } from '../src/engines/visual-meta/analyze-visual-meta.js';
import { createFrameFeatureExtractor } from '../src/engines/visual-meta/frame-feature-extractor.js';
import type { FrameFeatures } from '../src/engines/visual-meta/types.js';

const [file, ...marks] = process.argv.slice(2);
const info = await probeMedia({ path: file! });
const { width, height } = analysisSize(info);
const ex = createFrameFeatureExtractor({ width, height });
const frames: FrameFeatures[] = [];
const ys: Uint8Array[] = [];
for await (const fr of readFrames({ path: file!, width, height, pixFmt: 'rgb24', scaleFlags: 'area' })) {
  frames.push(ex.push(fr));
  const y = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < y.length; i++, p += 3)
    y[i] = (77 * fr.data[p]! + 150 * fr.data[p + 1]! + 29 * fr.data[p + 2]!) >> 8;
  ys.push(y);
}
const B = 8,
  R = 2;
function local(a: Uint8Array, b: Uint8Array): number {
  let tot = 0,
    cnt = 0;
  for (let by = R; by + B <= height - R; by += B)
    for (let bx = R; bx + B <= width - R; bx += B) {
      let best = Infinity;
      for (let sy = -R; sy <= R; sy++)
        for (let sx = -R; sx <= R; sx++) {
          let s = 0;
          for (let y = by; y < by + B; y++)
            for (let x = bx; x < bx + B; x++)
              s += Math.abs(a[y * width + x]! - b[(y - sy) * width + x - sx]!);
          if (s < best) best = s;
        }
      tot += Math.max(0, best / (B * B) - 3);
      cnt++;
    }
  return tot / cnt;
}
const loc = frames.map((_, i) => (i > 0 ? local(ys[i]!, ys[i - 1]!) : 0));
for (const m of marks.map(Number)) {
  const row = [];
  for (let k = m - 4; k <= m + 4; k++)
    if (k >= 0 && k < frames.length)
      row.push(`${k === m ? '*' : ''}${frames[k]!.score.toFixed(1)}/${loc[k]!.toFixed(2)}`);
  let mx = 0;
  for (let k = m - 8; k <= m + 8; k++) if (k !== m && k > 0 && k < frames.length) mx = Math.max(mx, loc[k]!);
  console.log(
    `${m}: local ${loc[m]!.toFixed(2)} maxNbr ${mx.toFixed(2)} ratio ${(loc[m]! / Math.max(1e-3, mx)).toFixed(2)} | ${row.join(' ')}`,
  );
}
const ratioAt = (m: number) => {
  let mx = 0;
  for (let k = m - 8; k <= m + 8; k++) if (k !== m && k > 0 && k < frames.length) mx = Math.max(mx, loc[k]!);
  return loc[m]! / Math.max(1e-3, mx);
};
const others = frames
  .map((f, i) => ({ i, s: f.score, r: ratioAt(i), l: loc[i]! }))
  .filter((x) => x.i > 0 && x.s < 15 && !marks.map(Number).some((m) => Math.abs(m - x.i) <= 1))
  .sort((a, b) => b.r - a.r)
  .slice(0, 15);
console.log(
  'top non-marked (score<15):',
  others.map((x) => `${x.i}:${x.r.toFixed(2)}(l${x.l.toFixed(2)},s${x.s.toFixed(1)})`).join(' '),
);
