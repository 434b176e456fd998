/** Errors of the firehose-transform function. */

/** Base class: says what failed and carries the cause. */
export class FirehoseTransformError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FirehoseTransformError';
  }
}

/** A setting is missing or invalid; the message names the variable and what is expected. */
export class ConfigError extends FirehoseTransformError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
