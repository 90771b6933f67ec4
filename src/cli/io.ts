/** @file Where the CLI writes, and its own error kind: injected so tests can capture both streams. */

/** The CLI's two output streams. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

/** The process's stdout and stderr. */
export const processIO: CliIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** A failure the user can fix (missing file, missing piece of the package): printed without a stack. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
