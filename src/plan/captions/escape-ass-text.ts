/**
 * Makes user text render literally in an ASS event. ASS has no general escape: `{…}` starts an override block
 * and `\N`, `\n`, `\h` are line breaks/hard spaces. libass shows `\{` and `\}` as plain braces, and a backslash
 * followed by anything else as a backslash, so: put an invisible WORD JOINER (U+2060) after every backslash (no
 * `\N` can form), then turn each brace into `\{` / `\}`. Verified by rendering with ffmpeg's subtitles filter
 * (test/plan/captions/ass-render.test.ts).
 */
const WORD_JOINER = '\u2060';

export function escapeAssText(text: string): string {
  return text
    .replace(/[\r\n\t\f\v]+/g, ' ')
    .replace(/\\/g, `\\${WORD_JOINER}`)
    .replace(/[{}]/g, (c) => `\\${c}`);
}
