/**
 * A bounded ring of the last stderr lines. ffmpeg can print a line per frame for hours (e.g. "Past duration too
 * large" or decoder warnings), so stderr is never accumulated whole: only the last `maxLines` lines, each cut to
 * `maxLineChars`, are kept.
 */
export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly maxLines = 40,
    private readonly maxLineChars = 1000,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    // ffmpeg ends status lines with \r; treat it as a line break too.
    const parts = text.split(/\r\n|\r|\n/);
    this.partial = (parts.pop() ?? '').slice(-this.maxLineChars);
    for (const line of parts) this.add(line);
  }

  private add(line: string): void {
    if (line.trim() === '') return;
    this.lines.push(line.length > this.maxLineChars ? line.slice(0, this.maxLineChars) + '…' : line);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
  }

  /** The kept lines (plus an unterminated last line), joined with \n. */
  text(): string {
    const all = this.partial.trim() === '' ? this.lines : [...this.lines, this.partial];
    return all.slice(-this.maxLines).join('\n');
  }
}
