/**
 * Accumulates the ffmpeg inputs and filtergraph statements of one plan. Labels are allocated in a fixed order,
 * so the same timeline always produces the same graph text.
 */
import type { PlanInput } from './types.js';

export class GraphBuilder {
  readonly inputs: PlanInput[] = [];
  readonly statements: string[] = [];
  private counter = 0;

  addInput(asset_id: string, path: string, options: string[], frames?: [number, number]): number {
    const index = this.inputs.length;
    this.inputs.push({ index, asset_id, options, path, ...(frames ? { frames } : {}) });
    return index;
  }

  /** A new unique link label, e.g. fresh('v') -> "[v12]". */
  fresh(prefix: string): string {
    return `[${prefix}${this.counter++}]`;
  }

  /** One filter chain statement: `[in]f1,f2[out]`. */
  chain(inputs: string[], filters: string[], output: string): void {
    this.statements.push(`${inputs.join('')}${filters.join(',')}${output}`);
  }

  text(): string {
    return this.statements.join(';\n');
  }
}
