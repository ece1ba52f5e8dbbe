/**
 * Types shared by the filter descriptors (data), the per-family builders and the chain compiler.
 */
import type { Keyframe } from '../../timeline/index.js';

export type ParamType = 'number' | 'int' | 'boolean' | 'enum' | 'color' | 'string';

export interface ParamDescriptor {
  type: ParamType;
  /** Inclusive range for number/int params; values outside are clamped with a PARAM_CLAMPED warning. */
  min?: number;
  max?: number;
  /** Absent = the param is required. */
  default?: number | boolean | string;
  /** The value at which the filter has no visible effect; style-preset intensity scales toward it. */
  neutral?: number;
  /** Whether `filter:{id}.{param}` automation may drive it (the builder then emits a per-frame expression). */
  animatable: boolean;
  /** Allowed values of an enum param. */
  values?: readonly string[];
  unit?: string;
  description: string;
}

export interface FilterDescriptor {
  type: string;
  label: string;
  description: string;
  tags: readonly string[];
  params: Readonly<Record<string, ParamDescriptor>>;
  /**
   * Region-aware filters apply inside a mask artifact only (split, filter, alphamerge, overlay): their builder
   * gives the chain for the masked branch, and compileFilterChain returns them apart (regionFilters).
   */
  region_aware?: boolean;
}

/** A param after validation: a constant, or keyframes (already clamped) to turn into an expression. */
export type ResolvedParam =
  { kind: 'static'; value: number | boolean | string } | { kind: 'animated'; keyframes: Keyframe[] };

export interface FilterBuildContext {
  params: Readonly<Record<string, ResolvedParam>>;
  /** Unique within the whole graph (derived from the clip path and filter index): link labels, instance names. */
  uid: string;
  width: number;
  height: number;
  fps: { num: number; den: number };
  durationMs: number;
  /** LUT reference -> local .cube path, resolved by the caller. */
  luts: Readonly<Record<string, string>>;
  /** Path of the filter instance, e.g. `tracks[0].clips[2].filters[1]`, for error details. */
  path: string;
}

/** Builds the ffmpeg filter text of one filter instance (may hold `;` and internal labels, see compileFilterChain). */
export type FilterBuilder = (ctx: FilterBuildContext) => string;
