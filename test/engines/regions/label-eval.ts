/**
 * Scores detections against hand labels (labels.json). A detection matches a label when each box contains the
 * other's centre: robust to the detector drawing brow-to-chin while a person labels forehead-to-chin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Box, Detection } from '../../../src/engines/regions/types.js';

export interface LabelItem {
  file: string;
  t_ms?: number;
  faces: Box[];
  optional: Box[];
}

export interface Labels {
  root: string;
  items: LabelItem[];
}

export function loadLabels(): Labels {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'labels.json'), 'utf8')) as Labels;
}

function contains(b: Box, p: { x: number; y: number }): boolean {
  return p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h;
}

function centre(b: Box): { x: number; y: number } {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}

export function matches(label: Box, det: Box): boolean {
  return contains(label, centre(det)) && contains(det, centre(label));
}

export interface ItemScore {
  found: number;
  total: number;
  falsePositives: number;
}

export function scoreItem(item: LabelItem, detections: readonly Detection[]): ItemScore {
  const used = new Set<number>();
  let found = 0;
  for (const label of item.faces) {
    const i = detections.findIndex((d, k) => !used.has(k) && matches(label, d.box));
    if (i >= 0) {
      used.add(i);
      found += 1;
    }
  }
  let falsePositives = 0;
  detections.forEach((d, k) => {
    if (used.has(k)) return;
    // Inside an optional region (a head turned away, a crowd) is neither a hit nor a false positive.
    if (item.optional.some((o) => contains(o, centre(d.box)))) return;
    falsePositives += 1;
  });
  return { found, total: item.faces.length, falsePositives };
}
