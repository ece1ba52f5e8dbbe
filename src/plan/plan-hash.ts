/**
 * plan_hash: sha256 of the canonical plan with machine-specific paths replaced by stable names, so the same
 * timeline and media hash the same on every machine: each source path -> `asset:{content_hash}`, the work dir
 * -> `$WORK_DIR`, font files -> `font:{key}`, artifact files -> `artifact:{cache_key}`. Paths are replaced both
 * raw (arguments) and escaped (inside the filtergraph).
 */
import { createHash } from 'node:crypto';
import { escapeFilterValue } from './format.js';
import type { PlanArtifact, PlanSource, RenderPlan } from './types.js';

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as Record<string, unknown>).sort())
        out[k] = (v as Record<string, unknown>)[k];
      return out;
    }
    return v;
  });
}

export function planHash(options: {
  plan: RenderPlan;
  sources: Record<string, PlanSource>;
  workDir: string | undefined;
  fonts: Record<string, string>;
  artifacts: Record<string, PlanArtifact>;
}): string {
  const { plan } = options;
  const replacements: Array<[string, string]> = [];
  for (const s of Object.values(options.sources)) replacements.push([s.path, `asset:${s.content_hash}`]);
  for (const [key, path] of Object.entries(options.fonts)) replacements.push([path, `font:${key}`]);
  for (const a of Object.values(options.artifacts))
    if (a.path !== undefined) replacements.push([a.path, `artifact:${a.cache_key}`]);
  if (options.workDir !== undefined) replacements.push([options.workDir.replace(/\/+$/, ''), '$WORK_DIR']);
  // Longest first, so a path that contains another (work dir inside a media dir) is replaced whole.
  replacements.sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));

  const scrub = (text: string): string => {
    let out = text;
    for (const [from, to] of replacements) {
      if (from === '') continue;
      out = out.split(from).join(to);
      const escaped = escapeFilterValue(from);
      if (escaped !== from) out = out.split(escaped).join(escapeFilterValue(to));
    }
    return out;
  };
  const view = {
    inputs: plan.inputs.map((i) => ({ ...i, path: scrub(i.path) })),
    filtergraph: scrub(plan.filtergraph),
    args: plan.args.map(scrub),
    files: plan.files.map((f) => ({ path: scrub(f.path), content: scrub(f.content) })),
    meta: { ...plan.meta, plan_hash: undefined },
  };
  return createHash('sha256').update(canonicalJson(view)).digest('hex');
}
