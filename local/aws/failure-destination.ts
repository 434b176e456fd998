/**
 * The on-failure destination of the event source mapping: like Lambda's S3 destination, each failed batch
 * is kept whole (records with their data, the condition and the error) as one JSON object in a folder, under
 * the key Lambda uses, `aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>`
 * ("Retain discarded batch records for a Kinesis Data Streams event source in Lambda",
 * https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html).
 */
import { hash, randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
    const path = join(this.folder, failedBatchKey(mappingUuid(b.functionName, b.streamArn), b.shardId, now));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, JSON.stringify(body));
    renameSync(`${path}.tmp`, path);
    return Promise.resolve();
  }
}

/** The object key Lambda gives a failed batch's invocation record. */
export function failedBatchKey(mappingUuid: string, shardId: string, at: Date): string {
  const iso = at.toISOString();
  const day = iso.slice(0, 10).replaceAll('-', '/');
  const time = `${iso.slice(0, 10)}T${iso.slice(11, 19).replaceAll(':', '.')}`;
  return `aws/lambda/${mappingUuid}/${shardId}/${day}/${time}-${randomUUID()}`;
}

/** A stable UUID-shaped id for the local event source mapping of a function and stream (Lambda assigns a random one). */
function mappingUuid(functionName: string, streamArn: string): string {
  const h = hash('sha256', `${functionName}\u0000${streamArn}`, 'hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function describeError(err: unknown): string | undefined {
  if (err === undefined) return undefined;
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 500);
  return JSON.stringify(err)?.slice(0, 500);
}
