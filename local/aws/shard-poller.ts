/**
 * The polling both local consumers of the stream share (the model of Lambda's event source mapping and the
 * model of Firehose): one loop per shard, from the consumer's checkpoint, GetRecords until the shard's tip,
 * a pause when a shard is idle.
 */
import { GetRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisClient, _Record } from '@aws-sdk/client-kinesis';
import type { CheckpointFile } from './checkpoints';
import { shardIterator } from './stream';
import type { StreamInfo } from './stream';

/** The stream a consumer reads and where it stands (a consumer's own options fit). */
export interface ShardSource {
  readonly client: KinesisClient;
  readonly stream: StreamInfo;
  /** Where each shard's reading starts: after its checkpoint, else at the trim horizon. */
  readonly checkpoints: CheckpointFile;
  /** Pause between polls of an empty shard. */
  readonly idlePollMs?: number;
}

/** Handles the records of one GetRecords; the shard's next poll waits for it. */
export type OnRecords = (shardId: string, records: _Record[]) => Promise<void>;

export class ShardPoller {
  private stopping = false;
  private draining = false;
  private loops: Promise<void>[] = [];

  /** `limit` is GetRecords' Limit; `onPoll` is called on every GetRecords, for the request counts. */
  constructor(
    private readonly source: ShardSource,
    private readonly limit: number,
    private readonly onRecords: OnRecords,
    private readonly onPoll?: () => void,
  ) {}

  /** Starts one polling loop per shard. */
  start(): void {
    this.loops = this.source.stream.shardIds.map((shardId) => this.poll(shardId));
  }

  /** Resolves once every shard has been read to its tip after this call; polling then ends. */
  async drain(): Promise<void> {
    this.draining = true;
    await Promise.all(this.loops);
  }

  /** Stops polling after the records in hand. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  private async poll(shardId: string): Promise<void> {
    const { client, stream, checkpoints } = this.source;
    let iterator = await shardIterator(client, stream.name, shardId, checkpoints.get(shardId));
    while (iterator && !this.stopping) {
      // Only an empty answer to a request sent after drain() was called shows the tip: one sent before may
      // have missed records put since.
      const draining = this.draining;
      const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.limit }));
      this.onPoll?.();
      iterator = out.NextShardIterator;
      const records = out.Records ?? [];
      if (records.length > 0) {
        await this.onRecords(shardId, records);
        continue;
      }
      if (draining && (out.MillisBehindLatest ?? 0) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, this.source.idlePollMs ?? 100));
    }
  }
}
