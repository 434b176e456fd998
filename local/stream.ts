/** Creating and describing the stream on the local Kinesis. */
import { CreateStreamCommand, DescribeStreamCommand, GetShardIteratorCommand, ResourceInUseException } from '@aws-sdk/client-kinesis';
import type { KinesisClient } from '@aws-sdk/client-kinesis';

export interface StreamInfo {
  readonly name: string;
  readonly arn: string;
  readonly shardIds: readonly string[];
}

/** An iterator after a consumer's checkpoint, or at the trim horizon when it has none. */
export async function shardIterator(client: KinesisClient, streamName: string, shardId: string, after: string | undefined): Promise<string | undefined> {
  const out = await client.send(
    new GetShardIteratorCommand({
      StreamName: streamName,
      ShardId: shardId,
      ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
    }),
  );
  return out.ShardIterator;
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
      return { name, arn: d.StreamARN ?? `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`, shardIds: (d.Shards ?? []).map((s) => s.ShardId!) };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`stream ${name} did not become ACTIVE`);
}
