/**
 * Param values as filtergraph text: a constant through formatNumber, or keyframes through keyframeExpr, then
 * escaped for the graph (expressions contain commas, which would otherwise end the filter).
 */
import { keyframeExpr } from '../automation/keyframe-expr.js';
import { escapeFilterValue, formatNumber } from '../format.js';
import type { FilterBuildContext } from './types.js';

export interface ParamTextOptions {
  ctx: FilterBuildContext;
  name: string;
  /** Multiplies the value (e.g. strength 0..1 -> vignette angle 0..π/2). */
  factor?: number;
  /** Expression time variable of the consuming filter (`t` for eq/hue/vignette, `T` for sendcmd). */
  timeVar?: string;
  /** Escape for the graph (default). sendcmd arguments are escaped by the caller as part of the command list. */
  escape?: boolean;
}

export function paramText(options: ParamTextOptions): string {
  const { ctx, name, factor = 1, timeVar = 't', escape = true } = options;
  const param = ctx.params[name];
  if (param === undefined) throw new Error(`param ${name} was not resolved`);
  if (param.kind === 'static') {
    if (typeof param.value !== 'number') throw new Error(`param ${name} is not a number`);
    return formatNumber(param.value * factor);
  }
  const expr = keyframeExpr({ keyframes: param.keyframes, timeVar });
  const scaled = factor === 1 ? expr : `(${expr})*${formatNumber(factor)}`;
  return escape ? escapeFilterValue(scaled) : scaled;
}

export function isAnimated(ctx: FilterBuildContext, name: string): boolean {
  return ctx.params[name]?.kind === 'animated';
}

/** A constant param's value (validation guarantees the type). */
export function staticValue(ctx: FilterBuildContext, name: string): number | boolean | string {
  const param = ctx.params[name];
  if (param === undefined || param.kind !== 'static') throw new Error(`param ${name} is not a constant`);
  return param.value;
}

export function staticNumber(ctx: FilterBuildContext, name: string): number {
  const v = staticValue(ctx, name);
  if (typeof v !== 'number') throw new Error(`param ${name} is not a number`);
  return v;
}
