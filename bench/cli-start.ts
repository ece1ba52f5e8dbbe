// CLI start cost: CPU seconds (user + sys, children of this process, from /proc) of one `cutroom` start from the
// built binary, for --help, a command without services (probe) and one with them (assets ls), against two
// baselines measured in the same run: a bare `node` start (the floor) and `node` importing the module graph
// every start loaded before command modules loaded their layers lazily (the modules they imported statically).
// Needs the build (`npx tsc -p tsconfig.json`). Run: npm run bench -- cli-start
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ffmpegPath } from '../src/ffmpeg/binaries.js';

const RUNS = 7;
const dir = mkdtempSync(join(tmpdir(), 'cutroom-bench-cli-'));
const clip = join(dir, 'clip.mp4');
spawnSync(ffmpegPath(), [
  '-v',
  'error',
  '-y',
  '-f',
  'lavfi',
  '-i',
  'testsrc=size=320x240:rate=30:duration=1',
  '-c:v',
  'libx264',
  clip,
]);

/** CPU seconds of reaped children so far (utime + stime of waited-for children, /proc/self/stat fields 16-17). */
function childrenCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function cpuOf(args: string[]): number {
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const before = childrenCpu();
    const r = spawnSync(process.execPath, args, {
      env: { ...process.env, CUTROOM_DATA_DIR: join(dir, 'data') },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    t.push(childrenCpu() - before);
  }
  return t.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

// What every start imported before (c9db21f): the heavy modules command modules imported statically.
const EAGER = [
  'cli/commands/index.js',
  'engines/focus/service.js',
  'render/validate-for-render.js',
  'timeline/index.js',
  'timeline/template/index.js',
  'plan/output/output-options.js',
  'engines/captions/service.js',
  'engines/stabilise/stabilise-file.js',
].map((m) => pathToFileURL(resolve('dist/src', m)).href);

const bin = 'bin/cutroom.js';
const bare = cpuOf(['-e', '0']);
const eager = cpuOf([
  '--input-type=module',
  '-e',
  EAGER.map((u) => `await import(${JSON.stringify(u)});`).join(''),
]);
const help = cpuOf([bin, '--help']);
const probe = cpuOf([bin, 'probe', clip]);
cpuOf([bin, 'assets', 'add', clip]);
const assets = cpuOf([bin, 'assets', 'ls']);
rmSync(dir, { recursive: true, force: true });

const f = (s: number) => `${s.toFixed(2)} CPU-s`;
console.log(`cutroom start, median of ${RUNS}, load average (1 min) ${loadavg()[0]!.toFixed(2)}`);
console.log(`  baseline bare node start:                 ${f(bare)}`);
console.log(`  baseline eager command graph (before):    ${f(eager)}`);
console.log(
  `  cutroom --help:                           ${f(help)}  (${(help / eager).toFixed(2)}x eager graph, ${(help / bare).toFixed(1)}x bare node)`,
);
console.log(
  `  cutroom probe FILE (no services):         ${f(probe)}  (${(probe / eager).toFixed(2)}x eager graph)`,
);
console.log(
  `  cutroom assets ls (services, SQLite):     ${f(assets)}  (${(assets / eager).toFixed(2)}x eager graph)`,
);
