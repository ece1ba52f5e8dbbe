import type { Command } from 'commander';
import type { AudioSemanticTimeline } from '../../engines/audio-semantic/analyze-audio-semantic.js';
import { readArtifactJson } from '../../engines/autocut/read-artifact-json.js';
import type { VisualMeta } from '../../engines/visual-meta/types.js';
import { cutroomError, type Warning } from '../../errors.js';
import type { CliCommand } from './types.js';
import { registerInput } from './register-input.js';

const sec = (ms: number) => (ms / 1000).toFixed(2);

export interface AnalyzeReport {
  asset_id: string;
  visual_meta?: { artifact_id: string; cached: boolean; value: VisualMeta };
  audio_semantic_timeline?: { artifact_id: string; cached: boolean; value: AudioSemanticTimeline };
  region_summary_id: string | null;
  warnings: Warning[];
}

/** A few readable lines: sampling, subject sources, speech/music/silence windows and loudness. */
export function describeAnalysis({ name, report }: { name: string; report: AnalyzeReport }): string {
  const lines = [`${name} (${report.asset_id})`];
  const vm = report.visual_meta?.value;
  if (vm) {
    const sources = new Map<string, number>();
    for (const s of vm.samples) sources.set(s.subject_source, (sources.get(s.subject_source) ?? 0) + 1);
    const motion = vm.samples.reduce((a, s) => a + s.frame_diff, 0) / Math.max(1, vm.samples.length);
    lines.push(
      `visual meta: ${vm.frame_count} frames at ${vm.fps} fps, ${vm.samples.length} samples every ${vm.frame_sample_interval_ms} ms, ` +
        `mean frame difference ${motion.toFixed(4)}, subject from ${[...sources].map(([k, n]) => `${k} ×${n}`).join(', ')}`,
    );
  }
  const at = report.audio_semantic_timeline?.value;
  if (at) {
    lines.push(
      `audio: ${at.windows.length} window(s), integrated ${at.integrated_lufs === null ? 'n/a' : `${at.integrated_lufs} LUFS`}, ` +
        `sample peak ${at.sample_peak_dbfs === null ? 'n/a' : `${at.sample_peak_dbfs} dBFS`}, ${at.peaks.length} loud peak(s)`,
    );
    for (const w of at.windows)
      lines.push(`  ${w.kind.padEnd(8)} ${sec(w.start_ms)}–${sec(w.end_ms)} s (confidence ${w.confidence})`);
  }
  return lines.join('\n');
}

/**
 * `cutroom analyze FILE|ASSET_ID`: visual meta (+ shot list) and the audio semantic timeline of one asset, the
 * same cached artifacts POST /video/visual-meta/analyze and POST /video/audio-semantic/analyze make.
 */
export const analyzeCommand: CliCommand = (program, cli) => {
  program
    .command('analyze')
    .description(
      'Visual meta (motion, histograms, subject centre, shots) and the audio semantic timeline (speech/music/silence, loudness) of a video; registers FILE and caches both artifacts',
    )
    .argument('<input>', 'video or audio file, or the id (ast_…) of a registered asset')
    .option('--interval-ms <n>', 'visual sample interval (40..60000)', '500')
    .option('--json', 'print {asset_id, visual_meta, audio_semantic_timeline, warnings} as JSON')
    .action(async (input: string, opts: { json?: boolean; intervalMs: string }, cmd: Command) => {
      const intervalMs = Number(opts.intervalMs);
      if (!Number.isInteger(intervalMs) || intervalMs < 40 || intervalMs > 60000)
        throw cutroomError(
          'CLI_USAGE',
          `--interval-ms must be an integer 40..60000, got "${opts.intervalMs}"`,
        );
      await cli.withServices(cmd, async (services) => {
        const { ctx } = await cli.localContext(cmd, services);
        const { analyzeVisualMetaForAsset } = await import('../../engines/visual-meta/service.js');
        const { faceSummaryFromRegions } = await import('../../engines/visual-meta/routes.js');
        const { loadRegionSummary } = await import('../../engines/regions/load-summary.js');
        const { analyzeAudioSemanticForAsset } = await import('../../engines/audio-semantic/service.js');
        const asset = await registerInput({ services, ctx, input });
        const report: AnalyzeReport = { asset_id: asset.id, region_summary_id: null, warnings: [] };
        const media = asset.media_info;
        if (!media.video && !media.audio)
          throw cutroomError('UNSUPPORTED_MEDIA', `${input} has neither video nor audio`, {
            kind: media.kind,
          });
        if (media.video && !media.video.still) {
          // Like the route: the latest real region summary steers the subject centre.
          const latest = await services.artifacts.latestArtifact(ctx, {
            assetId: asset.id,
            kind: 'video_region_summary',
          });
          let faceSummary;
          if (latest) {
            const { summary } = await loadRegionSummary(services, ctx, latest.id);
            if (!summary.stub) {
              faceSummary = faceSummaryFromRegions(summary);
              report.region_summary_id = latest.id;
            }
          }
          const r = await analyzeVisualMetaForAsset({
            services,
            ctx,
            assetId: asset.id,
            intervalMs,
            ...(faceSummary ? { faceSummary } : {}),
          });
          report.warnings.push(...r.warnings);
          const { value } = await readArtifactJson<VisualMeta>({
            artifacts: services.artifacts,
            ctx,
            artifact: r.visualMeta,
            kind: 'visual_meta',
            path: 'input',
          });
          report.visual_meta = { artifact_id: r.visualMeta.id, cached: r.cached.visualMeta, value };
        }
        if (media.audio) {
          const r = await analyzeAudioSemanticForAsset({ services, ctx, assetId: asset.id });
          report.warnings.push(...r.warnings);
          const { value } = await readArtifactJson<AudioSemanticTimeline>({
            artifacts: services.artifacts,
            ctx,
            artifact: r.artifact,
            kind: 'audio_semantic_timeline',
            path: 'input',
          });
          report.audio_semantic_timeline = { artifact_id: r.artifact.id, cached: r.cached, value };
        }
        if (opts.json) {
          cli.io.out(JSON.stringify(report, null, 2));
          return;
        }
        for (const w of report.warnings) cli.io.err(`warning ${w.code}: ${w.message}`);
        cli.io.out(describeAnalysis({ name: asset.original_filename, report }));
      });
    });
};
