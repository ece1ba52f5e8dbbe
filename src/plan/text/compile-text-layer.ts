/**
 * A text layer -> drawtext filter(s) for the composite stream (whose `t` is timeline time).
 *
 * User text never enters the graph: it is written to helper files (`plan.files`) read with `textfile=` and
 * `expansion=none`, so `%{pts}`, quotes, colons, backslashes and brackets are drawn literally. Only numbers and
 * escaped expressions/paths are in the filter string.
 *
 * Multi-line alignment: ffmpeg 5.1's drawtext has no `text_align` (6.1+), it draws every line left-aligned.
 * - `left` (and any single line): one drawtext, block placed with text_w/text_h — exact.
 * - `center` / `right`: one drawtext per line, each placed by its own text_w. Exact when the block's anchor is
 *   the same as the alignment (centre-anchored + center, right-anchored + right). Otherwise the block width
 *   is unknown to the planner (no font metrics here) and is estimated as 0.6 em × the longest line's
 *   characters, with a TEXT_ALIGN_APPROXIMATE warning. Lines are spaced 1.25 em on a common baseline.
 * - more than MAX_LINE_FILTERS lines: one left-aligned drawtext and a TEXT_ALIGN_FALLBACK warning (bounds the
 *   graph size).
 *
 * RTL and complex scripts: this ffmpeg is built with libfribidi, so text_shaping=1 reorders RTL runs (no
 * HarfBuzz ligature shaping in 5.1). Emoji render only if the font has the glyphs (DejaVu has few).
 *
 * Timing: visible on frames [round(start·fps), round(end·fps)) exactly: `between(t, a, b)` with a and b half
 * a frame before those frame starts, so rounding of frame times can never add or drop a frame.
 */
import type { Warning } from '../../errors.js';
import type { TextLayer } from '../../timeline/index.js';
import { ffmpegColor } from '../filters/ffmpeg-color.js';
import { escapeFilterPath, escapeFilterValue, formatNumber } from '../format.js';
import { frameAt } from '../frame-grid.js';
import type { PlanFile } from '../types.js';
import { SAFE_MARGIN, textAnchor, type TextAnchor } from './position-presets.js';
import { textMotion, type TextMotion } from './text-animation.js';

export interface CompileTextLayerInput {
  layer: TextLayer;
  index: number;
  /** e.g. `tracks[3].items[0]`: prefixes warning paths. */
  path: string;
  canvas: { width: number; height: number };
  fps: { num: number; den: number };
  /** Local font file resolved by the caller (family or font asset; bold picked by the caller). */
  fontFile: string;
  /** Directory the runner writes plan.files into. */
  workDir: string;
}

export interface CompileTextLayerResult {
  filter: string;
  files: PlanFile[];
  warnings: Warning[];
}

/** Above this many lines, per-line drawtext filters would bloat the graph: fall back to one left-aligned block. */
export const MAX_LINE_FILTERS = 64;
/** Reference canvas height for font.size, box padding, outline and shadow sizes. */
const REFERENCE_HEIGHT = 1080;
const LINE_PITCH_EM = 1.25;
const BASELINE_EM = 0.95;
const CHAR_WIDTH_EM = 0.6;

function joinPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

/** Pixel sizes drawtext takes as integers (boxborderw, borderw, shadowx/y). */
function sized(px: number): number {
  return Math.round(px);
}

interface Geometry {
  anchor: TextAnchor;
  fontSize: number;
  motion: TextMotion;
}

/** x of one drawtext: `tw` is that drawtext's width; `blockW` (estimate) only when alignment ≠ anchor. */
function xExpr(g: Geometry, align: TextLayer['align'], single: boolean, blockW: string): string {
  const ax = formatNumber(g.anchor.x);
  const h = g.anchor.h;
  let x: string;
  if (single || align === h) {
    // Exact: the drawtext's own width is the block width (single) or the alignment edge is the anchor.
    x = h === 'left' ? ax : h === 'center' ? `${ax}-tw/2` : `${ax}-tw`;
  } else {
    const left = h === 'left' ? ax : h === 'center' ? `${ax}-${blockW}/2` : `${ax}-${blockW}`;
    x = align === 'left' ? left : align === 'center' ? `${left}+(${blockW}-tw)/2` : `${left}+${blockW}-tw`;
  }
  return g.motion.dx === '0' ? x : plus(x, g.motion.dx);
}

function yBlockTop(g: Geometry, blockH: string): string {
  const ay = formatNumber(g.anchor.y);
  return g.anchor.v === 'top' ? ay : g.anchor.v === 'center' ? `${ay}-${blockH}/2` : `${ay}-${blockH}`;
}

/** a + b, folding `+-` so a negative term reads as a subtraction. */
function plus(a: string, b: string): string {
  return b.startsWith('-') ? `${a}${b}` : `${a}+${b}`;
}

function withDy(y: string, motion: TextMotion): string {
  return motion.dy === '0' ? y : plus(y, motion.dy);
}

function scaled(value: number, scale: string): string {
  return scale === '1' ? formatNumber(value) : `${formatNumber(value)}*${scale}`;
}

/** Greedy word wrap to at most `maxChars` characters per line; a longer word keeps its own line. */
function wrapLine(line: string, maxChars: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of line.split(/ +/)) {
    if (current === '') current = word;
    else if ([...current].length + 1 + [...word].length <= maxChars) current += ` ${word}`;
    else {
      out.push(current);
      current = word;
    }
  }
  out.push(current);
  return out;
}

export function compileTextLayer(input: CompileTextLayerInput): CompileTextLayerResult {
  const { layer, index, path, canvas, fps } = input;
  const warnings: Warning[] = [];
  const k = canvas.height / REFERENCE_HEIGHT;

  // Frame-exact window.
  const grid = { fps, sampleRate: 48000 };
  const fa = frameAt(grid, layer.start_ms);
  const fb = Math.max(fa + 1, frameAt(grid, layer.start_ms + layer.duration_ms));
  const frameS = fps.den / fps.num;
  const startS = fa * frameS;
  const endS = fb * frameS;
  const enable = `between(t,${formatNumber((fa - 0.5) * frameS)},${formatNumber((fb - 0.5) * frameS)})`;

  // Animation sides may not overlap: shorten both proportionally when they would.
  let inS = layer.animation.in === 'none' ? 0 : layer.animation.duration_ms / 1000;
  let outS = layer.animation.out === 'none' ? 0 : layer.animation.duration_ms / 1000;
  const visibleS = endS - startS;
  if (inS + outS > visibleS) {
    const f = visibleS / (inS + outS);
    inS *= f;
    outS *= f;
    warnings.push({
      code: 'TEXT_ANIMATION_SHORTENED',
      message: `in+out animations (${layer.animation.duration_ms} ms each) exceed the layer's ${Math.round(visibleS * 1000)} ms; shortened to fit`,
      path: `${path}.animation.duration_ms`,
    });
  }
  const motion = textMotion({
    animIn: layer.animation.in,
    animOut: layer.animation.out,
    startS,
    endS,
    inS,
    outS,
    width: canvas.width,
    height: canvas.height,
  });
  // CRLF text from Windows clients: the \r would otherwise be drawn as a glyph at each line end.
  let lines = layer.text.split(/\r?\n/);
  let fontSize = Math.max(1, sized(layer.font.size * k));
  const safeW = canvas.width * (1 - 2 * SAFE_MARGIN);
  const em = (chars: number, size: number) => CHAR_WIDTH_EM * size * chars;
  const widest = (ls: string[]) => Math.max(...ls.map((l) => [...l].length));
  if (layer.fit === 'wrap') {
    lines = lines.flatMap((line) =>
      wrapLine(line, Math.max(1, Math.floor(safeW / (CHAR_WIDTH_EM * fontSize)))),
    );
  } else if (layer.fit === 'shrink' && em(widest(lines), fontSize) > safeW) {
    fontSize = Math.max(1, Math.floor(safeW / (CHAR_WIDTH_EM * widest(lines))));
  }
  const blockW = em(widest(lines), fontSize);
  const blockH = lines.length === 1 ? fontSize : LINE_PITCH_EM * fontSize * lines.length;
  if (blockW > canvas.width || blockH > canvas.height) {
    warnings.push({
      code: 'TEXT_OVERFLOW',
      message: `the text is estimated at ${Math.round(blockW)}x${Math.round(blockH)} px on a ${canvas.width}x${canvas.height} canvas; part of it falls outside${layer.fit === undefined || layer.fit === 'none' ? ' (fit: wrap or shrink would fit it)' : ''}`,
      path: `${path}.text`,
    });
  }
  const g: Geometry = {
    anchor: textAnchor({ position: layer.position, width: canvas.width, height: canvas.height }),
    fontSize,
    motion,
  };

  // Options shared by every drawtext of the layer (style), in a fixed order for stable plans.
  const common: string[] = [
    `fontfile=${escapeFilterPath(input.fontFile)}`,
    'expansion=none',
    'text_shaping=1',
    `fontsize=${escapeFilterValue(scaled(fontSize, motion.scale))}`,
    `fontcolor=${ffmpegColor(layer.color)}`,
  ];
  if (layer.box) {
    common.push(
      'box=1',
      `boxcolor=${ffmpegColor(layer.box.color)}`,
      `boxborderw=${sized(layer.box.padding * k)}`,
    );
  }
  if (layer.outline && layer.outline.width > 0) {
    common.push(
      `borderw=${Math.max(1, sized(layer.outline.width * k))}`,
      `bordercolor=${ffmpegColor(layer.outline.color)}`,
    );
  }
  if (layer.shadow) {
    common.push(
      `shadowx=${sized(layer.shadow.x * k)}`,
      `shadowy=${sized(layer.shadow.y * k)}`,
      `shadowcolor=${ffmpegColor(layer.shadow.color)}`,
    );
  }
  const tail: string[] = [];
  if (motion.alpha !== '1') tail.push(`alpha=${escapeFilterValue(motion.alpha)}`);
  tail.push(`enable=${escapeFilterValue(enable)}`);

  let single = lines.length === 1 || layer.align === 'left';
  if (!single && lines.length > MAX_LINE_FILTERS) {
    single = true;
    warnings.push({
      code: 'TEXT_ALIGN_FALLBACK',
      message: `${lines.length} lines exceed ${MAX_LINE_FILTERS}; drawn as one left-aligned block`,
      path: `${path}.align`,
    });
  }

  const files: PlanFile[] = [];
  const filters: string[] = [];
  const drawtext = (file: string, x: string, y: string): string =>
    `drawtext=${[...common, `textfile=${escapeFilterPath(file)}`, `x=${escapeFilterValue(x)}`, `y=${escapeFilterValue(y)}`, ...tail].join(':')}`;

  if (single) {
    const file = joinPath(input.workDir, `text_${index}.txt`);
    files.push({ path: file, content: layer.fit === 'wrap' ? lines.join('\n') : layer.text });
    filters.push(drawtext(file, xExpr(g, layer.align, true, ''), withDy(yBlockTop(g, 'th'), motion)));
  } else {
    const maxChars = Math.max(...lines.map((l) => [...l].length));
    const blockW = scaled(CHAR_WIDTH_EM * fontSize * maxChars, motion.scale);
    if (layer.align !== g.anchor.h) {
      warnings.push({
        code: 'TEXT_ALIGN_APPROXIMATE',
        message: `${layer.align}-aligned lines in a ${g.anchor.h}-anchored block: block width estimated from character count`,
        path: `${path}.align`,
      });
    }
    const pitch = sized(LINE_PITCH_EM * fontSize);
    const top = yBlockTop(g, scaled(pitch * lines.length, motion.scale));
    lines.forEach((line, i) => {
      // Empty lines only take their pitch (drawtext has nothing to draw).
      if (line.trim() === '') return;
      const file = joinPath(input.workDir, `text_${index}_${i}.txt`);
      files.push({ path: file, content: line });
      const baseline = scaled(i * pitch + sized(BASELINE_EM * fontSize), motion.scale);
      filters.push(
        drawtext(file, xExpr(g, layer.align, false, blockW), withDy(`${top}+${baseline}-ascent`, motion)),
      );
    });
  }
  return { filter: filters.join(','), files, warnings };
}
