import { anonymiseCommand } from './anonymise.js';
import { assetsCommand } from './assets.js';
import { captionsCommand } from './captions.js';
import { cutWordsCommand, trimSilenceCommand } from './edit-by-transcript.js';
import { facesCommand } from './faces.js';
import { interchangeCommand } from './interchange.js';
import { jobsCommand } from './jobs.js';
import { keysCommand } from './keys.js';
import { probeCommand } from './probe.js';
import { reframeCommand } from './reframe.js';
import { renderCommand } from './render.js';
import { serveCommand } from './serve.js';
import { stabiliseCommand } from './stabilise.js';
import { syncCommand } from './sync.js';
import type { CliCommand } from './types.js';
import { validateCommand } from './validate.js';
import { workerCommand } from './worker.js';
import { shotsCommand } from './shots.js';
import { analyzeCommand } from './analyze.js';
import { highlightsCommand } from './highlights.js';
import { autocutCommand } from './autocut.js';
import { templateCommand } from './template.js';

/** Every CLI command, in help order. Add a command by adding its module here. */
export const COMMANDS: CliCommand[] = [
  serveCommand,
  workerCommand,
  probeCommand,
  validateCommand,
  renderCommand,
  jobsCommand,
  captionsCommand,
  syncCommand,
  facesCommand,
  anonymiseCommand,
  stabiliseCommand,
  reframeCommand,
  assetsCommand,
  keysCommand,
  cutWordsCommand,
  trimSilenceCommand,
  interchangeCommand,
  shotsCommand,
  analyzeCommand,
  highlightsCommand,
  autocutCommand,
  templateCommand,
];

export type { CliCommand } from './types.js';
