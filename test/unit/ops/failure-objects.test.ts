/** The failure stores' objects, read record by record and rewritten with a subset, in their own formats. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { unpackRecord } from '../../../functions/shared/kinesis-records';
import { aggregate } from '../../../local/producer/kpl-aggregate';
import { readErrorOutput, readFailedBatch, userIdOf } from '../../../local/ops/failure-objects';
import { recordMatches } from '../../../local/ops/forget';
import { T0, kinesisRecord, producerEvent } from '../../helpers/events';

const payload = (userId: unknown, n = 0) => Buffer.from(JSON.stringify(producerEvent({ userId, eventName: `e${n}` })));

function errorLine(data: Buffer, arrivalMs: number): string {
  return JSON.stringify({
    attemptsMade: 4,
    arrivalTimestamp: arrivalMs,
    errorCode: 'Lambda.ProcessingFailed',
    errorMessage: 'failed',
    attemptEndingTimestamp: arrivalMs + 5000,
    rawData: data.toString('base64'),
    lambdaArn: 'arn:aws:lambda:us-east-1:000000000000:function:t',
  });
}

describe("Firehose's error output", () => {
  const lines = [
    errorLine(payload('alice', 1), T0),
    errorLine(payload('bob', 2), T0 + 1),
    errorLine(Buffer.from('{"userId":"alice",'), T0 + 2),
  ];
  const body = gzipSync(lines.map((l) => `${l}\n`).join(''));

  it('gives each record its bytes, arrival and error code', () => {
    const o = readErrorOutput(body);
    expect(o.records.map((r) => [userIdOf(r), r.arrivalMs, r.errorCode])).toEqual([
      ['alice', T0, 'Lambda.ProcessingFailed'],
      ['bob', T0 + 1, 'Lambda.ProcessingFailed'],
      [undefined, T0 + 2, 'Lambda.ProcessingFailed'],
    ]);
    expect(o.records[0]!.payload).toEqual(payload('alice', 1));
  });

  it('rewrites the kept lines unchanged, gzip-compressed as before, and gives nothing when none is kept', () => {
    const o = readErrorOutput(body);
    const raw = new Set(['alice']);
    const kept = o.keeping((r) => !recordMatches(r, raw, raw));
    // The broken record names alice in its text: erasing it is the safer error.
    expect(gunzipSync(kept!).toString()).toBe(`${lines[1]}\n`);
    expect(o.keeping(() => false)).toBeUndefined();
    const plain = readErrorOutput(Buffer.from(`${lines[0]}\n`));
    expect(plain.keeping(() => true)!.toString()).toBe(`${lines[0]}\n`);
  });
});

describe("the on-failure destination's invocation record", () => {
  const packed = aggregate([
    { partitionKey: 'alice', data: payload('alice', 3) },
    { partitionKey: 'bob', data: payload('bob', 4) },
    { partitionKey: 'carol', data: payload('carol', 5) },
  ]);
  expect(packed).toHaveLength(1);
  const aggregated = kinesisRecord({}, { index: 1, partitionKey: packed[0]!.partitionKey, arrivalMs: T0 + 1000 });
  const records = [
    kinesisRecord(producerEvent({ userId: 'alice' }), { index: 0, partitionKey: 'alice', arrivalMs: T0 }),
    { ...aggregated, kinesis: { ...aggregated.kinesis, data: packed[0]!.data.toString('base64') } },
    kinesisRecord(producerEvent({ userId: 'dave' }), { index: 2, partitionKey: 'dave', arrivalMs: T0 + 2000 }),
  ];
  const doc = {
    version: '1.0',
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
    responseContext: { functionError: 'Unhandled' },
    KinesisBatchInfo: { shardId: 'shardId-000000000000', batchSize: 3 },
    payload: { Records: records },
  };
  const body = Buffer.from(JSON.stringify(doc));

  it('gives the user records of plain and aggregated Kinesis records, with their partition keys and arrival', () => {
    const o = readFailedBatch(body);
    expect(o.records.map((r) => [userIdOf(r), r.partitionKey, r.arrivalMs])).toEqual([
      ['alice', 'alice', T0],
      ['alice', 'alice', T0 + 1000],
      ['bob', 'bob', T0 + 1000],
      ['carol', 'carol', T0 + 1000],
      ['dave', 'dave', T0 + 2000],
    ]);
    expect(o.records[0]!.errorCode).toBe('RetryAttemptsExhausted: Unhandled');
  });

  it("leaves out a user's plain record, re-aggregates what is left of an aggregate, and keeps the rest whole", () => {
    const o = readFailedBatch(body);
    const rewritten = JSON.parse(o.keeping((r) => userIdOf(r) !== 'alice')!.toString()) as typeof doc;
    expect(rewritten.payload.Records).toHaveLength(2);
    expect(rewritten.KinesisBatchInfo.batchSize).toBe(2);
    expect(rewritten.requestContext).toEqual(doc.requestContext);
    const inner = unpackRecord(rewritten.payload.Records[0]!.kinesis);
    expect(inner.ok && inner.records.map((u) => [u.partitionKey, u.payload.toString()])).toEqual([
      ['bob', payload('bob', 4).toString()],
      ['carol', payload('carol', 5).toString()],
    ]);
    expect(rewritten.payload.Records[1]).toEqual(records[2]);
    expect(
      readFailedBatch(body)
        .keeping(() => true)!
        .toString(),
    ).toBe(JSON.stringify(doc));
    expect(o.keeping(() => false)).toBeUndefined();
  });
});

describe('matching a kept record to a user', () => {
  const rec = (text: string) => ({ payload: Buffer.from(text), partitionKey: undefined, arrivalMs: 0, errorCode: '' });
  it('reads userId (a producer record) or user_id (a transformed row), raw or stored', () => {
    const raw = new Set(['alice']);
    const stored = new Set(['a1b2']);
    expect(recordMatches(rec('{"userId":"alice"}'), raw, stored)).toBe(true);
    expect(recordMatches(rec('{"user_id":"a1b2"}'), raw, stored)).toBe(true);
    expect(recordMatches(rec('{"userId":"alicia","url":"alice"}'), raw, stored)).toBe(false);
    expect(recordMatches(rec('{"userId":12345}'), raw, stored)).toBe(false);
    expect(recordMatches(rec('not json "alice"'), raw, stored)).toBe(true);
    expect(recordMatches(rec('not json alice'), raw, stored)).toBe(false);
  });
});
