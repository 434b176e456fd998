/** Creating and describing the stream on the local Kinesis. */
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceInUseException,
} from '@aws-sdk/client-kinesis';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { CheckpointFile } from './checkpoints';

export interface StreamInfo {
  readonly name: string;
  readonly arn: string;
  readonly shardIds: readonly string[];
}

/** An iterator after a consumer's checkpoint, or at the trim horizon when it has none. */
export async function shardIterator(
  client: KinesisClient,
  streamName: string,
  shardId: string,
  after: string | undefined,
): Promise<string | undefined> {
  const out = await client.send(
    new GetShardIteratorCommand({
      StreamName: streamName,
      ShardId: shardId,
      ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
    }),
  );
  return out.ShardIterator;
}

/** Records on every shard after a consumer's checkpoints (all of them without checkpoints), up to the stream's end now. */
export async function countRecords(client: KinesisClient, stream: StreamInfo, after?: CheckpointFile): Promise<number> {
  let count = 0;
  for (const shardId of stream.shardIds) {
    let iterator = await shardIterator(client, stream.name, shardId, after?.get(shardId));
    while (iterator) {
      // GetRecords returns at most 10,000 records per call.
      const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      const n = out.Records?.length ?? 0;
      count += n;
      if (n === 0 && (out.MillisBehindLatest ?? 0) === 0) break;
      iterator = out.NextShardIterator;
    }
  }
  return count;
}

/** Creates the stream unless it exists, waits until it is active, and lists its shards. */
export async function ensureStream(client: KinesisClient, name: string, shards: number): Promise<StreamInfo> {
  try {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const out = await client.send(new DescribeStreamCommand({ StreamName: name }));
    const d = out.StreamDescription;
    if (d?.StreamStatus === 'ACTIVE') {
      return {
        name,
        arn: d.StreamARN ?? `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`,
        shardIds: (d.Shards ?? []).map((s) => s.ShardId!),
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`stream ${name} did not become ACTIVE`);
}
