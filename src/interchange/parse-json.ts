/** JSON and JSON5 text to a value, with the line and column of a syntax error and the size limits applied. */
import JSON5 from 'json5';
import { cutroomError } from '../errors.js';
import { checkJsonDepth, checkTextSize } from './limits.js';

function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export function parseJsonText({
  text,
  format,
  json5 = false,
}: {
  text: string;
  format: string;
  json5?: boolean;
}): unknown {
  checkTextSize(text, format);
  let value: unknown;
  try {
    value = json5 ? JSON5.parse(text) : JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const e5 = err as { lineNumber?: number; columnNumber?: number };
    const pos = /position (\d+)/.exec(message);
    const where =
      e5.lineNumber !== undefined
        ? { line: e5.lineNumber, column: e5.columnNumber ?? 0 }
        : pos
          ? lineColumnAt(text, Number(pos[1]))
          : undefined;
    throw cutroomError('INTERCHANGE_PARSE_FAILED', `${format} file is not valid ${json5 ? 'JSON5' : 'JSON'}: ${message}`, {
      format,
      ...(where ?? {}),
    });
  }
  checkJsonDepth(value, format);
  return value;
}
