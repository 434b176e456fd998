/**
 * Putting records on a stream with PutRecords: batches of at most 500 records and 5 MiB pulled from any
 * (async) iterable, so input is never held whole; failed records retried; optional rate limit.
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisClient, PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { KINESIS_RECORD_MAX_BYTES, PUT_RECORDS_MAX_BYTES, PUT_RECORDS_MAX_RECORDS, kinesisRecordBytes } from '../limits';

export interface ProduceRecord {
  readonly partitionKey: string;
  readonly data: Uint8Array;
  /** Overrides the partition key's hash (KPL aggregates are sent to their first record's shard). */
  readonly explicitHashKey?: string;
  /** Records that must keep their order among themselves share this key; the partition key by default. */
  readonly orderKey?: string;
}

export interface ProduceOptions {
  /** Records per second; unlimited when absent. */
  readonly rate?: number;
  readonly onProgress?: (done: number) => void;
  /** Called as each record is accepted, with its index, sequence number and time (for put-to-visible latency). */
  readonly onAccepted?: (index: number, sequenceNumber: string, atMs: number) => void;
}

export interface ProduceResult {
  readonly put: number;
  /** Records Kinesis refused at first (throttling) and that were put again. */
  readonly retried: number;
  /** Records that landed but were put again to keep their key's order: copies on the stream. */
  readonly extraCopies: number;
  readonly calls: number;
}

/** Puts every record in order of its key; a batch is finished (retries included) before the next is read. */
export async function putAll(
  client: KinesisClient,
  streamName: string,
  records: Iterable<ProduceRecord> | AsyncIterable<ProduceRecord>,
  o: ProduceOptions = {},
): Promise<ProduceResult> {
  let calls = 0;
  let retried = 0;
  let done = 0;
  let extraCopies = 0;
  let index = 0;
  const started = Date.now();
  for await (const batch of batches(records)) {
    const first = index;
    index += batch.length;
    let pending = batch.map((_, k) => k);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round > 10) throw new Error(`PutRecords: ${pending.length} records still refused after 10 retries`);
      if (round > 0) await sleep(Math.min(2000, 50 * 2 ** round));
      const entries: PutRecordsRequestEntry[] = pending.map((k) => entry(batch[k]!));
      const out = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: entries }));
      calls += 1;
      const now = Date.now();
      const failedKeys = new Set<string>();
      const next: number[] = [];
      (out.Records ?? []).forEach((r, k) => {
        const at = pending[k]!;
        const key = orderKey(batch[at]!);
        // A refused record, and every later record of the same key, goes again: a key's order is kept,
        // and the later ones that did land become producer duplicates, which the pipeline recognises.
        if (r.ErrorCode || failedKeys.has(key)) {
          if (r.ErrorCode) failedKeys.add(key);
          next.push(at);
        }
        if (!r.ErrorCode) {
          o.onAccepted?.(first + at, r.SequenceNumber ?? '', now);
          if (failedKeys.has(key)) extraCopies += 1;
          else done += 1;
        }
      });
      retried += next.length;
      pending = next;
    }
    o.onProgress?.(done);
    if (o.rate) {
      const due = started + (done / o.rate) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
    }
  }
  return { put: done, retried, calls, extraCopies };
}

/** Groups records into PutRecords requests: at most 500 records and 5 MiB, and always at least one record. */
export async function* batches(records: Iterable<ProduceRecord> | AsyncIterable<ProduceRecord>): AsyncGenerator<ProduceRecord[]> {
  let batch: ProduceRecord[] = [];
  let bytes = 0;
  for await (const r of records) {
    const size = kinesisRecordBytes(r.data, r.partitionKey);
    // Input readers refuse such records before they get here; a caller that does not is told, never hung.
    if (size > KINESIS_RECORD_MAX_BYTES)
      throw new RangeError(
        `a record of ${size} bytes (partition key ${JSON.stringify(r.partitionKey.slice(0, 64))}) is over the Kinesis limit of ${KINESIS_RECORD_MAX_BYTES} bytes; refuse it before putting`,
      );
    if (batch.length > 0 && (batch.length >= PUT_RECORDS_MAX_RECORDS || bytes + size > PUT_RECORDS_MAX_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(r);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

function entry(r: ProduceRecord): PutRecordsRequestEntry {
  return { Data: r.data, PartitionKey: r.partitionKey, ...(r.explicitHashKey ? { ExplicitHashKey: r.explicitHashKey } : {}) };
}

function orderKey(r: ProduceRecord): string {
  return r.orderKey ?? r.partitionKey;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
