/** Errors of the session-processor, each with its context and cause. */

/** Base class: every error of this function says what failed and carries the cause. */
export class SessionProcessorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SessionProcessorError';
  }
}

/** A setting is missing or invalid; the message names the variable and what is expected. */
export class ConfigError extends SessionProcessorError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** DynamoDB did not take a request after the SDK's retries (throttling, 5xx, timeout): retry the records. */
export class RetryableStoreError extends SessionProcessorError {
  constructor(
    readonly operation: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation}: ${message}`, options);
    this.name = 'RetryableStoreError';
  }
}

/** Another writer changed a metrics item between read and write; the batch is retried and re-reads it. */
export class MetricsConflictError extends RetryableStoreError {
  constructor(
    readonly windowStart: string,
    readonly shardId: string,
    options?: { cause?: unknown },
  ) {
    super('PutItem', `metrics item ${windowStart}/${shardId} changed since it was read`, options);
    this.name = 'MetricsConflictError';
  }
}

const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'TransactionConflictException',
]);

/** True for SDK errors that a later attempt can get past: throttling, 5xx, timeouts, dropped connections. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (RETRYABLE_NAMES.has(err.name)) return true;
  const meta = (err as { $metadata?: { httpStatusCode?: number } }).$metadata;
  if (meta?.httpStatusCode !== undefined && meta.httpStatusCode >= 500) return true;
  const code = (err as { code?: string }).code;
  return code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'EPIPE';
}
