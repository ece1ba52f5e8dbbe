/**
 * vidstabdetect parameters, validated and with vid.stab's defaults filled in, so the cache key names every
 * value that shapes the transforms.
 */
import { cutroomError } from '../../errors.js';

export interface StabiliseDetectInput {
  /** How shaky the footage is, 1 (little) .. 10 (very); sets the search range. vid.stab default 5. */
  shakiness?: number;
  /** 1..15: how many measurement fields are used. Default 15 (the most). */
  accuracy?: number;
  /** Search step in pixels, 1..32. vid.stab default 6. */
  stepsize?: number;
  /** Fields below this contrast are ignored, 0..1. vid.stab default 0.25. */
  mincontrast?: number;
  /** Measure every frame against the first one, for vidstabtransform's tripod mode. Default false. */
  tripod?: boolean;
}

export interface StabiliseDetectParams {
  shakiness: number;
  accuracy: number;
  stepsize: number;
  mincontrast: number;
  tripod: boolean;
}

function checkInt(path: string, value: number, min: number, max: number, problems: string[]): void {
  if (!Number.isInteger(value) || value < min || value > max)
    problems.push(`${path} must be an integer in ${min}..${max}, got ${value}`);
}

export function resolveDetectParams(input: StabiliseDetectInput): StabiliseDetectParams {
  const p: StabiliseDetectParams = {
    shakiness: input.shakiness ?? 5,
    accuracy: input.accuracy ?? 15,
    stepsize: input.stepsize ?? 6,
    mincontrast: input.mincontrast ?? 0.25,
    tripod: input.tripod ?? false,
  };
  const problems: string[] = [];
  checkInt('body.shakiness', p.shakiness, 1, 10, problems);
  checkInt('body.accuracy', p.accuracy, 1, 15, problems);
  checkInt('body.stepsize', p.stepsize, 1, 32, problems);
  if (!Number.isFinite(p.mincontrast) || p.mincontrast < 0 || p.mincontrast > 1)
    problems.push(`body.mincontrast must be a number in 0..1, got ${p.mincontrast}`);
  if (problems.length > 0) throw cutroomError('INVALID_PARAM', problems.join('; '), { problems });
  return p;
}
