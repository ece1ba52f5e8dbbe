import type { Command } from 'commander';
import { readArtifactJson } from '../../engines/autocut/read-artifact-json.js';
import type { ShotList } from '../../engines/visual-meta/types.js';
import type { CliCommand } from './types.js';
import { registerInput } from './register-input.js';

const sec = (ms: number) => (ms / 1000).toFixed(3);

/** Frame numbers → times through the shot list's own shots (exact presentation times, VFR-safe). */
function frameMs(list: ShotList, frame: number): number {
  const shot = list.shots.find((s) => frame >= s.start_frame && frame <= s.end_frame);
  if (!shot) return NaN;
  const span = shot.end_frame - shot.start_frame + 1;
  return shot.start_ms + ((frame - shot.start_frame) * (shot.end_ms - shot.start_ms)) / span;
}

/** Readable lines: one per hard cut, one per gradual transition, one per shot. */
export function describeShotList({ name, list }: { name: string; list: ShotList }): string {
  const lines = [
    `${name}: ${list.shots.length} shot(s), ${list.cuts.length} hard cut(s), ${list.transitions.length} gradual transition(s), ${list.frame_count} frames`,
  ];
  for (const c of list.cuts) lines.push(`  cut        at frame ${c} (${sec(frameMs(list, c))} s)`);
  for (const t of list.transitions)
    lines.push(
      `  ${t.kind.padEnd(10)} frames ${t.start_frame}–${t.end_frame} (${sec(frameMs(list, t.start_frame))}–${sec(frameMs(list, t.end_frame))} s)`,
    );
  for (const s of list.shots)
    lines.push(
      `  shot ${s.index}: frames ${s.start_frame}–${s.end_frame}, ${sec(s.start_ms)}–${sec(s.end_ms)} s, in: ${s.transition_in ?? 'start'}`,
    );
  return lines.join('\n');
}

/**
 * `cutroom shots FILE|ASSET_ID`: the asset's `video_shot_list` artifact (the one POST /video/visual-meta/analyze
 * makes and caches), printed as cuts and gradual ranges.
 */
export const shotsCommand: CliCommand = (program, cli) => {
  program
    .command('shots')
    .description(
      'Shot boundaries of a video: hard cuts (frame numbers and times) and gradual transitions (fades, dissolves, wipes, slides as ranges); registers FILE and caches the video_shot_list artifact',
    )
    .argument('<input>', 'video file, or the id (ast_…) of a registered asset')
    .option('--json', 'print {asset_id, artifact_id, cached, shot_list, warnings} as JSON')
    .action(async (input: string, opts: { json?: boolean }, cmd: Command) => {
      await cli.withServices(cmd, async (services) => {
        const { ctx } = await cli.localContext(cmd, services);
        const { analyzeVisualMetaForAsset } = await import('../../engines/visual-meta/service.js');
        const asset = await registerInput({ services, ctx, input });
        const r = await analyzeVisualMetaForAsset({ services, ctx, assetId: asset.id, intervalMs: 500 });
        const { value: list } = await readArtifactJson<ShotList>({
          artifacts: services.artifacts,
          ctx,
          artifact: r.shotList,
          kind: 'video_shot_list',
          path: 'input',
        });
        const warnings = r.warnings.length > 0 ? r.warnings : ((r.shotList.meta.warnings as unknown[]) ?? []);
        if (opts.json) {
          cli.io.out(
            JSON.stringify(
              {
                asset_id: asset.id,
                artifact_id: r.shotList.id,
                cached: r.cached.shotList,
                shot_list: list,
                warnings,
              },
              null,
              2,
            ),
          );
          return;
        }
        for (const w of warnings as Array<{ code: string; message: string }>)
          cli.io.err(`warning ${w.code}: ${w.message}`);
        cli.io.out(describeShotList({ name: asset.original_filename, list }));
      });
    });
};
