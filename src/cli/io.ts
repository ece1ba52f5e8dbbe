/** Where the CLI writes. The only place in src/ that may print: library code returns data. */
export interface CliIo {
  /** One line (or block) to stdout. */
  out(text: string): void;
  /** One line to stderr. */
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  err: (text) => {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  },
};
