/**
 * The on-failure destination of the event source mapping: like Lambda's S3 destination, each failed batch
 * is kept whole (records with their data, the condition and the error) as one JSON object in a folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KinesisStreamRecord } from 'aws-lambda';

export interface FailedBatch {
  readonly functionName: string;
  readonly streamArn: string;
  readonly shardId: string;
  /** RetryAttemptsExhausted or RecordAgeExceeded, as Lambda names them. */
  readonly condition: string;
  readonly records: readonly KinesisStreamRecord[];
  readonly error: unknown;
}

export interface FailureDestination {
  write(batch: FailedBatch): Promise<void>;
}

export class FolderFailureDestination implements FailureDestination {
  constructor(private readonly folder: string) {}

  write(b: FailedBatch): Promise<void> {
    const first = b.records[0]!;
    const last = b.records[b.records.length - 1]!;
    const now = new Date();
    const dir = join(this.folder, b.functionName, now.toISOString().slice(0, 10));
    mkdirSync(dir, { recursive: true });
    const body = {
      version: '1.0',
      timestamp: now.toISOString(),
      requestContext: {
        functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${b.functionName}`,
        condition: b.condition,
        approximateInvokeCount: 1,
      },
      responseContext: { executedVersion: '$LATEST', functionError: describeError(b.error) },
      KinesisBatchInfo: {
        shardId: b.shardId,
        startSequenceNumber: first.kinesis.sequenceNumber,
        endSequenceNumber: last.kinesis.sequenceNumber,
        approximateArrivalOfFirstRecord: new Date(first.kinesis.approximateArrivalTimestamp * 1000).toISOString(),
        approximateArrivalOfLastRecord: new Date(last.kinesis.approximateArrivalTimestamp * 1000).toISOString(),
        batchSize: b.records.length,
        streamArn: b.streamArn,
      },
      payload: { Records: b.records },
    };
    writeFileSync(join(dir, `${b.shardId}-${first.kinesis.sequenceNumber}.json`), JSON.stringify(body));
    return Promise.resolve();
  }
}

function describeError(err: unknown): string | undefined {
  if (err === undefined) return undefined;
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 500);
  return JSON.stringify(err)?.slice(0, 500);
}
