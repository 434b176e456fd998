/** Errors of the local runtime that a person can act on; the CLI prints the message as one line. */

/** A flag or argument is wrong; the CLI exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The data directory is missing, busy, or not one of ours; the CLI exits with 1. */
export class DataDirError extends Error {
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DataDirError';
  }
}
