import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import type { GetRecordsCommandOutput, _Record } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointFile } from '../../../local/aws/checkpoints';
import { ShardPoller } from '../../../local/aws/shard-poller';

const kinesis = mockClient(KinesisClient);
const dir = mkdtempSync(join(tmpdir(), 'shard-poller-'));
afterAll(() => {
  kinesis.restore();
  rmSync(dir, { recursive: true, force: true });
});

describe('ShardPoller', () => {
  it('does not take an empty answer to a poll sent before drain() for the tip: records put meanwhile are still read', async () => {
    let answerFirstPoll: (out: Partial<GetRecordsCommandOutput>) => void = () => undefined;
    const firstPoll = new Promise<Partial<GetRecordsCommandOutput>>((resolve) => {
      answerFirstPoll = resolve;
    });
    const record: _Record = { SequenceNumber: '1', PartitionKey: 'u', Data: new Uint8Array([123, 125]) };
    kinesis.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-0' });
    kinesis
      .on(GetRecordsCommand)
      .callsFakeOnce(() => firstPoll)
      .resolvesOnce({ Records: [record], NextShardIterator: 'it-2', MillisBehindLatest: 0 })
      .resolves({ Records: [], NextShardIterator: 'it-3', MillisBehindLatest: 0 });
    const read: string[] = [];
    const source = {
      client: new KinesisClient({ region: 'us-east-1' }),
      stream: { name: 's', arn: 'arn', shardIds: ['shardId-0'] },
      checkpoints: new CheckpointFile(join(dir, 'c.json')),
      idlePollMs: 1,
    };
    const poller = new ShardPoller(source, 10, (_shard, records) => {
      read.push(...records.map((r) => r.SequenceNumber!));
      return Promise.resolve();
    });
    poller.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const drained = poller.drain();
    // The poll sent before drain() answers empty at the tip of its time: the record put since must still be read.
    answerFirstPoll({ Records: [], NextShardIterator: 'it-1', MillisBehindLatest: 0 });
    await drained;
    expect(read).toEqual(['1']);
  });
});
