/**
 * The CMU pronouncing dictionary shipped with the pocketsphinx en-US model, loaded once per path (3 MB,
 * ~130k words) for building alignment dictionaries.
 */
import { readFile } from 'node:fs/promises';

const cache = new Map<string, Promise<Map<string, string[]>>>();

export function parseCmudict(text: string): Map<string, string[]> {
  const dict = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^(\S+?)(?:\(\d+\))?\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const word = m[1]!;
    const phones = m[2]!.replace(/#.*$/, '').trim();
    const list = dict.get(word);
    if (list) list.push(phones);
    else dict.set(word, [phones]);
  }
  return dict;
}

export function loadCmudict(path: string): Promise<Map<string, string[]>> {
  let pending = cache.get(path);
  if (!pending) {
    pending = readFile(path, 'utf8').then(parseCmudict);
    cache.set(path, pending);
    pending.catch(() => cache.delete(path));
  }
  return pending;
}
