/**
 * Child processes of this test process, read from /proc (Linux). Lets tests assert that ffmpeg was really
 * killed, rather than trusting that a kill() call worked.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export function procAvailable(): boolean {
  return existsSync('/proc/self/stat');
}

/** pids of live (non-zombie) direct children of this process whose command name is `name`. */
export function childPids(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid ...": comm may contain spaces, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const [state, ppid] = stat.slice(close + 2).split(' ');
    if (comm === name && Number(ppid) === process.pid && state !== 'Z') pids.push(Number(entry));
  }
  return pids;
}

/** Wait until no child named `name` is alive, up to `timeoutMs`; returns the pids still alive. */
export async function waitNoChildren(name: string, timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = childPids(name);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    alive = childPids(name);
  }
  return alive;
}
