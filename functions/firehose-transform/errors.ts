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

/** The offline IP database (enrich/geo-data/) is missing or does not match its metadata; the message says how to fix it. */
export class GeoDataError extends FirehoseTransformError {
  constructor(
    readonly where: string,
    message: string,
    cause?: unknown,
  ) {
    super(`geo data (${where}): ${message}`, { cause });
    this.name = 'GeoDataError';
  }
}
