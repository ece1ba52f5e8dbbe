/**
 * Bookkeeping shared by the importers: warnings for what does not map, problems that make the file unusable,
 * and media references resolved through the caller's mapping. Nothing is returned until every problem of the
 * whole file is known, so a bad file is reported in full and never half-imported.
 */
import { cutroomError, type Warning } from '../errors.js';
import { TimelineSchema, type Timeline } from '../timeline/schema.js';
import { checkTimeline, parseWith } from '../timeline/validate.js';
import type { AssetMapping, ImportedOutput, ImportResult } from './types.js';

export interface ImportIssue {
  /** Path inside the source document (`timeline.tracks[0].clips[2].start`) or `line 14`. */
  path: string;
  message: string;
  line?: number;
}

export class ImportContext {
  readonly warnings: Warning[] = [];
  readonly issues: ImportIssue[] = [];
  readonly unmapped: Array<{ path: string; reference: string }> = [];
  private readonly ids = new Map<string, number>();

  constructor(
    readonly format: string,
    private readonly assets: AssetMapping = {},
  ) {}

  /** A property that has no cutroom equivalent; `code` is INTERCHANGE_UNMAPPED unless more specific. */
  warn(path: string, message: string, code = 'INTERCHANGE_UNMAPPED'): void {
    this.warnings.push({ code, message, path });
  }

  problem(path: string, message: string, line?: number): void {
    this.issues.push({ path, message, ...(line !== undefined ? { line } : {}) });
  }

  has(reference: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.assets, reference);
  }

  /** The asset id for a foreign media reference; records it as unmapped (and returns a placeholder) if absent. */
  asset(reference: string, path: string): string {
    const id = Object.prototype.hasOwnProperty.call(this.assets, reference)
      ? this.assets[reference]
      : undefined;
    if (id !== undefined) return id;
    this.unmapped.push({ path, reference });
    return 'unmapped';
  }

  /** A fresh id with a readable stem, unique within this import (`v1_c3`). */
  id(stem: string): string {
    const clean = stem.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 100) || 'x';
    const n = (this.ids.get(clean) ?? 0) + 1;
    this.ids.set(clean, n);
    return n === 1 ? clean : `${clean}_${n}`;
  }

  /** Reserve an id taken from the source file so generated ids never collide with it. */
  reserve(id: string): void {
    this.ids.set(id, Math.max(this.ids.get(id) ?? 0, 1));
  }

  /**
   * Throws INTERCHANGE_INVALID (every problem), INTERCHANGE_MEDIA_UNMAPPED (every reference not in the mapping)
   * or TIMELINE_INVALID (the result breaks a timeline rule); else the validated timeline and the warnings.
   */
  finish(draft: unknown, output?: ImportedOutput): ImportResult {
    if (this.issues.length > 0)
      throw cutroomError(
        'INTERCHANGE_INVALID',
        `${this.format} file cannot be imported: ${summariseIssues(this.issues)}`,
        { format: this.format, issues: this.issues },
      );
    if (this.unmapped.length > 0)
      throw cutroomError(
        'INTERCHANGE_MEDIA_UNMAPPED',
        `${this.format} file names media with no asset in the mapping: ${[...new Set(this.unmapped.map((u) => u.reference))].slice(0, 3).join(', ')}`,
        {
          format: this.format,
          issues: this.unmapped.map((u) => ({
            path: u.path,
            reference: u.reference,
            message: `"${u.reference}" is not in the asset mapping`,
          })),
        },
      );
    const timeline: Timeline = parseWith(TimelineSchema, draft, `imported ${this.format} timeline`);
    const issues = checkTimeline(timeline);
    if (issues.length > 0)
      throw cutroomError(
        'TIMELINE_INVALID',
        `imported ${this.format} timeline is inconsistent: ${summariseIssues(issues)}`,
        { format: this.format, issues },
      );
    return { timeline, warnings: this.warnings, ...(output ? { output } : {}) };
  }
}

export function summariseIssues(issues: ReadonlyArray<{ path: string; message: string }>): string {
  const shown = issues.slice(0, 3).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  return shown.join('; ') + (issues.length > 3 ? ` (and ${issues.length - 3} more)` : '');
}
