/**
 * The two failure stores' objects, read record by record and rewritten with a subset of their records:
 *
 * - **Firehose's error output** (archive bucket, under `errors/<kind>/dt=…/`): newline-delimited JSON, one
 *   line per record Firehose could not deliver, `rawData` holding the record's bytes in base64 and
 *   `arrivalTimestamp` its arrival in epoch milliseconds ("Handle failure in data transformation",
 *   https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-failure-handling.html), gzip-compressed
 *   when the delivery stream compresses. For `processing-failed` the bytes are the producer's record; for
 *   `format-conversion-failed`, the transform's row.
 * - **The on-failure destination** (failure bucket, under `aws/lambda/<ESM-UUID>/<shardId>/yyyy/MM/dd/`): one
 *   JSON invocation record per failed batch, the whole Kinesis event under `payload`
 *   ("Retain discarded batch records for a Kinesis Data Streams event source in Lambda",
 *   https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html). A Kinesis record may be a
 *   KPL aggregate of several user records.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { KinesisStreamRecord } from 'aws-lambda';
import { unpackRecord } from '../../functions/shared/kinesis-records';
import { REDRIVEN_PREFIX } from '../../stacks/failure-stores';
import { aggregate } from '../producer/kpl-aggregate';

/** Where each store keeps its objects, and where `redrive` moves what it has put back. */
export const FAILURE_PREFIXES = {
  /** Firehose's error output, every kind (the archive bucket). */
  archiveErrors: 'errors/',
  /** The error kind whose records are producer records that the transform refused or could not answer. */
  processingFailed: 'errors/processing-failed/',
  /** The on-failure destination's invocation records (the failure bucket). */
  onFailure: 'aws/lambda/',
  /** Records `redrive` has put back on the stream, under their original key (both buckets). */
  redriven: REDRIVEN_PREFIX,
} as const;

/** One user record kept in a failure store. */
export interface KeptRecord {
  /** The record's bytes as the producer sent them (for `format-conversion-failed`, the transform's row). */
  readonly payload: Buffer;
  /** The Kinesis partition key, where the store kept it (the on-failure destination does; Firehose does not). */
  readonly partitionKey: string | undefined;
  /** When the record first arrived on the stream, epoch milliseconds. */
  readonly arrivalMs: number;
  /** Why it is in the store: Firehose's error code, or the batch's condition and function error. */
  readonly errorCode: string;
}

/** A failure-store object, parsed. */
export interface FailureObject {
  readonly records: readonly KeptRecord[];
  /**
   * The object's bytes holding only the records for which `keep` is true (in the same format and
   * compression), or undefined when none is kept.
   */
  keeping(keep: (record: KeptRecord, index: number) => boolean): Buffer | undefined;
}

/** Firehose's error-output object: gzip or plain newline-delimited JSON. */
export function readErrorOutput(body: Buffer): FailureObject {
  const gzipped = body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
  const text = (gzipped ? gunzipSync(body) : body).toString('utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const records = lines.map((line): KeptRecord => {
    const o = JSON.parse(line) as { rawData?: string; arrivalTimestamp?: number; errorCode?: string; ErrorCode?: string };
    return {
      payload: Buffer.from(o.rawData ?? '', 'base64'),
      partitionKey: undefined,
      arrivalMs: Number(o.arrivalTimestamp ?? 0),
      errorCode: String(o.errorCode ?? o.ErrorCode ?? 'unknown'),
    };
  });
  return {
    records,
    keeping(keep) {
      const kept = lines.filter((_line, i) => keep(records[i]!, i));
      if (kept.length === 0) return undefined;
      const out = Buffer.from(kept.map((l) => `${l}\n`).join(''));
      return gzipped ? gzipSync(out) : out;
    },
  };
}

interface InvocationRecord {
  payload?: { Records?: KinesisStreamRecord[] };
  requestContext?: { condition?: string };
  responseContext?: { functionError?: string };
  KinesisBatchInfo?: Record<string, unknown>;
}

/**
 * An on-failure invocation record. Its user records are the de-aggregated records of its Kinesis records;
 * a rewrite keeps a Kinesis record whole when all of its user records are kept, re-aggregates the kept ones
 * of a KPL aggregate, and leaves out a Kinesis record none of whose user records is kept.
 */
export function readFailedBatch(body: Buffer): FailureObject {
  const doc = JSON.parse(body.toString('utf8')) as InvocationRecord;
  const kinesisRecords = doc.payload?.Records ?? [];
  const errorCode = [doc.requestContext?.condition, doc.responseContext?.functionError].filter(Boolean).join(': ') || 'unknown';
  const records: KeptRecord[] = [];
  // For each Kinesis record, the indexes of its user records in `records`.
  const owners: number[][] = [];
  for (const r of kinesisRecords) {
    const unpacked = unpackRecord(r.kinesis);
    const arrivalMs = Math.round(r.kinesis.approximateArrivalTimestamp * 1000);
    const inner = unpacked.ok
      ? unpacked.records.map((u) => ({ payload: u.payload, partitionKey: u.partitionKey, arrivalMs, errorCode }))
      : [{ payload: Buffer.from(r.kinesis.data, 'base64'), partitionKey: r.kinesis.partitionKey, arrivalMs, errorCode }];
    owners.push(inner.map((_u, i) => records.length + i));
    records.push(...inner);
  }
  return {
    records,
    keeping(keep) {
      const out: KinesisStreamRecord[] = [];
      kinesisRecords.forEach((r, k) => {
        const indexes = owners[k]!;
        const kept = indexes.filter((i) => keep(records[i]!, i));
        if (kept.length === indexes.length) out.push(r);
        else if (kept.length > 0) {
          const packed = aggregate(
            kept.map((i) => ({ partitionKey: records[i]!.partitionKey ?? r.kinesis.partitionKey, data: records[i]!.payload })),
          );
          for (const p of packed) out.push({ ...r, kinesis: { ...r.kinesis, data: p.data.toString('base64') } });
        }
      });
      if (out.length === 0) return undefined;
      const rewritten: InvocationRecord = {
        ...doc,
        ...(doc.KinesisBatchInfo ? { KinesisBatchInfo: { ...doc.KinesisBatchInfo, batchSize: out.length } } : {}),
        payload: { ...doc.payload, Records: out },
      };
      return Buffer.from(JSON.stringify(rewritten));
    },
  };
}

/**
 * An input line the local producer refused before the stream (too large for a Kinesis record), kept whole
 * as one file (`local/producer/refused-store.ts`): one record, which a rewrite keeps or drops.
 */
export function readRefusedLine(body: Buffer): FailureObject {
  const record: KeptRecord = { payload: body, partitionKey: undefined, arrivalMs: 0, errorCode: 'record_too_large' };
  return { records: [record], keeping: (keep) => (keep(record, 0) ? body : undefined) };
}

/** The user id a kept record names: a producer record's `userId`, or an archive row's `user_id`. */
export function userIdOf(record: KeptRecord): string | undefined {
  try {
    const o = JSON.parse(record.payload.toString('utf8')) as unknown;
    if (typeof o !== 'object' || o === null) return undefined;
    const id = (o as Record<string, unknown>)['userId'] ?? (o as Record<string, unknown>)['user_id'];
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
