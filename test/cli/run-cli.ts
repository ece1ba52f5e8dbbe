// Runs the real CLI in a child process (argument arrays, no shell), as a user would.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  errLines: string[];
}

/** Whether every `.ts` file under `srcDir` has a built `.js` under `distDir` at least as new. */
function builtIsFresh(srcDir: string, distDir: string): boolean {
  for (const entry of readdirSync(srcDir, { withFileTypes: true })) {
    const src = join(srcDir, entry.name);
    if (entry.isDirectory()) {
      if (!builtIsFresh(src, join(distDir, entry.name))) return false;
    } else if (entry.name.endsWith('.ts')) {
      try {
        if (statSync(join(distDir, entry.name.replace(/\.ts$/, '.js'))).mtimeMs < statSync(src).mtimeMs) return false;
      } catch {
        return false;
      }
    }
  }
  return true;
}

// The built binary (`bin/cutroom.js`, what users run) when `dist/` is newer than every source file, as after
// `npm test`'s set-up; otherwise the TypeScript source through tsx. Why: tsx costs ≈ 2 CPU-s per start, and the
// suite starts the CLI a few hundred times.
const entry = builtIsFresh('src', join('dist', 'src')) ? ['bin/cutroom.js'] : ['--import', 'tsx', 'src/cli/main.ts'];

/** Runs the CLI with `args`; CUTROOM_DATA_DIR points into `dir` unless --data-dir is given. */
export function cutroomIn(dir: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [...entry, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CUTROOM_DATA_DIR: join(dir, 'default-data'), ...env },
    timeout: 120_000,
  });
  const errLines = r.stderr.split('\n').filter((l) => l !== '');
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, errLines };
}
