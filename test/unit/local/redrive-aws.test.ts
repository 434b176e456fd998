import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { GetObjectCommandInput, ListObjectsV2CommandInput, PutObjectCommandInput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { redriveStack } from '../../../local/commands/redrive';
import { failedBatchKey } from '../../../local/aws/failure-destination';
import { AwsAccessDeniedError } from '../../../local/deployed/errors';
import { readErrorOutput, readFailedBatch } from '../../../local/ops/failure-objects';
import { MINUTE, kinesisRecord, producerEvent } from '../../helpers/events';
import { describedStack } from '../../helpers/deployed-stack';

const cloudFormation = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const kinesis = mockClient(KinesisClient);

const REGION = 'eu-west-1';

/** The buckets, as S3 would hold them: key → bytes, by bucket. */
let buckets: Map<string, Map<string, Buffer>>;
const etag = (body: Buffer) => `"${createHash('md5').update(body).digest('hex')}"`;

beforeEach(() => {
  buckets = new Map([
    ['cs-archive', new Map<string, Buffer>()],
    ['cs-failures', new Map<string, Buffer>()],
  ]);
  cloudFormation.on(DescribeStacksCommand, { StackName: 'cs' }).resolves(describedStack());
  // Answers are promises, as the SDK's are: the stores chain .catch on them.
  s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) =>
    Promise.resolve({
      Contents: [...buckets.get(input.Bucket!)!.entries()]
        .filter(([key]) => key.startsWith(input.Prefix ?? ''))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([Key, body]) => ({ Key, Size: body.length, StorageClass: 'STANDARD' })),
      IsTruncated: false,
    }),
  );
  s3.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => {
    const body = buckets.get(input.Bucket!)!.get(input.Key!)!;
    return Promise.resolve({ Body: { transformToByteArray: () => Promise.resolve(new Uint8Array(body)) }, ETag: etag(body) });
  });
  s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    const bucket = buckets.get(input.Bucket!)!;
    const current = bucket.get(input.Key!);
    if (input.IfMatch !== undefined && (current === undefined || etag(current) !== input.IfMatch))
      return Promise.reject(
        Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), { name: 'PreconditionFailed' }),
      );
    bucket.set(input.Key!, Buffer.from(input.Body as Buffer));
    return Promise.resolve({});
  });
  s3.on(DeleteObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    buckets.get(input.Bucket)!.delete(input.Key);
    return Promise.resolve({});
  });
});

afterEach(() => {
  cloudFormation.reset();
  s3.reset();
  kinesis.reset();
});

const clients = () => ({
  cloudFormation: new CloudFormationClient({ region: REGION }),
  s3: new S3Client({ region: REGION }),
  kinesis: new KinesisClient({ region: REGION }),
});

const NOW = Date.now();
const event = (userId: string) =>
  Buffer.from(JSON.stringify(producerEvent({ userId, timestamp: new Date(NOW - 10 * MINUTE).toISOString() })));
const ERROR_KEY = `errors/processing-failed/dt=${new Date(NOW).toISOString().slice(0, 10)}/cs-archive-1-x.gz`;

/** An object of Firehose's processing-failed output in the archive bucket. */
function errorOutput(key: string, payloads: readonly Buffer[]): void {
  const lines = payloads.map((p) =>
    JSON.stringify({
      attemptsMade: 4,
      arrivalTimestamp: NOW - 5 * MINUTE,
      errorCode: 'Lambda.ProcessingFailed',
      rawData: p.toString('base64'),
    }),
  );
  buckets.get('cs-archive')!.set(key, gzipSync(`${lines.join('\n')}\n`));
}

/** An invocation record of the on-failure destination in the failure bucket. */
function failedBatch(payloads: ReadonlyArray<readonly [string, Buffer]>): string {
  const key = failedBatchKey('9a1b2c3d-0000-4000-8000-000000000002', 'shardId-000000000003', new Date(NOW));
  const records = payloads.map(([partitionKey, p], index) => kinesisRecord(p, { index, partitionKey, arrivalMs: NOW - 5 * MINUTE }));
  const body = { requestContext: { condition: 'RetryAttemptsExhausted' }, payload: { Records: records } };
  buckets.get('cs-failures')!.set(key, Buffer.from(JSON.stringify(body)));
  return key;
}

/** PutRecords that refuses the entry at `refused` on the first call, with throttling, and takes everything else. */
function throttlingOnce(refused: number): void {
  let calls = 0;
  kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => {
    calls += 1;
    return Promise.resolve({
      FailedRecordCount: calls === 1 ? 1 : 0,
      Records: input.Records!.map((_r, i) =>
        calls === 1 && i === refused
          ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' }
          : { SequenceNumber: `${calls}${i}`, ShardId: 'shardId-000000000000' },
      ),
    });
  });
}

describe('clickstream redrive --stack', () => {
  it("puts the records that pass back on the stack's stream with their bytes and partition keys, retrying only the refused entry", async () => {
    errorOutput(ERROR_KEY, [event('u1'), Buffer.from('{"userId":'), event('u2')]);
    failedBatch([['pk-u3', event('u3')]]);
    throttlingOnce(1);

    const summary = await redriveStack({ stack: 'cs', region: REGION, dryRun: false, quiet: true }, clients());

    expect(summary.put).toBe(3);
    const calls = kinesis.commandCalls(PutRecordsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.StreamName)).toEqual(['cs-events', 'cs-events', 'cs-events']);
    expect(calls[0]!.Records!.map((r) => [r.PartitionKey, Buffer.from(r.Data!)])).toEqual([
      ['u1', event('u1')],
      ['u2', event('u2')],
    ]);
    expect(calls[1]!.Records!.map((r) => [r.PartitionKey, Buffer.from(r.Data!)])).toEqual([['u2', event('u2')]]);
    expect(calls[2]!.Records!.map((r) => [r.PartitionKey, Buffer.from(r.Data!)])).toEqual([['pk-u3', event('u3')]]);
    expect(summary.sources.map((s) => [s.put, s.refusedByReason])).toEqual([
      [2, { malformed_json: 1 }],
      [1, {}],
    ]);
  });

  it('moves what it put under redriven/ in each bucket, keeps the refused record in place with a conditional rewrite, deletes an emptied object', async () => {
    errorOutput(ERROR_KEY, [event('u1'), Buffer.from('{"userId":')]);
    const batchKey = failedBatch([['pk-u3', event('u3')]]);
    throttlingOnce(-1);

    await redriveStack({ stack: 'cs', region: REGION, dryRun: false, quiet: true }, clients());

    const archive = buckets.get('cs-archive')!;
    expect([...archive.keys()].sort()).toEqual([ERROR_KEY, `redriven/${ERROR_KEY}`]);
    expect(readErrorOutput(archive.get(`redriven/${ERROR_KEY}`)!).records.map((r) => r.payload)).toEqual([event('u1')]);
    expect(readErrorOutput(archive.get(ERROR_KEY)!).records.map((r) => r.payload.toString())).toEqual(['{"userId":']);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Bucket: 'cs-archive', Key: ERROR_KEY, IfMatch: expect.any(String) });
    const failures = buckets.get('cs-failures')!;
    expect([...failures.keys()]).toEqual([`redriven/${batchKey}`]);
    expect(readFailedBatch(failures.get(`redriven/${batchKey}`)!).records.map((r) => r.partitionKey)).toEqual(['pk-u3']);
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Bucket: 'cs-failures', Key: batchKey });
  });

  it('leaves an object of refused records alone, and puts nothing a second time', async () => {
    errorOutput(ERROR_KEY, [event('u1'), Buffer.from('nope')]);
    throttlingOnce(-1);
    await redriveStack({ stack: 'cs', region: REGION, dryRun: false, quiet: true }, clients());
    const after = new Map(buckets.get('cs-archive'));
    s3.resetHistory();
    kinesis.resetHistory();

    const again = await redriveStack({ stack: 'cs', region: REGION, dryRun: false, quiet: true }, clients());

    expect(again.put).toBe(0);
    expect(kinesis).not.toHaveReceivedCommand(PutRecordsCommand);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
    expect(buckets.get('cs-archive')).toEqual(after);
  });

  it('in a dry run, reads and reports, and writes and puts nothing', async () => {
    errorOutput(ERROR_KEY, [event('u1')]);
    failedBatch([['pk-u3', event('u3')]]);

    const summary = await redriveStack({ stack: 'cs', region: REGION, dryRun: true, quiet: true }, clients());

    expect(summary.put).toBe(2);
    expect(kinesis).not.toHaveReceivedCommand(PutRecordsCommand);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
  });

  it('names kinesis:PutRecords on the stream when the identity may not put, and leaves the object whole', async () => {
    errorOutput(ERROR_KEY, [event('u1')]);
    kinesis.on(PutRecordsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    const attempt = redriveStack({ stack: 'cs', region: REGION, dryRun: false, quiet: true }, clients());

    await expect(attempt).rejects.toThrow(AwsAccessDeniedError);
    await expect(attempt).rejects.toThrow(/kinesis:PutRecords on stream cs-events in eu-west-1/);
    expect(buckets.get('cs-archive')!.has(ERROR_KEY)).toBe(true);
  });
});
