import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/**
 * One CLI command (or command group): adds itself to the program. Each lives in its own file and is listed
 * once in commands/index.ts; nothing else needs to change to add one.
 */
export type CliCommand = (program: Command, cli: CliContext) => void;
