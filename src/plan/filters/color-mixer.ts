import { formatNumber } from '../format.js';
import { staticNumber } from './param-text.js';
import type { FilterBuilder } from './types.js';

type Matrix = readonly [readonly number[], readonly number[], readonly number[]];

const GRAYSCALE: Matrix = [
  [0.299, 0.587, 0.114],
  [0.299, 0.587, 0.114],
  [0.299, 0.587, 0.114],
];
const SEPIA: Matrix = [
  [0.393, 0.769, 0.189],
  [0.349, 0.686, 0.168],
  [0.272, 0.534, 0.131],
];
const OUT = ['r', 'g', 'b'] as const;

/** amount blends the matrix with identity, so 0 leaves the picture untouched. */
export function colorMixerBuilder(kind: 'grayscale' | 'sepia'): FilterBuilder {
  const target = kind === 'grayscale' ? GRAYSCALE : SEPIA;
  return (ctx) => {
    const a = staticNumber(ctx, 'amount');
    const parts: string[] = [];
    for (let row = 0; row < 3; row++) {
      for (let col = 0; col < 3; col++) {
        const identity = row === col ? 1 : 0;
        const value = identity * (1 - a) + target[row]![col]! * a;
        parts.push(`${OUT[row]}${OUT[col]}=${formatNumber(value, 4)}`);
      }
    }
    return `colorchannelmixer=${parts.join(':')}`;
  };
}
