/**
 * A model of Kinesis Data Firehose with a Kinesis source, a Lambda transform and dynamic partitioning:
 * - reads the stream with its own iterators and checkpoints, de-aggregating KPL records as Firehose does;
 * - invokes the transform with the exact Firehose event and checks the answer's contract (every recordId
 *   once, a valid result, base64 data, partition keys on Ok records); an invocation that throws or breaks the
 *   contract is retried (`retries`, Firehose's default 3), then its records go to the error output;
 * - buffers Ok records per partition and writes an object when a buffer reaches its size; when the oldest
 *   buffer reaches its age, and on drain, writes every buffer and only then checkpoints what they hold, so
 *   a crash re-reads unwritten records instead of losing them (the archive is at least once; SQL removes
 *   the copies by event_id); gzip NDJSON, or Parquet (SNAPPY) through DuckDB;
 * - writes ProcessingFailed records, and Ok records without partition keys, under the error prefix in
 *   Firehose's error-record format.
 */
import { GetRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisClient, _Record } from '@aws-sdk/client-kinesis';
import type { FirehoseTransformationEvent, FirehoseTransformationEventRecord, FirehoseTransformationResult } from 'aws-lambda';
import { unpackRecord } from '../../functions/shared/kinesis-records';
import { ARCHIVE_DATA_PREFIX, ARCHIVE_ERROR_PREFIX } from '../../functions/shared/firehose-prefixes';
import { renderPrefix } from './prefixes';
import type { CheckpointFile } from '../checkpoints';
import { shardIterator } from '../stream';
import type { StreamInfo } from '../stream';
import { gzipRecords, objectKey, putObject } from './s3-objects';
import type { ParquetWriter } from './parquet';
import type { ArchiveFormat } from '../../stacks/config';

export interface DeliveryStreamOptions {
  readonly name: string;
  readonly client: KinesisClient;
  readonly stream: StreamInfo;
  readonly transform: (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;
  readonly transformArn: string;
  readonly checkpoints: CheckpointFile;
  /** Folder standing in for the S3 bucket. */
  readonly bucketDir: string;
  readonly format: ArchiveFormat;
  readonly parquet?: ParquetWriter;
  /** Buffer hints: an object is written when a partition's buffer reaches either. */
  readonly bufferBytes: number;
  readonly bufferIntervalMs: number;
  /** Records per transform invocation (Firehose sizes these by the processor's buffer, up to 6 MB). */
  readonly recordsPerInvocation?: number;
  readonly retries?: number;
  readonly idlePollMs?: number;
  /** Take every batch twice, as a duplicate delivery (fault injection). */
  readonly deliverTwice?: boolean;
  /** Wraps each invocation, for fault injection. */
  readonly invoke?: (event: FirehoseTransformationEvent, next: (e: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>) => Promise<FirehoseTransformationResult>;
}

export interface DeliveryStats {
  recordsIn: number;
  ok: number;
  dropped: number;
  processingFailed: number;
  invocations: number;
  invocationFailures: number;
  dataObjects: number;
  errorObjects: number;
  bytesWritten: number;
  /** Writes that failed; their rows stay buffered (and unchecked-pointed) for the next flush. */
  writeFailures: number;
}

interface Buffer_ {
  readonly prefix: string;
  readonly rows: Buffer[];
  bytes: number;
  readonly openedAt: number;
}

interface ErrorRecord {
  readonly rawData: string;
  readonly arrivalMs: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attempts: number;
}

export class LocalDeliveryStream {
  readonly stats: DeliveryStats = { recordsIn: 0, ok: 0, dropped: 0, processingFailed: 0, invocations: 0, invocationFailures: 0, dataObjects: 0, errorObjects: 0, bytesWritten: 0, writeFailures: 0 };
  /** The last error of a failed write, for the report. */
  lastWriteError: string | undefined;

  /**
   * Records accepted (Ok, or failed to the error output) that are not in any written object yet. After a
   * drain this is 0 unless object writes failed; the archive path holds only then.
   */
  get unwrittenRecords(): number {
    let n = this.errors.length;
    for (const b of this.buffers.values()) n += b.rows.length;
    return n;
  }
  /**
   * Records by the outcome of their first delivery (a record delivered again is not counted again): the
   * archive path's conservation. Memory stays bounded: a per-shard watermark, and the current batch's ids.
   */
  readonly outcomes = { ok: 0, failed: 0, dropped: 0 };
  private readonly countedUpTo = new Map<string, bigint>();
  private readonly buffers = new Map<string, Buffer_>();
  private readonly errors: ErrorRecord[] = [];
  private stopping = false;
  private draining = false;
  private loops: Promise<void>[] = [];
  private invocationCounter = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  /** Last sequence number read per shard, whose records are buffered but maybe not written. */
  private readonly lastRead = new Map<string, string>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly o: DeliveryStreamOptions) {}

  start(): void {
    this.loops = this.o.stream.shardIds.map((shard) => this.pollShard(shard));
    this.flushTimer = setInterval(() => void this.flushExpired(), Math.min(1000, this.o.bufferIntervalMs));
  }

  /** Reads every shard to its tip, then writes every buffer. */
  async drain(): Promise<void> {
    this.draining = true;
    await Promise.all(this.loops);
    await this.flushAll();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.flushAll();
  }

  private async pollShard(shardId: string): Promise<void> {
    const { client, stream } = this.o;
    let iterator = await shardIterator(client, stream.name, shardId, this.o.checkpoints.get(shardId));
    while (iterator && !this.stopping) {
      const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.o.recordsPerInvocation ?? 500 }));
      iterator = out.NextShardIterator;
      const records = out.Records ?? [];
      if (records.length > 0) {
        await this.process(shardId, records);
        this.lastRead.set(shardId, records[records.length - 1]!.SequenceNumber!);
        await this.flushExpired();
        continue;
      }
      if (this.draining && (out.MillisBehindLatest ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, this.o.idlePollMs ?? 100));
    }
  }

  private async process(shardId: string, records: _Record[]): Promise<void> {
    const input: FirehoseTransformationEventRecord[] = [];
    for (const r of records) {
      const arrival = r.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
      const data = Buffer.from(r.Data ?? new Uint8Array()).toString('base64');
      const unpacked = unpackRecord({ data, sequenceNumber: r.SequenceNumber!, partitionKey: r.PartitionKey!, approximateArrivalTimestamp: arrival / 1000 });
      // Firehose de-aggregates what it can; a corrupt aggregate reaches the transform as it is.
      const users = unpacked.ok ? unpacked.records : [{ sequenceNumber: r.SequenceNumber!, subSequenceNumber: 0, partitionKey: r.PartitionKey!, arrivalMs: arrival, payload: Buffer.from(data, 'base64') }];
      for (const u of users) {
        input.push({
          recordId: `${u.sequenceNumber}${String(u.subSequenceNumber).padStart(8, '0')}`,
          approximateArrivalTimestamp: arrival,
          data: u.payload.toString('base64'),
          kinesisRecordMetadata: { shardId, partitionKey: u.partitionKey, approximateArrivalTimestamp: arrival, sequenceNumber: u.sequenceNumber, subsequenceNumber: String(u.subSequenceNumber) },
        });
      }
    }
    this.stats.recordsIn += input.length;
    // recordId is the sequence number then the sub-sequence number: a position that only grows in a shard.
    const upTo = this.countedUpTo.get(shardId) ?? -1n;
    // Per call, never shared: shards are processed side by side.
    const uncounted = new Set(input.filter((r) => BigInt(r.recordId) > upTo).map((r) => r.recordId));
    if (input.length > 0) this.countedUpTo.set(shardId, [...input].reduce((m, r) => (BigInt(r.recordId) > m ? BigInt(r.recordId) : m), upTo));
    await this.transformWithRetries(input, uncounted);
    if (this.o.deliverTwice) await this.transformWithRetries(input, uncounted);
  }

  private async transformWithRetries(records: FirehoseTransformationEventRecord[], uncounted: Set<string>): Promise<void> {
    const retries = this.o.retries ?? 3;
    let lastError = '';
    for (let attempt = 1; attempt <= retries + 1; attempt += 1) {
      const event: FirehoseTransformationEvent = {
        invocationId: `local-${++this.invocationCounter}`,
        deliveryStreamArn: `arn:aws:firehose:us-east-1:000000000000:deliverystream/${this.o.name}`,
        sourceKinesisStreamArn: this.o.stream.arn,
        region: 'us-east-1',
        records,
      };
      this.stats.invocations += 1;
      try {
        const result = await (this.o.invoke ? this.o.invoke(event, this.o.transform) : this.o.transform(event));
        const violation = contractViolation(records, result);
        if (violation === undefined) {
          this.accept(records, result, attempt, uncounted);
          return;
        }
        lastError = violation;
      } catch (err) {
        lastError = `Lambda.FunctionError: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500);
      }
      this.stats.invocationFailures += 1;
    }
    const [code, ...message] = lastError.split(': ');
    for (const r of records) this.fail(r, code ?? 'Lambda.FunctionError', message.join(': '), retries + 1, uncounted);
  }

  /** Takes an accepted answer; `uncounted` holds the records whose first outcome is still to be counted. */
  private accept(records: FirehoseTransformationEventRecord[], result: FirehoseTransformationResult, attempts: number, uncounted: Set<string>): void {
    const byId = new Map(records.map((r) => [r.recordId, r]));
    for (const answer of result.records) {
      const input = byId.get(answer.recordId)!;
      if (answer.result === 'Dropped') {
        this.stats.dropped += 1;
        if (uncounted.delete(answer.recordId)) this.outcomes.dropped += 1;
        continue;
      }
      if (answer.result === 'ProcessingFailed') {
        this.fail(input, 'Lambda.ProcessingFailed', 'The transform answered ProcessingFailed; its log has the reason by recordId and payloadSha', attempts, uncounted);
        continue;
      }
      const keys = answer.metadata?.partitionKeys;
      if (!keys || typeof keys['dt'] !== 'string' || typeof keys['hour'] !== 'string') {
        this.fail(input, 'DynamicPartitioning.MetadataExtractionFailed', 'Ok record without the dt and hour partition keys', attempts, uncounted);
        continue;
      }
      this.stats.ok += 1;
      if (uncounted.delete(answer.recordId)) this.outcomes.ok += 1;
      const prefix = renderPrefix(ARCHIVE_DATA_PREFIX, { partitionKeys: keys, arrival: new Date(input.approximateArrivalTimestamp) });
      const row = Buffer.from(answer.data!, 'base64');
      let buffer = this.buffers.get(prefix);
      if (!buffer) {
        buffer = { prefix, rows: [], bytes: 0, openedAt: Date.now() };
        this.buffers.set(prefix, buffer);
      }
      buffer.rows.push(row);
      buffer.bytes += row.length;
    }
  }

  private fail(r: FirehoseTransformationEventRecord, errorCode: string, errorMessage: string, attempts: number, uncounted: Set<string>): void {
    this.stats.processingFailed += 1;
    if (uncounted.delete(r.recordId)) this.outcomes.failed += 1;
    this.errors.push({ rawData: r.data, arrivalMs: r.approximateArrivalTimestamp, errorCode, errorMessage, attempts });
  }

  /** Writes full buffers; when the oldest buffer is due, writes everything and checkpoints. Never throws. */
  private async flushExpired(): Promise<void> {
    const now = Date.now();
    let due = false;
    for (const [prefix, b] of [...this.buffers]) {
      if (now - b.openedAt >= this.o.bufferIntervalMs) due = true;
      else if (b.bytes >= this.o.bufferBytes) await this.writeBuffer(prefix, b).catch((err: unknown) => this.failedWrite(err));
    }
    if (due) await this.flushAll();
  }

  /**
   * Writes every buffer and the error records, then checkpoints every shard to what they held. If any write
   * fails, nothing is checkpointed: the rows stay buffered and the records will be read again after a crash.
   */
  flushAll(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const readUpTo = new Map(this.lastRead);
      const buffers = [...this.buffers];
      try {
        for (const [prefix, b] of buffers) await this.writeBuffer(prefix, b);
        if (this.errors.length > 0) this.writeErrors();
      } catch (err) {
        this.failedWrite(err);
        return;
      }
      for (const [shard, seq] of readUpTo) this.o.checkpoints.set(shard, seq);
    });
    return this.flushing;
  }

  private failedWrite(err: unknown): void {
    this.stats.writeFailures += 1;
    this.lastWriteError = err instanceof Error ? err.message : String(err);
  }

  /** Writes one buffer as an object; on failure its rows go back into the partition's buffer. */
  private async writeBuffer(prefix: string, b: Buffer_): Promise<void> {
    if (this.buffers.get(prefix) === b) this.buffers.delete(prefix);
    if (b.rows.length === 0) return;
    try {
      await this.writeRows(prefix, b);
    } catch (err) {
      const current = this.buffers.get(prefix);
      if (current) {
        current.rows.unshift(...b.rows);
        current.bytes += b.bytes;
      } else this.buffers.set(prefix, b);
      throw err;
    }
  }

  private async writeRows(prefix: string, b: Buffer_): Promise<void> {
    const now = new Date();
    let body: Buffer;
    let extension: string;
    if (this.o.format === 'parquet') {
      body = await this.o.parquet!.toParquet(b.rows);
      extension = '.parquet';
    } else {
      body = gzipRecords(b.rows);
      extension = '.gz';
    }
    putObject(this.o.bucketDir, objectKey(prefix, this.o.name, now, extension), body);
    this.stats.dataObjects += 1;
    this.stats.bytesWritten += body.length;
  }

  /** Error records, one JSON object per line, in Firehose's format, gzip-compressed like the data. */
  private writeErrors(): void {
    const now = new Date();
    const byPrefix = new Map<string, Buffer[]>();
    const pending = this.errors.splice(0);
    for (const e of pending) {
      const prefix = renderPrefix(ARCHIVE_ERROR_PREFIX, { errorOutputType: e.errorCode.startsWith('DynamicPartitioning') ? 'partitioning-failed' : 'processing-failed', arrival: new Date(e.arrivalMs) });
      const line = JSON.stringify({
        attemptsMade: e.attempts,
        arrivalTimestamp: e.arrivalMs,
        errorCode: e.errorCode,
        errorMessage: e.errorMessage,
        attemptEndingTimestamp: now.getTime(),
        rawData: e.rawData,
        lambdaArn: this.o.transformArn,
      });
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), Buffer.from(`${line}\n`)]);
    }
    try {
      for (const [prefix, lines] of byPrefix) {
        const body = gzipRecords(lines);
        putObject(this.o.bucketDir, objectKey(prefix, this.o.name, now, '.gz'), body);
        this.stats.errorObjects += 1;
        this.stats.bytesWritten += body.length;
      }
    } catch (err) {
      // Kept for the next flush; an object already written may then be written again (at least once).
      this.errors.unshift(...pending);
      throw err;
    }
  }
}

/** Why a transform answer breaks Firehose's contract, as `code: message`, or undefined when it keeps it. */
export function contractViolation(records: readonly FirehoseTransformationEventRecord[], result: FirehoseTransformationResult | undefined): string | undefined {
  if (!result || !Array.isArray(result.records)) return 'Lambda.InvalidResponse: the response has no records array';
  const expected = new Set(records.map((r) => r.recordId));
  const seen = new Set<string>();
  for (const answer of result.records) {
    if (!expected.has(answer?.recordId)) return `Lambda.InvalidRecordId: recordId ${JSON.stringify(answer?.recordId)?.slice(0, 80)} was not in the request`;
    if (seen.has(answer.recordId)) return `Lambda.DuplicatedRecordId: recordId ${answer.recordId} answered twice`;
    seen.add(answer.recordId);
    if (answer.result !== 'Ok' && answer.result !== 'Dropped' && answer.result !== 'ProcessingFailed') return `Lambda.InvalidResult: result ${JSON.stringify(answer.result)} for ${answer.recordId}`;
    if (typeof answer.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(answer.data)) return `Lambda.InvalidData: data of ${answer.recordId} is not base64`;
  }
  if (seen.size !== expected.size) return `Lambda.MissingRecordId: ${expected.size - seen.size} recordIds were not answered`;
  return undefined;
}
