/** The model of Lambda's Kinesis event source mapping, on kinesalite: checkpoints, retries, bisection, failure destination. */
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { kinesisClient } from '../../local/runtime/aws-clients';
import { CheckpointFile } from '../../local/aws/checkpoints';
import { FolderFailureDestination } from '../../local/aws/failure-destination';
import { KinesisEventSource, lowestFailure } from '../../local/aws/lambda-event-source';
import { putAll } from '../../local/producer/producer';
import { ensureStream } from '../../local/aws/stream';
import type { StreamInfo } from '../../local/aws/stream';
import { useKinesalite } from '../helpers/kinesalite';
import { filesUnder } from '../helpers/data-dir-files';

const kinesalite = useKinesalite('esm-');
const client = () => kinesisClient(kinesalite.emulator().endpoint);
let streamCounter = 0;

async function streamWith(count: number): Promise<StreamInfo> {
  const c = client();
  const stream = await ensureStream(c, `s${++streamCounter}`, 1);
  await putAll(
    c,
    stream.name,
    Array.from({ length: count }, (_, i) => ({ partitionKey: 'k', data: Buffer.from(String(i)) })),
  );
  c.destroy();
  return stream;
}

async function consume(
  stream: StreamInfo,
  handler: (e: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>,
  extra: { batchSize?: number; retryAttempts?: number } = {},
) {
  const c = client();
  const checkpoints = new CheckpointFile(join(kinesalite.dir(), `${stream.name}.json`));
  const source = new KinesisEventSource({
    functionName: 'f',
    client: c,
    stream,
    handler,
    checkpoints,
    onFailure: new FolderFailureDestination(join(kinesalite.dir(), 'failed', stream.name)),
    idlePollMs: 10,
    ...extra,
  });
  source.start();
  await source.drain();
  c.destroy();
  return { source, checkpoint: checkpoints.get(stream.shardIds[0]!) };
}

const values = (e: KinesisStreamEvent) => e.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString());

describe('lowestFailure', () => {
  const records = ['1', '2', '3'].map((s) => ({ kinesis: { sequenceNumber: s } })) as unknown as KinesisStreamEvent['Records'];
  it('finds the lowest reported record, treats an empty list as success and an unknown id as the whole batch', () => {
    expect(lowestFailure(records, { batchItemFailures: [{ itemIdentifier: '3' }, { itemIdentifier: '2' }] })).toBe(1);
    expect(lowestFailure(records, { batchItemFailures: [] })).toBeUndefined();
    expect(lowestFailure(records, undefined)).toBeUndefined();
    expect(lowestFailure(records, { batchItemFailures: [{ itemIdentifier: 'nope' }] })).toBe(0);
    expect(lowestFailure(records, { batchItemFailures: [{ itemIdentifier: '' }] })).toBe(0);
  });
});

describe('KinesisEventSource', () => {
  it('builds the Lambda event and checkpoints the last record', async () => {
    const stream = await streamWith(5);
    const seen: KinesisStreamEvent[] = [];
    const { checkpoint } = await consume(stream, (e) => {
      seen.push(e);
      return Promise.resolve({ batchItemFailures: [] });
    });
    const r = seen[0]!.Records[0]!;
    expect(r).toMatchObject({
      eventSource: 'aws:kinesis',
      eventName: 'aws:kinesis:record',
      eventSourceARN: stream.arn,
      kinesis: { kinesisSchemaVersion: '1.0', partitionKey: 'k' },
    });
    expect(r.eventID).toBe(`${stream.shardIds[0]}:${r.kinesis.sequenceNumber}`);
    expect(typeof r.kinesis.approximateArrivalTimestamp).toBe('number');
    expect(checkpoint).toBe(seen[seen.length - 1]!.Records[4]!.kinesis.sequenceNumber);
  });

  it('retries from the lowest reported record', async () => {
    const stream = await streamWith(6);
    const deliveries: string[][] = [];
    await consume(stream, (e) => {
      deliveries.push(values(e));
      const third = e.Records.find((r) => Buffer.from(r.kinesis.data, 'base64').toString() === '3');
      return Promise.resolve({
        batchItemFailures: deliveries.length === 1 && third ? [{ itemIdentifier: third.kinesis.sequenceNumber }] : [],
      });
    });
    expect(deliveries).toEqual([
      ['0', '1', '2', '3', '4', '5'],
      ['3', '4', '5'],
    ]);
  });

  it('bisects a batch whose invocation throws, and sends a record that always fails to the failure destination', async () => {
    const stream = await streamWith(4);
    const deliveries: string[][] = [];
    const { source } = await consume(
      stream,
      (e) => {
        deliveries.push(values(e));
        return values(e).includes('2') ? Promise.reject(new Error('poison')) : Promise.resolve();
      },
      { retryAttempts: 1 },
    );
    expect(deliveries[1]).toEqual(['0', '1']);
    expect(source.stats.recordsToFailureDestination).toBe(1);
    const root = join(kinesalite.dir(), 'failed', stream.name);
    const keys = filesUnder(root).map((f) => f.split(sep).join('/'));
    expect(keys).toHaveLength(1);
    // Lambda's key: aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>
    expect(keys[0]).toMatch(
      /^aws\/lambda\/[0-9a-f-]{36}\/shardId-\d+\/\d{4}\/\d{2}\/\d{2}\/\d{4}-\d{2}-\d{2}T\d{2}\.\d{2}\.\d{2}-[0-9a-f-]{36}$/,
    );
    const dump = JSON.parse(readFileSync(join(root, keys[0]!), 'utf8')) as {
      requestContext: { condition: string };
      payload: KinesisStreamEvent;
    };
    expect(dump.requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(values(dump.payload)).toEqual(['2']);
  });
});
