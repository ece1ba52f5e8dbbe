import { basename, extname, join, dirname } from 'node:path';
import { cutroomError } from '../../errors.js';
import type { CliCommand } from './types.js';

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw cutroomError('CLI_USAGE', `${name} must be a number, got "${value}"`, {});
  return n;
}

/** `cutroom stabilise IN [-o OUT]`: analyse camera shake (vid.stab) and write a stabilised copy. */
export const stabiliseCommand: CliCommand = (program, { io }) => {
  program
    .command('stabilise')
    .description('Stabilise a shaky video (vid.stab: detect, then transform) into a new .mp4; stores nothing')
    .argument('<in>', 'video file')
    .option('-o, --output <file>', 'output .mp4 (default: IN with .stabilised.mp4)')
    .option('--smoothing <frames>', 'frames on each side of the camera-path smoothing window (15)')
    .option('--zoom <percent>', 'fixed zoom in percent; 0 = automatic (0)')
    .option('--crop <mode>', 'keep | black: what fills the uncovered border (keep)')
    .option('--tripod', 'lock the camera to the first frame')
    .option('--shakiness <1-10>', 'how shaky the input is (5)')
    .option('--accuracy <1-15>', 'detection accuracy (15)')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        input: string,
        opts: {
          output?: string;
          smoothing?: string;
          zoom?: string;
          crop?: string;
          tripod?: boolean;
          shakiness?: string;
          accuracy?: string;
          json?: boolean;
        },
      ) => {
        if (opts.crop !== undefined && opts.crop !== 'keep' && opts.crop !== 'black')
          throw cutroomError('CLI_USAGE', `--crop must be keep or black, got "${opts.crop}"`, {});
        const smoothing = int('--smoothing', opts.smoothing);
        const zoom = int('--zoom', opts.zoom);
        const shakiness = int('--shakiness', opts.shakiness);
        const accuracy = int('--accuracy', opts.accuracy);
        const output =
          opts.output ?? join(dirname(input), `${basename(input, extname(input))}.stabilised.mp4`);
        if (extname(output).toLowerCase() !== '.mp4')
          throw cutroomError('CLI_USAGE', 'the output must be a .mp4 file', { output });
        const { stabiliseFile } = await import('../../engines/stabilise/stabilise-file.js');
        const result = await stabiliseFile({
          input,
          output,
          detect: {
            ...(shakiness !== undefined ? { shakiness } : {}),
            ...(accuracy !== undefined ? { accuracy } : {}),
          },
          render: {
            ...(smoothing !== undefined ? { smoothing } : {}),
            ...(zoom !== undefined ? { zoom } : {}),
            ...(opts.crop !== undefined ? { crop: opts.crop as 'keep' | 'black' } : {}),
            ...(opts.tripod ? { tripod: true } : {}),
          },
        });
        if (opts.json) io.out(JSON.stringify(result, null, 2));
        else
          io.out(
            `${output}: stabilised (smoothing ${result.render.smoothing}, ${result.backend_version}; detect ${result.detect_ms} ms, render ${result.render_ms} ms)`,
          );
      },
    );
};
