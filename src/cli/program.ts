import { Command, CommanderError } from 'commander';
import { cutroomError, type CutroomError } from '../errors.js';
import { asCutroomError, errorLine, exitCodeFor } from './cli-error.js';
import { COMMANDS } from './commands/index.js';
import { createCliContext } from './context.js';
import type { CliIo } from './io.js';

export const CLI_VERSION = '0.1.0';

export interface RunCliInput {
  /** Arguments after the program name. */
  argv: string[];
  io: CliIo;
}

export function buildProgram({ io }: { io: CliIo }): Command {
  const program = new Command('cutroom')
    .description('Self-hostable video editing engine: timeline → ffmpeg, media registry, analysis engines')
    .version(CLI_VERSION)
    .option('--data-dir <dir>', 'data directory (default: $CUTROOM_DATA_DIR or ./.cutroom)')
    .option('--env <env>', 'env of the local tenant to act in (default: dev)')
    .showHelpAfterError(false)
    // Commander would print its own "error: …" and exit; we turn usage errors into our one-line format.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: () => {},
    });
  const cli = createCliContext({ io });
  for (const add of COMMANDS) add(program, cli);
  return program;
}

/** Prints `cutroom: CODE: message` (one line per issue when the error lists issues); returns the exit code. */
export function reportError({ err, io }: { err: CutroomError; io: CliIo }): number {
  const issues = Array.isArray(err.details.issues)
    ? (err.details.issues as Array<{ path?: unknown; message?: unknown }>)
    : [];
  if (issues.length > 0)
    for (const issue of issues) {
      const path = typeof issue.path === 'string' && issue.path !== '' ? `${issue.path}: ` : '';
      io.err(`cutroom: ${err.code}: ${path}${String(issue.message)}`.replace(/\s*\n\s*/g, ' '));
    }
  else io.err(errorLine(err));
  return exitCodeFor(err);
}

/** Runs the CLI and returns the exit code (never calls process.exit: the caller decides). */
export async function runCli({ argv, io }: RunCliInput): Promise<number> {
  const program = buildProgram({ io });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return err.exitCode;
      const message = err.message.replace(/^error:\s*/, '');
      return reportError({ err: cutroomError('CLI_USAGE', message, { commander_code: err.code }), io });
    }
    return reportError({ err: asCutroomError(err), io });
  }
}
