// Runs the real CLI in a child process (argument arrays, no shell), as a user would.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  errLines: string[];
}

/** `node --import tsx src/cli/main.ts ...args`; CUTROOM_DATA_DIR points into `dir` unless --data-dir is given. */
export function cutroomIn(dir: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CUTROOM_DATA_DIR: join(dir, 'default-data'), ...env },
    timeout: 120_000,
  });
  const errLines = r.stderr.split('\n').filter((l) => l !== '');
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, errLines };
}
