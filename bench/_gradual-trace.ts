// Diagnostic: run the shot detector on the labelled transition sets from cached per-frame features, and print
// what it reported around every missed transition.
//   node --import tsx bench/_gradual-trace.ts [--seeds 1,2] [--family wipe]
// Features are cached per set under .cache/bench/ (keyed by the backend version), so detector-only changes
// re-run in seconds.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readFrames } from '../src/ffmpeg/frames.js';
import { probeMedia } from '../src/ffmpeg/probe.js';
import { analysisSize, VISUAL_META_BACKEND_VERSION } from '../src/engines/visual-meta/analyze-visual-meta.js';
import { createFrameFeatureExtractor } from '../src/engines/visual-meta/frame-feature-extractor.js';
import { detectShotBoundaries } from '../src/engines/visual-meta/detect-shot-boundaries.js';
import type { FrameFeatures } from '../src/engines/visual-meta/types.js';
import { scoreSet, transitionSet, type TransitionFamily } from './_transition-set.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const seeds = (arg('--seeds') ?? '1,2').split(',').map(Number);
const family = arg('--family') as TransitionFamily | undefined;

export async function cachedFeatures(path: string): Promise<FrameFeatures[]> {
  const cache = `${path}.${VISUAL_META_BACKEND_VERSION}.features.json`;
  if (existsSync(cache)) {
    const raw = JSON.parse(readFileSync(cache, 'utf8')) as Array<Record<string, unknown>>;
    return raw.map((r) => ({
      ...(r as unknown as FrameFeatures),
      hist: Float32Array.from(r.hist as number[]),
      sig: Uint8Array.from(r.sig as number[]),
      ...(r.fine ? { fine: Uint8Array.from(r.fine as number[]) } : {}),
    }));
  }
  const info = await probeMedia({ path });
  const { width, height } = analysisSize(info);
  const ex = createFrameFeatureExtractor({ width, height });
  const frames: FrameFeatures[] = [];
  for await (const fr of readFrames({ path, width, height, pixFmt: 'rgb24', scaleFlags: 'area' }))
    frames.push(ex.push(fr));
  writeFileSync(
    cache,
    JSON.stringify(
      frames.map((f) => {
        const o: Record<string, unknown> = { ...f, hist: [...f.hist], sig: [...f.sig] };
        const fine = (f as unknown as { fine?: Uint8Array }).fine;
        if (fine) o.fine = [...fine];
        return o;
      }),
    ),
  );
  return frames;
}

const tot = { n: 0, found: 0 };
// `--files A.mp4,B.mp4`: edits without gradual transitions; every transition reported there is false.
const files = arg('--files');
if (files) {
  let count = 0;
  for (const path of files.split(',')) {
    const frames = await cachedFeatures(path);
    const det = detectShotBoundaries({ frames, options: { minSceneLenFrames: 10 } });
    count += det.transitions.length;
    console.log(
      `${path}: ${det.transitions.map((t) => `${t.kind}@${t.start_frame}-${t.end_frame}`).join(' ') || '-'}`,
    );
  }
  console.log(`false transitions: ${count}`);
  process.exit(0);
}
let cuts = { tp: 0, fp: 0, fn: 0 };
const fams: Record<string, { n: number; found: number; kindOk: number }> = {};
for (const seed of seeds) {
  const set = await transitionSet(seed);
  const frames = await cachedFeatures(set.path);
  const t0 = performance.now();
  if (process.env.COARSE) for (const f of frames) delete (f as { fine?: unknown }).fine;
  const det = detectShotBoundaries({ frames, options: { minSceneLenFrames: 12 } });
  const ms = performance.now() - t0;
  const sc = scoreSet(set, det);
  cuts = { tp: cuts.tp + sc.cuts.tp, fp: cuts.fp + sc.cuts.fp, fn: cuts.fn + sc.cuts.fn };
  for (const [f, b] of Object.entries(sc.families)) {
    fams[f] ??= { n: 0, found: 0, kindOk: 0 };
    fams[f]!.n += b.n;
    fams[f]!.found += b.found;
    fams[f]!.kindOk += b.kindOk;
  }
  console.log(`seed ${seed}: detection ${ms.toFixed(0)} ms`);
  for (const t of set.transitions) {
    if (family && t.family !== family) continue;
    tot.n++;
    const miss = sc.missed.some((m) => m.start_frame === t.start_frame);
    if (!miss) tot.found++;
    const near = det.transitions.filter(
      (d) => d.end_frame >= t.start_frame - 8 && d.start_frame <= t.end_frame + 8,
    );
    const nearCuts = det.cuts.filter((c) => c >= t.start_frame - 8 && c <= t.end_frame + 8);
    if (miss || process.argv.includes('--all'))
      console.log(
        `  ${miss ? 'MISS' : 'ok  '} ${t.type.padEnd(13)} ${t.start_frame}-${t.end_frame} (${t.end_frame - t.start_frame + 1} f)  got ${near.map((d) => `${d.kind}@${d.start_frame}-${d.end_frame}`).join(' ') || '-'}  cuts ${nearCuts.join(',') || '-'}`,
      );
  }
  const inT = (c: number) => set.transitions.some((t) => c >= t.start_frame - 1 && c <= t.end_frame + 1);
  const labels = [...set.cuts, ...set.jump_cuts];
  const fps = det.cuts.filter((c) => !inT(c) && !labels.some((l) => Math.abs(l - c) <= 1));
  const fns = labels.filter((l) => !det.cuts.some((c) => Math.abs(l - c) <= 1));
  console.log(`  false cuts ${fps.join(',') || '-'}; missed cuts ${fns.join(',') || '-'}`);
}
const p = cuts.tp / Math.max(1, cuts.tp + cuts.fp);
const r = cuts.tp / Math.max(1, cuts.tp + cuts.fn);
console.log(
  `${family ?? 'all'}: ${tot.found}/${tot.n}; per family ${Object.entries(fams)
    .map(([f, b]) => `${f} ${b.found}/${b.n} (kind ${b.kindOk})`)
    .join(', ')}; cuts P ${p.toFixed(3)} R ${r.toFixed(3)} F1 ${((2 * p * r) / (p + r)).toFixed(3)}`,
);
