import { copyFile, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import {
  ANONYMISE_METHODS,
  ANONYMISE_STRENGTHS,
  type AnonymiseMethod,
  type AnonymiseStrength,
} from '../../engines/anonymise/effect-filter.js';
import { renderAnonymised } from '../../engines/anonymise/render-anonymised.js';
import { analyzeFaces } from '../../engines/regions/analyze.js';
import { frameGeometry } from '../../engines/regions/frame-geometry.js';
import { DEFAULT_FEATHER } from '../../engines/regions/render-mask.js';
import { selectFaceBackend } from '../../engines/regions/select-backend.js';
import { cutroomError, type Warning } from '../../errors.js';
import { probeMedia } from '../../ffmpeg/probe.js';
import type { CliCommand } from './types.js';

export interface AnonymiseFileOptions {
  input: string;
  output: string;
  method?: AnonymiseMethod;
  strength?: AnonymiseStrength;
  intervalMs?: number;
}

export interface AnonymiseFileResult {
  output: string;
  /** True when no face was found: the input was copied unchanged (re-encoded only to change container). */
  skipped: boolean;
  tracks: number;
  backend_version: string;
  params: Record<string, number>;
  warnings: Warning[];
}

/**
 * Anonymises a local file in place (no registry): analyse faces, then one ffmpeg pass into OUTPUT (mp4 for a
 * video, png for an image). Written to a temp name next to OUTPUT and renamed, so OUTPUT is never half-written.
 */
export async function anonymiseFile(opts: AnonymiseFileOptions): Promise<AnonymiseFileResult> {
  const method = opts.method ?? 'blur';
  const strength = opts.strength ?? 'medium';
  if (!ANONYMISE_METHODS.includes(method))
    throw cutroomError(
      'CLI_USAGE',
      `--method must be one of ${ANONYMISE_METHODS.join(', ')}, got "${method}"`,
      {},
    );
  if (!ANONYMISE_STRENGTHS.includes(strength))
    throw cutroomError(
      'CLI_USAGE',
      `--strength must be one of ${ANONYMISE_STRENGTHS.join(', ')}, got "${strength}"`,
      {},
    );
  const input = resolve(opts.input);
  const output = resolve(opts.output);
  if (input === output) throw cutroomError('CLI_USAGE', 'the output must not be the input file', {});
  const info = await probeMedia({ path: input });
  const geometry = frameGeometry(info);
  if (!geometry)
    throw cutroomError('UNSUPPORTED_MEDIA', `${opts.input} has no video stream and is not an image`, {});
  const wanted = geometry.still ? '.png' : '.mp4';
  if (extname(output).toLowerCase() !== wanted)
    throw cutroomError('CLI_USAGE', `the output must be a ${wanted} file for this input`, {
      output: opts.output,
    });
  const selected = await selectFaceBackend();
  const { summary, warnings } = await analyzeFaces({
    path: input,
    info,
    backend: selected.backend,
    ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}),
  });
  const base = { tracks: summary.tracks.length, backend_version: selected.backend.version, warnings };
  const tmp = join(dirname(output), `.${process.pid}.cutroom-anonymise${wanted}`);
  // No face and the same container: a byte copy. Another container still needs the (unmasked) encode.
  if (summary.tracks.length === 0 && extname(input).toLowerCase() === wanted) {
    await copyFile(input, tmp);
    await rename(tmp, output);
    return { ...base, output, skipped: true, params: {} };
  }
  const workDir = await mkdtemp(join(tmpdir(), 'cutroom-anonymise-'));
  try {
    const rendered = await renderAnonymised({
      source: input,
      info,
      geometry,
      summary,
      method,
      strength,
      include: ['face'],
      feather: DEFAULT_FEATHER,
      workDir,
      output: tmp,
    });
    await rename(tmp, output);
    return { ...base, output, skipped: summary.tracks.length === 0, params: rendered.params };
  } finally {
    await rm(workDir, { recursive: true, force: true });
    await rm(tmp, { force: true });
  }
}

export const anonymiseCommand: CliCommand = (program, { io }) => {
  program
    .command('anonymise')
    .description(
      'Blur, pixelate or box every face of a video or image (analyses the file in place, stores nothing)',
    )
    .argument('<in>', 'video or image file')
    .requiredOption('-o, --output <file>', 'output file (.mp4 for a video, .png for an image)')
    .option('--method <method>', `${ANONYMISE_METHODS.join(' | ')}`, 'blur')
    .option('--strength <strength>', `${ANONYMISE_STRENGTHS.join(' | ')}`, 'medium')
    .option('--json', 'print the result as JSON')
    .action(
      async (input: string, opts: { output: string; method: string; strength: string; json?: boolean }) => {
        const result = await anonymiseFile({
          input,
          output: opts.output,
          method: opts.method as AnonymiseMethod,
          strength: opts.strength as AnonymiseStrength,
        });
        if (opts.json) io.out(JSON.stringify(result, null, 2));
        else {
          io.out(
            result.skipped
              ? `no face found: ${opts.output} is a copy of ${input}`
              : `${opts.output}: ${result.tracks} face track(s) hidden (${opts.method}, ${opts.strength})`,
          );
          for (const w of result.warnings) io.err(`warning ${w.code}: ${w.message}`);
        }
      },
    );
};
