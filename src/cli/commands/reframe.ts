import { resolve } from 'node:path';
import type { Command } from 'commander';
import { cutroomError } from '../../errors.js';
import { FOCUS_ASPECTS, type FocusAspect } from '../../engines/focus/aspects.js';
import type { CliCommand } from './types.js';

interface ReframeOptions {
  output?: string;
  aspect: string;
  profile?: string;
  faces: 'latest' | 'analyze' | 'none';
  json?: boolean;
}

export const reframeCommand: CliCommand = (program, cli) => {
  program
    .command('reframe')
    .description(
      'Auto-reframe a video to 9:16, 1:1 or 4:5: registers IN, finds faces and the visual subject, plans a stationary/pan/track crop per shot and renders it',
    )
    .argument('<input>', 'video file')
    .requiredOption('-o, --output <file>', 'output file (.mp4)')
    .option('--aspect <w:h>', `target aspect: ${FOCUS_ASPECTS.join(', ')}`, '9:16')
    .option('--profile <id>', 'render profile (default: the profile whose canvas has the target aspect)')
    .option('--faces <mode>', 'face regions: analyze (default), latest, none', 'analyze')
    .option('--json', 'print {output, asset_id, artifact_id, profile, focus, warnings} as JSON')
    .action(async (input: string, opts: ReframeOptions, cmd: Command) => {
      if (!(FOCUS_ASPECTS as readonly string[]).includes(opts.aspect))
        throw cutroomError(
          'CLI_USAGE',
          `--aspect must be one of ${FOCUS_ASPECTS.join(', ')}, got "${opts.aspect}"`,
        );
      if (!['analyze', 'latest', 'none'].includes(opts.faces))
        throw cutroomError('CLI_USAGE', `--faces must be analyze, latest or none, got "${opts.faces}"`);
      const { listProfiles, getProfile } = await import('../../plan/profiles.js');
      const [aw, ah] = opts.aspect.split(':').map(Number) as [number, number];
      const profile = opts.profile
        ? getProfile(opts.profile)
        : listProfiles().find((p) => p.width * ah === p.height * aw);
      if (!profile)
        throw cutroomError(
          'CLI_USAGE',
          `no render profile has a ${opts.aspect} canvas; pass --profile (the picture is then fitted to that canvas)`,
        );
      await cli.withServices(cmd, async (services) => {
        const { ctx } = await cli.localContext(cmd, services);
        const { focusAutomation } = await import('../../engines/focus/service.js');
        const { focusTimeline } = await import('../../engines/focus/focus-timeline.js');
        const { parseTimeline } = await import('../../timeline/index.js');
        const { renderToFile } = await import('../../render/index.js');
        const { asset } = await services.assets.registerAsset(ctx, { source: { path: resolve(input) } });
        const r = await focusAutomation(services, ctx, {
          asset_id: asset.id,
          aspect: opts.aspect as FocusAspect,
          faces: opts.faces,
        });
        const timeline = parseTimeline(
          focusTimeline({
            assetId: asset.id,
            plan: r.focus,
            canvas: { width: profile.width, height: profile.height },
            durationMs: Math.round(asset.media_info.duration_ms ?? 0),
          }),
        );
        const output = resolve(opts.output!);
        const rendered = await renderToFile({ services, ctx, timeline, profile: profile.id, output });
        const warnings = [...r.warnings, ...rendered.warnings];
        if (opts.json) {
          cli.io.out(
            JSON.stringify(
              {
                output,
                asset_id: asset.id,
                artifact_id: r.artifact.id,
                profile: profile.id,
                focus: r.focus,
                warnings,
              },
              null,
              2,
            ),
          );
          return;
        }
        for (const w of warnings) cli.io.err(`warning ${w.code}: ${w.path ? `${w.path}: ` : ''}${w.message}`);
        cli.io.out(
          `${output}: ${opts.aspect} on ${profile.id} (${profile.width}x${profile.height}), subject from ${r.focus.subject_source}, ` +
            `shots: ${r.focus.shots.map((s) => s.strategy).join(', ')}, ${r.focus.keyframes.length} keyframe(s)`,
        );
      });
    });
};
