/** Firehose's error output: the records it could not deliver, in its error-record format, under the error prefix. */
import { ARCHIVE_ERROR_PREFIX } from '../../../functions/shared/firehose-prefixes';
import { renderPrefix } from './prefixes';

/** A record Firehose could not deliver, with why. */
export interface ErrorRecord {
  readonly rawData: string;
  readonly arrivalMs: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attempts: number;
}

/** The records' lines (one JSON object each, in Firehose's format) by error prefix: error kind and arrival date. */
export function errorRecordLines(errors: readonly ErrorRecord[], lambdaArn: string, now: Date): Map<string, Buffer[]> {
  const byPrefix = new Map<string, Buffer[]>();
  for (const e of errors) {
    const prefix = renderPrefix(ARCHIVE_ERROR_PREFIX, {
      errorOutputType: e.errorCode.startsWith('DynamicPartitioning') ? 'partitioning-failed' : 'processing-failed',
      arrival: new Date(e.arrivalMs),
    });
    const line = JSON.stringify({
      attemptsMade: e.attempts,
      arrivalTimestamp: e.arrivalMs,
      errorCode: e.errorCode,
      errorMessage: e.errorMessage,
      attemptEndingTimestamp: now.getTime(),
      rawData: e.rawData,
      lambdaArn,
    });
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), Buffer.from(`${line}\n`)]);
  }
  return byPrefix;
}
