import { assetsCommand } from './assets.js';
import { keysCommand } from './keys.js';
import { probeCommand } from './probe.js';
import { renderCommand } from './render.js';
import { serveCommand } from './serve.js';
import type { CliCommand } from './types.js';
import { validateCommand } from './validate.js';

/** Every CLI command, in help order. Add a command by adding its module here. */
export const COMMANDS: CliCommand[] = [
  serveCommand,
  probeCommand,
  validateCommand,
  renderCommand,
  assetsCommand,
  keysCommand,
];

export type { CliCommand } from './types.js';
