import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { failedBatchKey } from '../../../local/aws/failure-destination';
import { readErrorOutput, readFailedBatch } from '../../../local/ops/failure-objects';
import { FolderObjectStore } from '../../../local/ops/object-store';
import { redrive, stillRefused } from '../../../local/ops/redrive';
import type { RedriveRecord, RedriveSettings } from '../../../local/ops/redrive';
import { onFailureSource, processingFailedSource } from '../../../local/ops/redrive-sources';
import { aggregate } from '../../../local/producer/kpl-aggregate';
import { MINUTE, T0, kinesisRecord, producerEvent } from '../../helpers/events';
import { filesUnder, hashedListing } from '../../helpers/data-dir-files';

const HOUR = 60 * MINUTE;
const BOUNDS = { maxAgeMs: 72 * HOUR, maxFutureMs: 5 * MINUTE };
const SETTINGS: RedriveSettings = { bounds: BOUNDS, nowMs: T0 + HOUR, range: {}, dryRun: false };
const DAY = new Date(T0).toISOString().slice(0, 10);

let root: string;
let archive: FolderObjectStore;
let failed: FolderObjectStore;
let put: RedriveRecord[];
const putBack = (records: readonly RedriveRecord[]) => {
  put.push(...records);
  return Promise.resolve();
};
const sources = () => [processingFailedSource(archive), onFailureSource(failed)];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'redrive-'));
  archive = new FolderObjectStore(join(root, 'archive'));
  failed = new FolderObjectStore(join(root, 'failed'));
  put = [];
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A producer event's bytes, at `timestampMs`. */
function payload(overrides: Record<string, unknown>, timestampMs = T0): Buffer {
  return Buffer.from(JSON.stringify(producerEvent({ timestamp: new Date(timestampMs).toISOString(), ...overrides })));
}

/** Firehose's processing-failed output: one gzip NDJSON object of error records, dated by its oldest arrival. */
async function errorObject(records: ReadonlyArray<{ data: Buffer; arrivalMs: number }>, name = 'a.gz'): Promise<string> {
  const dt = new Date(Math.min(...records.map((r) => r.arrivalMs))).toISOString().slice(0, 10);
  const key = `errors/processing-failed/dt=${dt}/clickstream-archive-1-${name}`;
  const lines = records.map((r) =>
    JSON.stringify({
      attemptsMade: 1,
      arrivalTimestamp: r.arrivalMs,
      errorCode: 'Lambda.ProcessingFailed',
      errorMessage: 'The transform answered ProcessingFailed',
      rawData: r.data.toString('base64'),
      lambdaArn: 'arn:aws:lambda:us-east-1:000000000000:function:firehose-transform',
    }),
  );
  await archive.put(key, gzipSync(`${lines.join('\n')}\n`));
  return key;
}

/** The on-failure destination's invocation record of a batch of Kinesis records, written when it failed (`at`). */
async function failedBatch(records: ReturnType<typeof kinesisRecord>[], at = new Date(T0 + 2 * HOUR)): Promise<string> {
  const key = failedBatchKey('4f5e6d7c-0000-4000-8000-000000000001', 'shardId-000000000000', at);
  const body = {
    version: '1.0',
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 11 },
    responseContext: { functionError: 'Error: boom' },
    KinesisBatchInfo: { shardId: 'shardId-000000000000', batchSize: records.length },
    payload: { Records: records },
  };
  await failed.put(key, Buffer.from(JSON.stringify(body)));
  return key;
}

const text = (records: readonly RedriveRecord[]) => records.map((r) => `${r.partitionKey} ${r.data.toString('utf8')}`);

describe('redrive', () => {
  it("puts back each record today's validation accepts, with its own bytes, keyed by the kept partition key or else its userId", async () => {
    const fromFirehose = payload({ userId: 'u-firehose' });
    const fromBatch = payload({ userId: 'u-batch' });
    await errorObject([{ data: fromFirehose, arrivalMs: T0 + MINUTE }]);
    await failedBatch([kinesisRecord(fromBatch, { index: 0, partitionKey: 'kept-key', arrivalMs: T0 + MINUTE })]);

    const [errors, batches] = await redrive(sources(), SETTINGS, putBack);

    expect(put.map((r) => [r.partitionKey, r.data])).toEqual([
      ['u-firehose', fromFirehose],
      ['kept-key', fromBatch],
    ]);
    expect(errors).toMatchObject({ objectsRead: 1, recordsRead: 1, put: 1, objectsMoved: 1, objectsSplit: 0 });
    expect(batches).toMatchObject({ objectsRead: 1, recordsRead: 1, put: 1, objectsMoved: 1, objectsSplit: 0 });
  });

  it('leaves refused records with the reason the contract names, an event too old at its arrival among them, and counts those too old now apart', async () => {
    await errorObject([
      { data: Buffer.from('{"userId":'), arrivalMs: T0 },
      { data: payload({ eventType: 'hover' }), arrivalMs: T0 },
      // Valid for its arrival once, as when it failed: too old then, too old still.
      { data: payload({ userId: 'old-then' }, T0 - 80 * HOUR), arrivalMs: T0 },
      // Ten minutes old when it arrived, 73 hours old now: the functions would refuse it again.
      { data: payload({ userId: 'old-now' }, T0 - 72 * HOUR - 10 * MINUTE), arrivalMs: T0 - 72 * HOUR },
      { data: payload({ userId: 'fine' }), arrivalMs: T0 },
    ]);

    const [errors] = await redrive(sources(), SETTINGS, putBack);

    expect(text(put)).toEqual([`fine ${payload({ userId: 'fine' }).toString('utf8')}`]);
    expect(errors!.refusedByReason).toEqual({ malformed_json: 1, invalid_value: 1, timestamp_too_old: 1 });
    expect(stillRefused(errors!)).toBe(3);
    expect(errors!.tooOldNow).toBe(1);
    expect(errors!.objectsSplit).toBe(1);
  });

  it('moves what it put to redriven/<key> in the same format, rewrites the object with the rest, and deletes an object left empty', async () => {
    const good = payload({ userId: 'good' });
    const bad = Buffer.from('not json');
    const split = await errorObject(
      [
        { data: good, arrivalMs: T0 },
        { data: bad, arrivalMs: T0 },
      ],
      'split.gz',
    );
    const whole = await failedBatch([kinesisRecord(payload({ userId: 'w' }), { index: 0, partitionKey: 'w', arrivalMs: T0 })]);

    await redrive(sources(), SETTINGS, putBack);

    const moved = readErrorOutput(readFileSync(join(root, 'archive', 'redriven', split)));
    expect(moved.records.map((r) => r.payload)).toEqual([good]);
    expect(gunzipSync(readFileSync(join(root, 'archive', split))).toString('utf8')).toContain(bad.toString('base64'));
    expect(readErrorOutput(readFileSync(join(root, 'archive', split))).records.map((r) => r.payload)).toEqual([bad]);
    expect(existsSync(join(root, 'failed', whole))).toBe(false);
    expect(readFailedBatch(readFileSync(join(root, 'failed', 'redriven', whole))).records.map((r) => r.partitionKey)).toEqual(['w']);
  });

  it("puts a KPL aggregate's user records one by one with their own bytes and keys, and re-aggregates the ones that stay", async () => {
    const users = [payload({ userId: 'k1' }), Buffer.from('{"broken":'), payload({ userId: 'k3' })];
    const [packed] = aggregate(users.map((data, i) => ({ partitionKey: `pk-${i}`, data })));
    const key = await failedBatch([kinesisRecord(packed!.data, { index: 0, partitionKey: 'pk-0', arrivalMs: T0 })]);

    const [, batches] = await redrive(sources(), SETTINGS, putBack);

    expect(put.map((r) => [r.partitionKey, r.data])).toEqual([
      ['pk-0', users[0]],
      ['pk-2', users[2]],
    ]);
    expect(batches!.refusedByReason).toEqual({ malformed_json: 1 });
    const left = readFailedBatch(readFileSync(join(root, 'failed', key)));
    expect(left.records.map((r) => [r.partitionKey, r.payload])).toEqual([['pk-1', users[1]]]);
    const moved = readFailedBatch(readFileSync(join(root, 'failed', 'redriven', key)));
    expect(moved.records.map((r) => r.payload)).toEqual([users[0], users[2]]);
  });

  it('puts nothing, and changes no file, a second time', async () => {
    await errorObject([
      { data: payload({ userId: 'a' }), arrivalMs: T0 },
      { data: Buffer.from('nope'), arrivalMs: T0 },
    ]);
    await failedBatch([kinesisRecord(payload({ userId: 'b' }), { index: 0, arrivalMs: T0 })]);
    await redrive(sources(), SETTINGS, putBack);
    const after = hashedListing(root);

    put = [];
    const [errors, batches] = await redrive(sources(), SETTINGS, putBack);

    expect(put).toEqual([]);
    expect(errors).toMatchObject({ objectsRead: 1, recordsRead: 1, put: 0, refusedByReason: { malformed_json: 1 } });
    expect(batches).toMatchObject({ objectsRead: 0, put: 0 });
    expect(hashedListing(root)).toEqual(after);
  });

  it('in a dry run, counts what it would put and move, and writes and puts nothing', async () => {
    await errorObject([{ data: payload({ userId: 'a' }), arrivalMs: T0 }]);
    await failedBatch([kinesisRecord(payload({ userId: 'b' }), { index: 0, arrivalMs: T0 })]);
    const before = hashedListing(root);

    const reports = await redrive(sources(), { ...SETTINGS, dryRun: true }, putBack);

    expect(reports.map((r) => [r.put, r.objectsMoved])).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(put).toEqual([]);
    expect(hashedListing(root)).toEqual(before);
  });

  it('puts again under the same redriven key after a crash between the put and the rewrite; a later run of other records takes the next key', async () => {
    const today = payload({ userId: 'today' });
    const tomorrow = payload({ userId: 'tomorrow' }, T0 + 24 * HOUR);
    const key = await errorObject([
      { data: today, arrivalMs: T0 },
      { data: tomorrow, arrivalMs: T0 + 24 * HOUR },
    ]);
    const settings = { ...SETTINGS, nowMs: T0 + 25 * HOUR, range: { to: DAY } };
    const crash = (records: readonly RedriveRecord[]) => {
      put.push(...records);
      return Promise.reject(new Error('killed after the put'));
    };
    await expect(redrive(sources(), settings, crash)).rejects.toThrow('killed after the put');
    expect(filesUnder(join(root, 'archive', 'redriven'))).toHaveLength(1);

    await redrive(sources(), settings, putBack);
    expect(text(put)).toEqual([`today ${today.toString('utf8')}`, `today ${today.toString('utf8')}`]);
    expect(filesUnder(join(root, 'archive', 'redriven'))).toEqual([key]);

    put = [];
    const [errors] = await redrive(sources(), { ...settings, range: {} }, putBack);
    expect(text(put)).toEqual([`tomorrow ${tomorrow.toString('utf8')}`]);
    expect(errors!.objectsMoved).toBe(1);
    expect(filesUnder(join(root, 'archive', 'redriven'))).toEqual([key, `${key}.2`]);
    expect(existsSync(join(root, 'archive', key))).toBe(false);
  });

  it('reads only the objects that can hold records of --from/--to: the error output from the day before --from, no batch that failed before --from', async () => {
    const day = (n: number) => T0 + n * 24 * HOUR;
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    await errorObject([{ data: payload({ userId: 'e-2' }, day(-2)), arrivalMs: day(-2) }], 'm2.gz');
    // Dated the day before --from by its oldest record; its other record arrived on --from.
    await errorObject(
      [
        { data: payload({ userId: 'e-1' }, day(-1)), arrivalMs: day(-1) },
        { data: payload({ userId: 'e0' }, day(0)), arrivalMs: day(0) },
      ],
      'm1.gz',
    );
    await errorObject([{ data: payload({ userId: 'e1' }, day(1)), arrivalMs: day(1) }], 'p1.gz');
    await failedBatch(
      [kinesisRecord(payload({ userId: 'b-1' }, day(-1)), { index: 0, partitionKey: 'b-1', arrivalMs: day(-1) })],
      new Date(day(-1)),
    );
    await failedBatch(
      [kinesisRecord(payload({ userId: 'b0' }, day(-1)), { index: 1, partitionKey: 'b0', arrivalMs: day(-1) })],
      new Date(day(0)),
    );
    await failedBatch(
      [kinesisRecord(payload({ userId: 'b1' }, day(0)), { index: 2, partitionKey: 'b1', arrivalMs: day(0) })],
      new Date(day(1)),
    );

    const [errors, batches] = await redrive(
      sources(),
      { ...SETTINGS, nowMs: day(2), range: { from: iso(day(0)), to: iso(day(0)) } },
      putBack,
    );

    expect(put.map((r) => r.partitionKey)).toEqual(['e0', 'b1']);
    expect(errors).toMatchObject({ objectsRead: 1, recordsRead: 2, outsideRange: 1, objectsSplit: 1 });
    expect(batches).toMatchObject({ objectsRead: 2, recordsRead: 2, outsideRange: 1, objectsMoved: 1 });
  });
});
