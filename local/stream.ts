/** Creating and describing the stream on the local Kinesis. */
import { CreateStreamCommand, DescribeStreamCommand, ResourceInUseException } from '@aws-sdk/client-kinesis';
import type { KinesisClient } from '@aws-sdk/client-kinesis';

export interface StreamInfo {
  readonly name: string;
  readonly arn: string;
  readonly shardIds: readonly string[];
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
