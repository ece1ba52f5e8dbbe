#!/usr/bin/env node
// The `cutroom` command: bin/cutroom.js imports the built copy of this file.
import { processIo } from './io.js';
import { runCli } from './program.js';

process.exitCode = await runCli({ argv: process.argv.slice(2), io: processIo });
