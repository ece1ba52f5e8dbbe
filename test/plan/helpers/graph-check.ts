// Structural check of a filtergraph: every link label is produced once and consumed once, input stream
// references point at existing inputs, and [vout]/[aout] exist. Catches dangling or duplicated links without
// running ffmpeg (fake sources in golden/limit tests have no files).
import type { RenderPlan } from '../../../src/plan/types.js';

export function checkGraph(plan: RenderPlan): string[] {
  const problems: string[] = [];
  const produced = new Map<string, number>();
  const consumed = new Map<string, number>();
  for (const stmt of plan.filtergraph.split(';\n')) {
    const head = /^((?:\[[^\]]+\])*)/.exec(stmt)![1]!;
    const tail = /((?:\[[^\]]+\])*)$/.exec(stmt)![1]!;
    for (const m of head.matchAll(/\[([^\]]+)\]/g)) consumed.set(m[1]!, (consumed.get(m[1]!) ?? 0) + 1);
    for (const m of tail.matchAll(/\[([^\]]+)\]/g)) produced.set(m[1]!, (produced.get(m[1]!) ?? 0) + 1);
  }
  for (const [l, k] of produced) {
    if (k !== 1) problems.push(`${l} produced ${k} times`);
    if (l !== 'vout' && l !== 'aout' && consumed.get(l) !== 1)
      problems.push(`${l} consumed ${consumed.get(l) ?? 0} times`);
  }
  for (const [l, k] of consumed) {
    const stream = /^(\d+):[va]$/.exec(l);
    if (stream) {
      if (Number(stream[1]) >= plan.inputs.length) problems.push(`${l} refers to a missing input`);
      if (k !== 1) problems.push(`${l} used ${k} times`);
    } else if (!produced.has(l)) problems.push(`${l} consumed but never produced`);
  }
  if (!produced.has('vout')) problems.push('no [vout]');
  if (!produced.has('aout')) problems.push('no [aout]');
  return problems;
}
