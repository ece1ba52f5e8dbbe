/**
 * One clip's filters -> one ffmpeg filter chain for its video stream (already scaled to width×height, pts from
 * 0, so `t` in expressions is clip-relative).
 *
 * The chain is comma-joined, but a few filters (bloom) need a side branch: they contain `;` and internal link
 * labels prefixed with a uid derived from `clipPath`, so the result must be wrapped as `[in]<chain>[out]` inside
 * a -filter_complex graph (it still reads as one linear chain from [in] to [out]). Instance names used by
 * sendcmd (`gblur@uid`) are unique for the same reason.
 *
 * Errors: an unknown type throws UNKNOWN_FILTER at once; every other problem of every filter is collected and
 * thrown as one INVALID_PARAM (details.issues). Out-of-range numbers are clamped with PARAM_CLAMPED warnings.
 */
import { cutroomError, type Warning } from '../../errors.js';
import type { Automation, FilterInstance } from '../../timeline/index.js';
import { FILTER_BUILDERS } from './builders.js';
import { filterDescriptor, filterTypes } from './catalog.js';
import { expandStyle } from './expand-style.js';
import { resolveFilterParams, type AutomatedParam, type ParamIssue } from './resolve-filter-params.js';
import type { FilterBuildContext, ResolvedParam } from './types.js';

export interface CompileFilterChainInput {
  filters: FilterInstance[];
  automation: Automation[];
  /** e.g. `tracks[0].clips[2]`: prefixes every warning and error path. */
  clipPath: string;
  width: number;
  height: number;
  fps: { num: number; den: number };
  durationMs: number;
  /** LUT reference (`artifact:{id}` or storage path) -> local .cube path. */
  luts: Record<string, string>;
}

export interface CompileFilterChainResult {
  chain: string;
  warnings: Warning[];
  /**
   * Region-aware filters (descriptor.region_aware), in clip order, NOT part of `chain`: each one's branch chain
   * ('' at its neutral value) for the planner to run inside a mask. Present only when the clip has some.
   */
  regionFilters?: Array<{ type: string; path: string; chain: string }>;
}

interface Planned {
  type: string;
  params: Record<string, ResolvedParam>;
  uid: string;
  path: string;
}

const FILTER_PARAM_PREFIX = 'filter:';

/** `tracks[0].clips[2]` -> `fx_tracks_0_clips_2`: a label/instance-name-safe uid base. */
function uidBase(clipPath: string): string {
  return `fx_${clipPath.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`;
}

/** Automation entries addressed to filters, grouped by filter id then param; problems become issues. */
function collectAutomation(
  input: CompileFilterChainInput,
  issues: ParamIssue[],
): Map<string, Record<string, AutomatedParam>> {
  const byFilter = new Map<string, Record<string, AutomatedParam>>();
  input.automation.forEach((entry, j) => {
    if (!entry.param.startsWith(FILTER_PARAM_PREFIX)) return;
    const path = `${input.clipPath}.automation[${j}]`;
    const rest = entry.param.slice(FILTER_PARAM_PREFIX.length);
    const dot = rest.lastIndexOf('.');
    const filterId = rest.slice(0, dot);
    const paramName = rest.slice(dot + 1);
    const filter = input.filters.find((f) => f.id === filterId);
    if (dot <= 0 || filter === undefined) {
      issues.push({ path: `${path}.param`, message: `no filter with id "${filterId}" on this clip` });
      return;
    }
    const d = filterDescriptor(filter.type)?.params[paramName];
    if (d === undefined) {
      issues.push({ path: `${path}.param`, message: `${filter.type} has no param "${paramName}"` });
      return;
    }
    if (!d.animatable) {
      issues.push({ path: `${path}.param`, message: `${filter.type}.${paramName} is not animatable` });
      return;
    }
    const params = byFilter.get(filterId) ?? {};
    if (params[paramName] !== undefined) {
      issues.push({ path: `${path}.param`, message: `${entry.param} is automated twice` });
      return;
    }
    params[paramName] = { keyframes: entry.keyframes, path };
    byFilter.set(filterId, params);
  });
  return byFilter;
}

export function compileFilterChain(input: CompileFilterChainInput): CompileFilterChainResult {
  const { filters, clipPath, luts } = input;
  const warnings: Warning[] = [];
  const issues: ParamIssue[] = [];

  filters.forEach((f, i) => {
    if (filterDescriptor(f.type) === undefined) {
      throw cutroomError('UNKNOWN_FILTER', `${clipPath}.filters[${i}].type: unknown filter "${f.type}"`, {
        valid: filterTypes(),
        path: `${clipPath}.filters[${i}].type`,
      });
    }
  });
  const seenIds = new Set<string>();
  filters.forEach((f, i) => {
    if (f.id === undefined) return;
    if (seenIds.has(f.id))
      issues.push({ path: `${clipPath}.filters[${i}].id`, message: `duplicate filter id "${f.id}"` });
    seenIds.add(f.id);
  });

  const automation = collectAutomation(input, issues);
  const planned: Planned[] = [];
  const uid = uidBase(clipPath);

  filters.forEach((f, i) => {
    const path = `${clipPath}.filters[${i}]`;
    const descriptor = filterDescriptor(f.type)!;
    const resolved = resolveFilterParams({
      descriptor,
      params: f.params,
      automated: (f.id !== undefined ? automation.get(f.id) : undefined) ?? {},
      path,
    });
    warnings.push(...resolved.warnings);
    issues.push(...resolved.issues);
    if (resolved.issues.length > 0) return;

    if (f.type === 'style') {
      const preset = resolved.params.preset;
      const intensity = resolved.params.intensity;
      if (preset?.kind !== 'static' || intensity?.kind !== 'static') return;
      expandStyle({ preset: String(preset.value), intensity: Number(intensity.value) }).forEach((sub, k) => {
        const sr = resolveFilterParams({
          descriptor: filterDescriptor(sub.type)!,
          params: sub.params,
          automated: {},
          path,
        });
        warnings.push(...sr.warnings);
        issues.push(...sr.issues);
        planned.push({ type: sub.type, params: sr.params, uid: `${uid}_f${i}_s${k}`, path });
      });
      return;
    }

    if (f.type === 'lut') {
      const ref = resolved.params.file;
      if (ref?.kind === 'static' && luts[String(ref.value)] === undefined) {
        issues.push({
          path: `${path}.params.file`,
          message: `LUT "${String(ref.value)}" was not found or not resolved`,
        });
        return;
      }
    }
    if (f.type === 'fade_in' || f.type === 'fade_out') {
      const d = resolved.params.duration_ms;
      if (d?.kind === 'static' && Number(d.value) > input.durationMs) {
        warnings.push({
          code: 'PARAM_CLAMPED',
          message: `${Number(d.value)} ms is longer than the clip; clamped to ${input.durationMs} ms`,
          path: `${path}.params.duration_ms`,
        });
      }
    }
    planned.push({ type: f.type, params: resolved.params, uid: `${uid}_f${i}`, path });
  });

  if (issues.length > 0) {
    throw cutroomError(
      'INVALID_PARAM',
      `${issues.length} invalid filter param(s): ${issues.map((x) => `${x.path}: ${x.message}`).join('; ')}`,
      { issues },
    );
  }

  const parts: string[] = [];
  const regionFilters: NonNullable<CompileFilterChainResult['regionFilters']> = [];
  for (const p of planned) {
    const builder = FILTER_BUILDERS[p.type];
    if (builder === undefined) throw new Error(`no builder for filter ${p.type}`);
    const ctx: FilterBuildContext = {
      params: p.params,
      uid: p.uid,
      width: input.width,
      height: input.height,
      fps: input.fps,
      durationMs: input.durationMs,
      luts,
      path: p.path,
    };
    const text = builder(ctx);
    if (
      filterDescriptor(p.type)?.region_aware === true ||
      (p.type === 'lut' && p.params.region?.kind === 'static' && p.params.region.value === true)
    )
      regionFilters.push({ type: p.type, path: p.path, chain: text });
    else if (text !== '') parts.push(text);
  }
  return { chain: parts.join(','), warnings, ...(regionFilters.length > 0 ? { regionFilters } : {}) };
}
