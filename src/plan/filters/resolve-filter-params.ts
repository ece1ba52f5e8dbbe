/**
 * Validates one filter instance's params against its descriptor (policy in catalog.ts): clamps out-of-range
 * numbers with PARAM_CLAMPED warnings, collects every other problem as an issue with its full path, and fills
 * defaults. Automated params become keyframes (values clamped like constants).
 */
import type { Warning } from '../../errors.js';
import type { Keyframe } from '../../timeline/index.js';
import { formatNumber } from '../format.js';
import type { FilterDescriptor, ParamDescriptor, ResolvedParam } from './types.js';

export interface ParamIssue {
  path: string;
  message: string;
}

export interface AutomatedParam {
  keyframes: Keyframe[];
  /** Path of the automation entry, e.g. `tracks[0].clips[2].automation[1]`. */
  path: string;
}

export interface ResolveFilterParamsInput {
  descriptor: FilterDescriptor;
  params: Readonly<Record<string, number | string | boolean>>;
  /** Automation that targets this instance, keyed by param name (already checked to be animatable). */
  automated: Readonly<Record<string, AutomatedParam>>;
  /** Path of the filter instance, e.g. `tracks[0].clips[2].filters[1]`. */
  path: string;
}

export interface ResolveFilterParamsResult {
  params: Record<string, ResolvedParam>;
  warnings: Warning[];
  issues: ParamIssue[];
}

const COLOR_RE = /^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
const MAX_STRING = 1024;

function describeRange(d: ParamDescriptor): string {
  const end = (v: number | undefined): string => (v === undefined ? '∞' : formatNumber(v));
  return `[${end(d.min)}, ${end(d.max)}]`;
}

function clampToRange(d: ParamDescriptor, value: number): number {
  let v = value;
  if (d.min !== undefined && v < d.min) v = d.min;
  if (d.max !== undefined && v > d.max) v = d.max;
  return v;
}

function checkValue(
  d: ParamDescriptor,
  value: unknown,
  path: string,
  warnings: Warning[],
  issues: ParamIssue[],
): number | string | boolean | undefined {
  switch (d.type) {
    case 'number':
    case 'int': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        issues.push({
          path,
          message: `must be a ${d.type === 'int' ? 'integer' : 'number'}, got ${JSON.stringify(value)}`,
        });
        return undefined;
      }
      if (d.type === 'int' && !Number.isInteger(value)) {
        issues.push({ path, message: `must be an integer, got ${value}` });
        return undefined;
      }
      const clamped = clampToRange(d, value);
      if (clamped !== value) {
        warnings.push({
          code: 'PARAM_CLAMPED',
          message: `${value} is outside ${describeRange(d)}; clamped to ${formatNumber(clamped)}`,
          path,
        });
      }
      return clamped;
    }
    case 'boolean':
      if (typeof value !== 'boolean') {
        issues.push({ path, message: `must be a boolean, got ${JSON.stringify(value)}` });
        return undefined;
      }
      return value;
    case 'enum':
      if (typeof value !== 'string' || !(d.values ?? []).includes(value)) {
        issues.push({
          path,
          message: `must be one of ${(d.values ?? []).join(', ')}; got ${JSON.stringify(value)}`,
        });
        return undefined;
      }
      return value;
    case 'color':
      if (typeof value !== 'string' || !COLOR_RE.test(value)) {
        issues.push({ path, message: `must be a colour #RRGGBB or #RRGGBBAA, got ${JSON.stringify(value)}` });
        return undefined;
      }
      return value;
    case 'string':
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_STRING) {
        issues.push({ path, message: `must be a non-empty string of at most ${MAX_STRING} characters` });
        return undefined;
      }
      return value;
  }
}

export function resolveFilterParams(input: ResolveFilterParamsInput): ResolveFilterParamsResult {
  const { descriptor, params, automated, path } = input;
  const warnings: Warning[] = [];
  const issues: ParamIssue[] = [];
  const out: Record<string, ResolvedParam> = {};

  for (const name of Object.keys(params).sort()) {
    if (!(name in descriptor.params)) {
      issues.push({
        path: `${path}.params.${name}`,
        message: `unknown param of ${descriptor.type}; valid: ${Object.keys(descriptor.params).join(', ')}`,
      });
    }
  }

  for (const [name, d] of Object.entries(descriptor.params)) {
    const auto = automated[name];
    if (auto !== undefined) {
      const keyframes: Keyframe[] = [];
      auto.keyframes.forEach((kf, k) => {
        const v = checkValue(d, kf.value, `${auto.path}.keyframes[${k}].value`, warnings, issues);
        if (typeof v === 'number') keyframes.push({ ...kf, value: v });
      });
      out[name] = { kind: 'animated', keyframes };
      continue;
    }
    const given = params[name];
    if (given === undefined) {
      if (d.default === undefined) {
        issues.push({
          path: `${path}.params.${name}`,
          message: `required param of ${descriptor.type} is missing`,
        });
      } else {
        out[name] = { kind: 'static', value: d.default };
      }
      continue;
    }
    const v = checkValue(d, given, `${path}.params.${name}`, warnings, issues);
    if (v !== undefined) out[name] = { kind: 'static', value: v };
  }
  return { params: out, warnings, issues };
}
