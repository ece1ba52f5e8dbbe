/**
 * Finds every `{{NAME}}` placeholder in a template's timeline JSON. A string that is exactly one placeholder
 * (`"{{BRAND}}"`) is a *whole* use: the merge replaces the JSON value itself, so a number field gives a JSON
 * number. A placeholder inside a longer string (`"Hello {{NAME}}!"`) is *embedded*: the value is spliced into
 * the string as text. Object keys are never scanned. Anything else that opens with `{{` is a malformed
 * placeholder and an error, so a typo (`{{NAME}`, `{{first name}}`) never renders as literal braces.
 *
 * No I/O: part of the timeline model.
 */
import { cutroomError } from '../../errors.js';
import { formatPath } from '../validate.js';

export interface PlaceholderUse {
  name: string;
  /** Path segments of the string holding it. */
  segments: Array<string | number>;
  path: string;
  whole: boolean;
}

export const PLACEHOLDER_RE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}/g;
const WHOLE_RE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}$/;
/** Uses at most; a template is a document, not a data set. */
export const MAX_PLACEHOLDER_USES = 2000;

export function findPlaceholders(value: unknown): PlaceholderUse[] {
  const uses: PlaceholderUse[] = [];
  const malformed: Array<{ path: string; message: string }> = [];
  const visit = (v: unknown, segments: Array<string | number>): void => {
    if (typeof v === 'string') {
      if (!v.includes('{{')) return;
      const path = formatPath(segments);
      const whole = WHOLE_RE.exec(v);
      if (whole) {
        uses.push({ name: whole[1]!, segments, path, whole: true });
        return;
      }
      for (const m of v.matchAll(PLACEHOLDER_RE)) uses.push({ name: m[1]!, segments, path, whole: false });
      if (v.replace(PLACEHOLDER_RE, '').includes('{{'))
        malformed.push({
          path,
          message:
            'holds a malformed placeholder: write {{NAME}} (letters, digits, _; starting with a letter or _)',
        });
      return;
    }
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...segments, i]));
    else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) visit(x, [...segments, k]);
  };
  visit(value, []);
  if (malformed.length > 0)
    throw cutroomError(
      'TEMPLATE_INVALID',
      `template timeline.${malformed[0]!.path} ${malformed[0]!.message}`,
      {
        issues: malformed.map((m) => ({ path: `timeline.${m.path}`, message: m.message })),
      },
    );
  if (uses.length > MAX_PLACEHOLDER_USES)
    throw cutroomError(
      'TEMPLATE_INVALID',
      `template has ${uses.length} placeholders; at most ${MAX_PLACEHOLDER_USES}`,
      { issues: [{ path: 'timeline', message: `at most ${MAX_PLACEHOLDER_USES} placeholders` }] },
    );
  return uses;
}
