/**
 * A model of Lambda's Kinesis event source mapping: polls every shard with GetRecords, invokes the handler
 * with the exact Lambda event, and applies Lambda's rules to the answer:
 * - an empty `batchItemFailures` checkpoints the whole batch;
 * - otherwise it checkpoints below the lowest reported record and retries from it; an identifier that is
 *   not in the batch fails the whole batch;
 * - a thrown error retries the batch, split in two when `bisectBatchOnError` is on;
 * - retries are bounded by `retryAttempts`, records by `maxRecordAgeSeconds`; what exhausts them goes whole
 *   to the on-failure destination (a folder standing in for the S3 destination) and is checkpointed past.
 * Retry counting restarts when a retry makes progress (the lowest failure moved forward).
 */
import type { KinesisClient, _Record } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { CheckpointFile } from './checkpoints';
import type { FailureDestination } from './failure-destination';
import { ShardPoller } from './shard-poller';
import type { StreamInfo } from './stream';

export interface EventSourceOptions {
  readonly functionName: string;
  readonly client: KinesisClient;
  readonly stream: StreamInfo;
  readonly handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>;
  readonly checkpoints: CheckpointFile;
  readonly onFailure: FailureDestination;
  readonly batchSize?: number;
  readonly retryAttempts?: number;
  readonly maxRecordAgeSeconds?: number;
  readonly bisectBatchOnError?: boolean;
  /** Pause between polls of an empty shard. */
  readonly idlePollMs?: number;
  readonly region?: string;
  /** Wraps each invocation, for fault injection. */
  readonly invoke?: (
    event: KinesisStreamEvent,
    next: (e: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>,
  ) => Promise<KinesisStreamBatchResponse | void>;
}

/** What the mapping did, summed over shards. */
export interface EventSourceStats {
  invocations: number;
  recordsDelivered: number;
  functionErrors: number;
  partialFailures: number;
  /** Batches delivered again after a failure. */
  retries: number;
  recordsToFailureDestination: number;
  getRecordsCalls: number;
}

export class KinesisEventSource {
  readonly stats: EventSourceStats = {
    invocations: 0,
    recordsDelivered: 0,
    functionErrors: 0,
    partialFailures: 0,
    retries: 0,
    recordsToFailureDestination: 0,
    getRecordsCalls: 0,
  };
  private readonly poller: ShardPoller;

  constructor(private readonly o: EventSourceOptions) {
    const onRecords = (shardId: string, records: _Record[]) =>
      this.deliver(
        shardId,
        records.map((r) => this.toLambdaRecord(shardId, r)),
      );
    this.poller = new ShardPoller(o, o.batchSize ?? 100, onRecords, () => {
      this.stats.getRecordsCalls += 1;
    });
  }

  /** Starts one polling loop per shard. */
  start(): void {
    this.poller.start();
  }

  /** Resolves once every shard has been read to its tip after this call, then stops polling. */
  drain(): Promise<void> {
    return this.poller.drain();
  }

  /** Stops polling after the batches in flight. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Delivers one batch until every record is checkpointed or sent to the failure destination. */
  private async deliver(shardId: string, batch: KinesisStreamRecord[]): Promise<void> {
    let pending = batch;
    let attempts = 0;
    while (pending.length > 0) {
      pending = await this.dropExpired(shardId, pending);
      if (pending.length === 0) return;
      if (attempts > 0) this.stats.retries += 1;
      attempts += 1;
      let response: KinesisStreamBatchResponse | void;
      try {
        response = await this.invoke(pending);
      } catch (err) {
        this.stats.functionErrors += 1;
        if (attempts > (this.o.retryAttempts ?? 10)) {
          await this.toFailureDestination(shardId, pending, 'RetryAttemptsExhausted', err);
          return;
        }
        if ((this.o.bisectBatchOnError ?? true) && pending.length > 1) {
          const half = Math.ceil(pending.length / 2);
          await this.deliver(shardId, pending.slice(0, half));
          pending = pending.slice(half);
          attempts = 0;
        }
        continue;
      }
      const failedAt = lowestFailure(pending, response);
      if (failedAt === undefined) {
        this.o.checkpoints.set(shardId, pending[pending.length - 1]!.kinesis.sequenceNumber);
        return;
      }
      this.stats.partialFailures += 1;
      if (failedAt > 0) {
        this.o.checkpoints.set(shardId, pending[failedAt - 1]!.kinesis.sequenceNumber);
        pending = pending.slice(failedAt);
        attempts = 0;
      } else if (attempts > (this.o.retryAttempts ?? 10)) {
        await this.toFailureDestination(shardId, pending, 'RetryAttemptsExhausted', undefined);
        return;
      }
    }
  }

  private async invoke(records: KinesisStreamRecord[]): Promise<KinesisStreamBatchResponse | void> {
    this.stats.invocations += 1;
    this.stats.recordsDelivered += records.length;
    const event: KinesisStreamEvent = { Records: records };
    return this.o.invoke ? this.o.invoke(event, this.o.handler) : this.o.handler(event);
  }

  /** Records older than the maximum record age go to the failure destination, as Lambda discards them. */
  private async dropExpired(shardId: string, records: KinesisStreamRecord[]): Promise<KinesisStreamRecord[]> {
    const maxAge = this.o.maxRecordAgeSeconds;
    if (maxAge === undefined) return records;
    const cutoff = Date.now() / 1000 - maxAge;
    const expired = records.filter((r) => r.kinesis.approximateArrivalTimestamp < cutoff);
    if (expired.length === 0) return records;
    await this.toFailureDestination(shardId, expired, 'RecordAgeExceeded', undefined);
    return records.filter((r) => r.kinesis.approximateArrivalTimestamp >= cutoff);
  }

  private async toFailureDestination(shardId: string, records: KinesisStreamRecord[], condition: string, err: unknown): Promise<void> {
    this.stats.recordsToFailureDestination += records.length;
    await this.o.onFailure.write({
      functionName: this.o.functionName,
      streamArn: this.o.stream.arn,
      shardId,
      condition,
      records,
      error: err,
    });
    this.o.checkpoints.set(shardId, records[records.length - 1]!.kinesis.sequenceNumber);
  }

  private toLambdaRecord(shardId: string, r: _Record): KinesisStreamRecord {
    const seq = r.SequenceNumber!;
    return {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.PartitionKey!,
        sequenceNumber: seq,
        data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
        approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${seq}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: `arn:aws:iam::000000000000:role/${this.o.functionName}`,
      awsRegion: this.o.region ?? 'us-east-1',
      eventSourceARN: this.o.stream.arn,
    };
  }
}

/**
 * Index of the lowest reported record, or undefined when none is reported. A missing, empty or unknown
 * identifier fails the whole batch, as Lambda does.
 */
export function lowestFailure(records: readonly KinesisStreamRecord[], response: KinesisStreamBatchResponse | void): number | undefined {
  const failures = response?.batchItemFailures;
  if (!failures || failures.length === 0) return undefined;
  let lowest = records.length;
  for (const f of failures) {
    const id = f?.itemIdentifier;
    const index = typeof id === 'string' && id !== '' ? records.findIndex((r) => r.kinesis.sequenceNumber === id) : -1;
    if (index < 0) return 0;
    if (index < lowest) lowest = index;
  }
  return lowest;
}
