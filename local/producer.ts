/** Putting records on a stream with PutRecords: 500 per call, failed records retried, optional rate limit. */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisClient, PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';

export interface ProduceRecord {
  readonly partitionKey: string;
  readonly data: Uint8Array;
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

/** PutRecords' limits: 500 records and 5 MiB per call. */
const MAX_RECORDS = 500;
const MAX_BYTES = 5 * 1024 * 1024;

export async function putAll(client: KinesisClient, streamName: string, records: readonly ProduceRecord[], o: ProduceOptions = {}): Promise<ProduceResult> {
  let calls = 0;
  let retried = 0;
  let done = 0;
  let extraCopies = 0;
  const started = Date.now();
  for (let i = 0; i < records.length; ) {
    let bytes = 0;
    let end = i;
    while (end < records.length && end - i < MAX_RECORDS && bytes + records[end]!.data.length + records[end]!.partitionKey.length <= MAX_BYTES) {
      bytes += records[end]!.data.length + records[end]!.partitionKey.length;
      end += 1;
    }
    let pending = Array.from({ length: end - i }, (_, k) => i + k);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round > 10) throw new Error(`PutRecords: ${pending.length} records still refused after 10 retries`);
      if (round > 0) await sleep(Math.min(2000, 50 * 2 ** round));
      const entries: PutRecordsRequestEntry[] = pending.map((k) => ({ Data: records[k]!.data, PartitionKey: records[k]!.partitionKey }));
      const out = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: entries }));
      calls += 1;
      const now = Date.now();
      const failedKeys = new Set<string>();
      const next: number[] = [];
      (out.Records ?? []).forEach((r, k) => {
        const index = pending[k]!;
        const key = records[index]!.partitionKey;
        // A refused record, and every later record of the same key, goes again: a key's order is kept,
        // and the later ones that did land become producer duplicates, which the pipeline recognises.
        if (r.ErrorCode || failedKeys.has(key)) {
          if (r.ErrorCode) failedKeys.add(key);
          next.push(index);
        }
        if (!r.ErrorCode) {
          o.onAccepted?.(index, r.SequenceNumber ?? '', now);
          if (failedKeys.has(key)) extraCopies += 1;
          else done += 1;
        }
      });
      retried += next.length;
      pending = next;
    }
    o.onProgress?.(done);
    i = end;
    if (o.rate) {
      const due = started + (done / o.rate) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
    }
  }
  return { put: done, retried, calls, extraCopies };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
