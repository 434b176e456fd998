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
 * This file runs the stream; the shard polling is `../shard-poller.ts`, the transform's input and contract
 * `transform-input.ts` and `transform-contract.ts`, the buffers `partition-buffers.ts`, the error output
 * `error-records.ts`, objects `s3-objects.ts` and `parquet.ts`.
 */
import type { KinesisClient, _Record } from '@aws-sdk/client-kinesis';
import type { FirehoseTransformationEvent, FirehoseTransformationEventRecord, FirehoseTransformationResult } from 'aws-lambda';
import { ARCHIVE_DATA_PREFIX } from '../../../functions/shared/firehose-prefixes';
import { ShardPoller } from '../shard-poller';
import { errorRecordLines } from './error-records';
import { PartitionBuffers } from './partition-buffers';
import type { PartitionBuffer } from './partition-buffers';
import type { ErrorRecord } from './error-records';
import { renderPrefix } from './prefixes';
import { contractViolation } from './transform-contract';
import { transformInput } from './transform-input';
import type { CheckpointFile } from '../checkpoints';
import type { StreamInfo } from '../stream';
import { gzipRecords, objectKey, putObject } from './s3-objects';
import type { ParquetWriter } from './parquet';
import type { ArchiveFormat } from '../../../stacks/config';

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
  readonly invoke?: (
    event: FirehoseTransformationEvent,
    next: (e: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>,
  ) => Promise<FirehoseTransformationResult>;
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

export class LocalDeliveryStream {
  readonly stats: DeliveryStats = {
    recordsIn: 0,
    ok: 0,
    dropped: 0,
    processingFailed: 0,
    invocations: 0,
    invocationFailures: 0,
    dataObjects: 0,
    errorObjects: 0,
    bytesWritten: 0,
    writeFailures: 0,
  };
  /** The last error of a failed write, for the report. */
  lastWriteError: string | undefined;

  /**
   * Records accepted (Ok, or failed to the error output) that are not in any written object yet. After a
   * drain this is 0 unless object writes failed; the archive path holds only then.
   */
  get unwrittenRecords(): number {
    let n = this.errors.length;
    n += this.buffers.rowCount;
    return n;
  }
  /**
   * Records by the outcome of their first delivery (a record delivered again is not counted again): the
   * archive path's conservation. Memory stays bounded: a per-shard watermark, and the current batch's ids.
   */
  readonly outcomes = { ok: 0, failed: 0, dropped: 0 };
  private readonly countedUpTo = new Map<string, bigint>();
  private readonly buffers = new PartitionBuffers();
  private readonly errors: ErrorRecord[] = [];
  private readonly poller: ShardPoller;
  private invocationCounter = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  /** Last sequence number read per shard, whose records are buffered but maybe not written. */
  private readonly lastRead = new Map<string, string>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly o: DeliveryStreamOptions) {
    this.poller = new ShardPoller(o, o.recordsPerInvocation ?? 500, async (shardId, records) => {
      await this.process(shardId, records);
      this.lastRead.set(shardId, records[records.length - 1]!.SequenceNumber!);
      await this.flushExpired();
    });
  }

  start(): void {
    this.poller.start();
    this.flushTimer = setInterval(() => void this.flushExpired(), Math.min(1000, this.o.bufferIntervalMs));
  }

  /** Reads every shard to its tip, then writes every buffer. */
  async drain(): Promise<void> {
    await this.poller.drain();
    await this.flushAll();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.flushAll();
  }

  private async process(shardId: string, records: _Record[]): Promise<void> {
    const input = transformInput(shardId, records);
    this.stats.recordsIn += input.length;
    // A recordId is a position that only grows in a shard.
    const upTo = this.countedUpTo.get(shardId) ?? -1n;
    // Per call, never shared: shards are processed side by side.
    const uncounted = new Set(input.filter((r) => BigInt(r.recordId) > upTo).map((r) => r.recordId));
    if (input.length > 0)
      this.countedUpTo.set(
        shardId,
        [...input].reduce((m, r) => (BigInt(r.recordId) > m ? BigInt(r.recordId) : m), upTo),
      );
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
  private accept(
    records: FirehoseTransformationEventRecord[],
    result: FirehoseTransformationResult,
    attempts: number,
    uncounted: Set<string>,
  ): void {
    const byId = new Map(records.map((r) => [r.recordId, r]));
    for (const answer of result.records) {
      const input = byId.get(answer.recordId)!;
      if (answer.result === 'Dropped') {
        this.stats.dropped += 1;
        if (uncounted.delete(answer.recordId)) this.outcomes.dropped += 1;
        continue;
      }
      if (answer.result === 'ProcessingFailed') {
        this.fail(
          input,
          'Lambda.ProcessingFailed',
          'The transform answered ProcessingFailed; its log has the reason by recordId and payloadSha',
          attempts,
          uncounted,
        );
        continue;
      }
      const keys = answer.metadata?.partitionKeys;
      if (!keys || typeof keys['dt'] !== 'string' || typeof keys['hour'] !== 'string') {
        this.fail(
          input,
          'DynamicPartitioning.MetadataExtractionFailed',
          'Ok record without the dt and hour partition keys',
          attempts,
          uncounted,
        );
        continue;
      }
      this.stats.ok += 1;
      if (uncounted.delete(answer.recordId)) this.outcomes.ok += 1;
      const prefix = renderPrefix(ARCHIVE_DATA_PREFIX, { partitionKeys: keys, arrival: new Date(input.approximateArrivalTimestamp) });
      const row = Buffer.from(answer.data!, 'base64');
      this.buffers.add(prefix, row, Date.now());
    }
  }

  private fail(
    r: FirehoseTransformationEventRecord,
    errorCode: string,
    errorMessage: string,
    attempts: number,
    uncounted: Set<string>,
  ): void {
    this.stats.processingFailed += 1;
    if (uncounted.delete(r.recordId)) this.outcomes.failed += 1;
    this.errors.push({ rawData: r.data, arrivalMs: r.approximateArrivalTimestamp, errorCode, errorMessage, attempts });
  }

  /** Writes full buffers; when the oldest buffer is due, writes everything and checkpoints. Never throws. */
  private async flushExpired(): Promise<void> {
    const now = Date.now();
    let due = false;
    for (const b of this.buffers.all()) {
      if (now - b.openedAt >= this.o.bufferIntervalMs) due = true;
      else if (b.bytes >= this.o.bufferBytes) await this.writeBuffer(b).catch((err: unknown) => this.failedWrite(err));
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
      const buffers = this.buffers.all();
      try {
        for (const b of buffers) await this.writeBuffer(b);
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
  private async writeBuffer(b: PartitionBuffer): Promise<void> {
    this.buffers.take(b);
    if (b.rows.length === 0) return;
    try {
      await this.writeRows(b);
    } catch (err) {
      this.buffers.putBack(b);
      throw err;
    }
  }

  private async writeRows(b: PartitionBuffer): Promise<void> {
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
    putObject(this.o.bucketDir, objectKey(b.prefix, this.o.name, now, extension), body);
    this.stats.dataObjects += 1;
    this.stats.bytesWritten += body.length;
  }

  /** Error records under the error prefix, gzip-compressed like the data; kept for the next flush when a write fails. */
  private writeErrors(): void {
    const now = new Date();
    const pending = this.errors.splice(0);
    try {
      for (const [prefix, lines] of errorRecordLines(pending, this.o.transformArn, now)) {
        const body = gzipRecords(lines);
        putObject(this.o.bucketDir, objectKey(prefix, this.o.name, now, '.gz'), body);
        this.stats.errorObjects += 1;
        this.stats.bytesWritten += body.length;
      }
    } catch (err) {
      // An object already written may then be written again (at least once).
      this.errors.unshift(...pending);
      throw err;
    }
  }
}
