import { assetsCommand } from './assets.js';
import { keysCommand } from './keys.js';
import { probeCommand } from './probe.js';
import { serveCommand } from './serve.js';
import type { CliCommand } from './types.js';
import { validateCommand } from './validate.js';

/** Every CLI command, in help order. Add a command by adding its module here (render: the lead's). */
export const COMMANDS: CliCommand[] = [
  serveCommand,
  probeCommand,
  validateCommand,
  assetsCommand,
  keysCommand,
];

export type { CliCommand } from './types.js';
