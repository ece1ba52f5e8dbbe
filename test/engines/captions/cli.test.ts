// `cutroom captions FILE` run in-process through commander, the way buildProgram mounts command modules (the
// command is registered in src/cli/commands/index.ts by the lead).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { captionsCommand } from '../../../src/cli/commands/captions.js';
import { createCliContext } from '../../../src/cli/context.js';
import { parseSrt, parseVtt } from '../../../src/engines/captions/index.js';
import { isCutroomError } from '../../../src/errors.js';
import { parseTranscript } from '../../../src/plan/captions/index.js';

const WAV = '/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0930.wav';
const SCRIPT = 'He might even have been made amiable himself.';
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutroom-captions-cli-'));
  await writeFile(join(dir, 'script.txt'), `${SCRIPT}\n`);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ out: string; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('cutroom').option('--data-dir <dir>').option('--env <env>').exitOverride();
  captionsCommand(program, createCliContext({ io: { out: (t) => out.push(t), err: (t) => err.push(t) } }));
  await program.parseAsync(['--data-dir', join(dir, 'data'), 'captions', ...args], { from: 'user' });
  return { out: out.join('\n'), err };
}

describe('cutroom captions', () => {
  it('--text aligns the script and prints SRT', async () => {
    const { out } = await run([WAV, '--text', join(dir, 'script.txt')]);
    const cues = parseSrt(out);
    assert.equal(cues.flatMap((c) => c.lines).join(' '), SCRIPT);
    assert.ok(cues[0]!.start_ms < 1000);
  });

  it('--format vtt and json (reusing the cached transcript)', async () => {
    const vtt = await run([WAV, '--text', join(dir, 'script.txt'), '--format', 'vtt']);
    assert.equal(
      parseVtt(vtt.out)
        .flatMap((c) => c.lines)
        .join(' '),
      SCRIPT,
    );
    const json = await run([WAV, '--text', join(dir, 'script.txt'), '--format', 'json']);
    const t = parseTranscript(JSON.parse(json.out));
    assert.equal(t.segments.flatMap((s) => s.words).length, SCRIPT.split(' ').length);
  });

  it('refuses an unknown --format with CLI_USAGE', async () => {
    await assert.rejects(run([WAV, '--format', 'docx']), (e: unknown) => isCutroomError(e, 'CLI_USAGE'));
  });
});
