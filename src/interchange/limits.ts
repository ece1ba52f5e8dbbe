/**
 * Size limits for foreign files, checked before and while parsing so an absurd file (100 000 clips, stacks
 * nested a thousand deep, a 1 GB XML) fails fast with a coded error instead of exhausting memory.
 */
import { cutroomError } from '../errors.js';

/** Largest interchange file accepted, in UTF-16 code units of its text (about bytes for these formats). */
export const MAX_INTERCHANGE_CHARS = 8 * 1024 * 1024;
/** Most clips, gaps, items and transitions one imported file may hold in total. */
export const MAX_INTERCHANGE_ITEMS = 20_000;
/** Deepest nesting of objects/arrays/elements a file may have (a real OTIO or MLT file needs < 20). */
export const MAX_INTERCHANGE_DEPTH = 64;

export function checkTextSize(text: string, format: string): void {
  if (text.length > MAX_INTERCHANGE_CHARS)
    throw cutroomError(
      'INTERCHANGE_TOO_LARGE',
      `${format} file is ${text.length} characters; the limit is ${MAX_INTERCHANGE_CHARS}`,
      { format, limit: MAX_INTERCHANGE_CHARS, size: text.length },
    );
}

/** Counts items as an importer creates them; throws once the file holds more than MAX_INTERCHANGE_ITEMS. */
export class ItemBudget {
  private count = 0;
  constructor(private readonly format: string) {}
  take(path: string, n = 1): void {
    this.count += n;
    if (this.count > MAX_INTERCHANGE_ITEMS)
      throw cutroomError(
        'INTERCHANGE_TOO_LARGE',
        `${this.format} file has more than ${MAX_INTERCHANGE_ITEMS} clips and items (at ${path})`,
        { format: this.format, limit: MAX_INTERCHANGE_ITEMS, path },
      );
  }
}

/** Nesting depth of parsed JSON, without recursion (a hostile file must not overflow the stack). */
export function checkJsonDepth(value: unknown, format: string): void {
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 1 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > MAX_INTERCHANGE_DEPTH)
      throw cutroomError(
        'INTERCHANGE_TOO_LARGE',
        `${format} file is nested more than ${MAX_INTERCHANGE_DEPTH} levels deep`,
        { format, limit: MAX_INTERCHANGE_DEPTH },
      );
    for (const child of Object.values(v)) stack.push({ v: child, d: d + 1 });
  }
}
