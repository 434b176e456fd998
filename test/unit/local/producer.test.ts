import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { KINESIS_RECORD_MAX_BYTES, PUT_RECORDS_MAX_BYTES, PUT_RECORDS_MAX_RECORDS } from '../../../local/limits';
import { batches, putAll } from '../../../local/producer/producer';
import type { ProduceRecord } from '../../../local/producer/producer';

const kinesis = mockClient(KinesisClient);
afterEach(() => kinesis.reset());

const rec = (key: string, bytes: number): ProduceRecord => ({ partitionKey: key, data: Buffer.alloc(bytes, 0x61) });

async function all<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of source) out.push(x);
  return out;
}

describe('batches', () => {
  it('keeps every request within 500 records and 5 MiB, partition keys included', async () => {
    const records = [
      ...Array.from({ length: 1200 }, (_, i) => rec(`k${i}`, 100)),
      ...Array.from({ length: 12 }, (_, i) => rec(`big${i}`, KINESIS_RECORD_MAX_BYTES - 10)),
    ];
    const out = await all(batches(records));
    expect(out.flat()).toEqual(records);
    for (const b of out) {
      expect(b.length).toBeLessThanOrEqual(PUT_RECORDS_MAX_RECORDS);
      expect(b.reduce((n, r) => n + r.data.length + r.partitionKey.length, 0)).toBeLessThanOrEqual(PUT_RECORDS_MAX_BYTES);
    }
  });

  it('refuses a record over the Kinesis limit with an error instead of looping forever', async () => {
    await expect(all(batches([rec('a', 10), rec('huge', 6 * 1024 * 1024)]))).rejects.toThrow(RangeError);
    await expect(all(batches([rec('huge', KINESIS_RECORD_MAX_BYTES)]))).rejects.toThrow(/over the Kinesis limit of 1048576 bytes/);
  });
});

describe('putAll', () => {
  it('reads its input lazily, at most one request ahead of what it has put', async () => {
    let yielded = 0;
    const seenAtCalls: number[] = [];
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => {
      seenAtCalls.push(yielded);
      return { Records: input.Records!.map((_, i) => ({ SequenceNumber: String(i), ShardId: 's' })) };
    });
    const source = (async function* () {
      for (let i = 0; i < 2000; i += 1) {
        yielded += 1;
        yield await Promise.resolve(rec(`k${i % 7}`, 50));
      }
    })();
    const result = await putAll(new KinesisClient({}), 's', source);
    expect(result.put).toBe(2000);
    // The first request goes out after 501 records were read (the 501st opens the next request).
    expect(seenAtCalls).toEqual([501, 1001, 1501, 2000]);
  });

  it("keeps a partition key's order when a record is throttled: it and the key's later records go again", async () => {
    let call = 0;
    const sent: string[][] = [];
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => {
      call += 1;
      sent.push(input.Records!.map((r) => Buffer.from(r.Data!).toString()));
      return {
        Records: input.Records!.map((_, i) =>
          call === 1 && i === 0
            ? { ErrorCode: 'ProvisionedThroughputExceededException' }
            : { SequenceNumber: `${call}-${i}`, ShardId: 's' },
        ),
      };
    });
    const records = [
      ['u1', 'a1'],
      ['u2', 'b1'],
      ['u1', 'a2'],
    ].map(([key, data]) => ({ partitionKey: key!, data: Buffer.from(data!) }));
    const result = await putAll(new KinesisClient({}), 's', records);
    expect(sent).toEqual([
      ['a1', 'b1', 'a2'],
      ['a1', 'a2'],
    ]);
    expect(result).toMatchObject({ put: 3, retried: 2, extraCopies: 1, calls: 2 });
  });
});
