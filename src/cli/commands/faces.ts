import { resolve } from 'node:path';
import type { Warning } from '../../errors.js';
import { analyzeFaces } from '../../engines/regions/analyze.js';
import { selectFaceBackend } from '../../engines/regions/select-backend.js';
import type { RegionName, RegionSummary } from '../../engines/regions/types.js';
import { probeMedia } from '../../ffmpeg/probe.js';
import { cutroomError } from '../../errors.js';
import type { CliCommand } from './types.js';

export interface FacesOptions {
  file: string;
  intervalMs?: number;
  minConfidence?: number;
  includeRegions?: RegionName[];
}

export interface FacesReport {
  file: string;
  backend_version: string;
  model_used: string;
  summary: RegionSummary;
  warnings: Warning[];
}

/**
 * Face regions of a local file (video or image), analysed in place: no data dir, no registry, nothing stored.
 * `cutroom assets add` + `POST /video/regions` is the path that stores and caches a summary.
 */
export async function analyzeFacesFile(opts: FacesOptions): Promise<FacesReport> {
  const path = resolve(opts.file);
  const info = await probeMedia({ path });
  const selected = await selectFaceBackend();
  const { summary, warnings } = await analyzeFaces({
    path,
    info,
    backend: selected.backend,
    ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}),
    ...(opts.minConfidence !== undefined ? { minConfidence: opts.minConfidence } : {}),
    ...(opts.includeRegions ? { includeRegions: opts.includeRegions } : {}),
  });
  const all = [
    ...selected.warnings,
    ...warnings.filter((w) => !selected.warnings.some((s) => s.code === w.code)),
  ];
  return {
    file: opts.file,
    backend_version: selected.backend.version,
    model_used: selected.backend.model,
    summary,
    warnings: all,
  };
}

/** A few lines a person can read: tracks with their time span and mean box size. */
export function describeFaces(report: FacesReport): string {
  const { summary } = report;
  const faces = summary.samples.reduce((n, s) => n + s.faces.length, 0);
  const lines = [
    `${report.file}: ${summary.tracks.length} face track(s), ${faces} face(s) in ${summary.samples.length} sample(s) every ${summary.frame_sample_interval_ms} ms (${report.backend_version})`,
  ];
  for (const t of summary.tracks) {
    const boxes = summary.samples.flatMap((s) =>
      s.faces.filter((f) => f.track_id === t.id).map((f) => f.box),
    );
    const w = boxes.reduce((a, b) => a + b.w, 0) / boxes.length;
    const h = boxes.reduce((a, b) => a + b.h, 0) / boxes.length;
    const first = boxes[0]!;
    lines.push(
      `  ${t.id}: ${(t.first_ms / 1000).toFixed(2)}–${(t.last_ms / 1000).toFixed(2)} s, ` +
        `~${Math.round(w * summary.width)}x${Math.round(h * summary.height)} px, first at ` +
        `(${Math.round(first.x * summary.width)}, ${Math.round(first.y * summary.height)})`,
    );
  }
  for (const w of report.warnings) lines.push(`warning ${w.code}: ${w.message}`);
  return lines.join('\n');
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0)
      throw cutroomError('CLI_USAGE', `${name} must be a positive integer, got "${v}"`, {});
    return n;
  };
}

function regionList(v: string): RegionName[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0) as RegionName[];
}

export const facesCommand: CliCommand = (program, { io }) => {
  program
    .command('faces')
    .description(
      'Find and track faces in a video or image (BlazeFace); analyses the file in place, stores nothing',
    )
    .argument('<file>', 'video or image file')
    .option('--json', 'print {file, backend_version, model_used, summary, warnings} as JSON')
    .option('--interval-ms <n>', 'sample every n ms (40..10000, default 200)', positiveInt('--interval-ms'))
    .option('--min-confidence <x>', 'drop faces scoring below x (0..1, default 0.5)', (v) => Number(v))
    .option('--regions <list>', 'sub-regions besides face, comma-separated: eyes,mouth', regionList)
    .action(
      async (
        file: string,
        opts: { json?: boolean; intervalMs?: number; minConfidence?: number; regions?: RegionName[] },
      ) => {
        const report = await analyzeFacesFile({
          file,
          ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}),
          ...(opts.minConfidence !== undefined ? { minConfidence: opts.minConfidence } : {}),
          ...(opts.regions ? { includeRegions: opts.regions } : {}),
        });
        io.out(opts.json ? JSON.stringify(report, null, 2) : describeFaces(report));
      },
    );
};
