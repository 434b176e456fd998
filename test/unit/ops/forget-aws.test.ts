/**
 * `forget` against a deployed stack, with the SDK clients mocked: Athena's `"$path"` names the objects, each
 * is rewritten whole under its key (If-Match on the ETag read, its storage class kept), archived objects are
 * listed with their restore command, the sessions table's items are deleted (unprocessed ones sent again),
 * and the audit record holds counts and digests only.
 */
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { ListObjectsV2CommandInput, PutObjectCommandInput, _Object } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { pseudonymousUserId } from '../../../functions/shared/pseudonym';
import { forget } from '../../../local/ops/forget';
import type { ErasureAudit, ForgetReport } from '../../../local/ops/forget';
import { openStackPlace } from '../../../local/ops/forget-places';
import { producerEvent } from '../../helpers/events';
import { STACK_OUTPUT_VALUES as OUTPUTS, describedStack } from '../../helpers/deployed-stack';

const cloudFormation = mockClient(CloudFormationClient);
const documents = mockClient(DynamoDBDocumentClient);
const athena = mockClient(AthenaClient);
const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);
sts.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:sts::111122223333:assumed-role/Privacy/jane' });

const line = (userId: string, n: number) => `${JSON.stringify({ event_id: `e${n}`, user_id: userId, event_type: 'page_view' })}\n`;
const HOT = 'events/dt=2026-11-20/hour=10/a.gz';
const RESTORED = 'events/dt=2026-01-02/hour=10/b.gz';
const FROZEN = 'events/dt=2025-06-01/hour=10/c.gz';
const ERRORS = 'errors/processing-failed/dt=2026-11-20/d.gz';

/** The bucket: key → body, storage class and ETag. */
let objects: Map<string, { body: Buffer; storageClass: string; etag: string; restore?: string }>;
let puts: PutObjectCommandInput[];

beforeEach(() => {
  cloudFormation.reset();
  documents.reset();
  athena.reset();
  s3.reset();
  puts = [];
  const errorLine = (userId: string) =>
    `${JSON.stringify({ arrivalTimestamp: 1, errorCode: 'Lambda.ProcessingFailed', rawData: Buffer.from(JSON.stringify(producerEvent({ userId }))).toString('base64') })}\n`;
  objects = new Map([
    [HOT, { body: gzipSync(line('alice', 1) + line('bob', 2) + line('alice', 3)), storageClass: 'STANDARD', etag: '"e-hot"' }],
    [
      RESTORED,
      {
        body: gzipSync(line('carol', 4) + line('alice', 5)),
        storageClass: 'GLACIER',
        etag: '"e-restored"',
        restore: 'ongoing-request="false", expiry-date="Fri, 04 Dec 2026 00:00:00 GMT"',
      },
    ],
    [FROZEN, { body: gzipSync(line('alice', 6)), storageClass: 'DEEP_ARCHIVE', etag: '"e-frozen"' }],
    [ERRORS, { body: gzipSync(errorLine('alice') + errorLine('dave')), storageClass: 'STANDARD', etag: '"e-errors"' }],
  ]);

  cloudFormation.on(DescribeStacksCommand).resolves(describedStack());

  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).callsFake(() => {
    // As Athena would with read_restored_glacier_objects: the readable data objects (restored archived ones
    // too) that still hold a row of alice.
    const paths = [...objects.entries()]
      .filter(
        ([key, o]) =>
          key.startsWith('events/') &&
          (o.storageClass === 'STANDARD' || o.restore !== undefined) &&
          text(o.body).includes('"user_id":"alice"'),
      )
      .map(([key]) => `s3://cs-archive/${key}`);
    return Promise.resolve({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'path', Type: 'varchar' }] },
        Rows: [{ Data: [{ VarCharValue: 'path' }] }, ...paths.map((p) => ({ Data: [{ VarCharValue: p }] }))],
      },
    });
  });

  s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    // The failure bucket is empty.
    const bucket = input.Bucket === 'cs-archive' ? [...objects.entries()] : [];
    const contents: _Object[] = bucket
      .filter(([key]) => key.startsWith(input.Prefix ?? ''))
      .map(([Key, o]) => ({
        Key,
        Size: o.body.length,
        StorageClass: o.storageClass as never,
      }));
    return Promise.resolve({ Contents: contents, IsTruncated: false });
  });
  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => Promise.resolve({ Restore: objects.get(input.Key)?.restore }));
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const o = objects.get(input.Key)!;
    return Promise.resolve({ Body: streamOf(o.body), ETag: o.etag, StorageClass: o.storageClass, ContentType: 'application/octet-stream' });
  });
  s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    puts.push(input);
    const body = input.Body as Buffer;
    objects.set(input.Key!, { body, storageClass: input.StorageClass ?? 'STANDARD', etag: `"v${puts.length}"` });
    return Promise.resolve({ ETag: `"v${puts.length}"` });
  });
  s3.on(DeleteObjectCommand).callsFake((input: { Key: string }) => Promise.resolve(objects.delete(input.Key) && {}));

  let items = [
    { userId: 'alice', sk: 'SESSION#2026-11-20T10:00:00.000Z' },
    { userId: 'alice', sk: 'STATE' },
  ];
  documents.on(QueryCommand).callsFake(() => Promise.resolve({ Items: items.map((i) => ({ ...i })) }));
  let firstBatch = true;
  documents.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => {
    const requests = input.RequestItems!['cs-sessions']!;
    // The first batch leaves one delete unprocessed, as a throttled table does.
    const done = firstBatch ? requests.slice(0, 1) : requests;
    const left = firstBatch ? requests.slice(1) : [];
    firstBatch = false;
    for (const r of done) items = items.filter((i) => i.sk !== (r.DeleteRequest!.Key as { sk: string }).sk);
    return Promise.resolve({ UnprocessedItems: left.length ? { 'cs-sessions': left } : {} });
  });
});

function clients() {
  return {
    cloudFormation: new CloudFormationClient({ region: 'eu-west-1' }),
    dynamodb: new DynamoDBClient({ region: 'eu-west-1' }),
    athena: new AthenaClient({ region: 'eu-west-1' }),
    s3: new S3Client({ region: 'eu-west-1' }),
    secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
    sts: new STSClient({ region: 'eu-west-1' }),
  };
}

async function forgetAlice(dryRun = false): Promise<ForgetReport> {
  const opened = await openStackPlace('cs', 'eu-west-1', clients());
  try {
    return await forget([{ raw: 'alice', stored: ['alice'] }], opened.place, {
      dryRun,
      userIdMode: 'keep',
      reference: 'T-1',
      progress: () => {},
    });
  } finally {
    await opened.close();
  }
}

const text = (body: unknown) => gunzipSync(body as Buffer).toString();

describe('forget on a deployed stack', () => {
  it("finds the objects with Athena's $path over the Glue table, the id passed as a quoted execution parameter", async () => {
    await forgetAlice();
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      WorkGroup: 'cs-queries',
      QueryString: 'SELECT DISTINCT "$path" AS path FROM "clickstream_db"."events" WHERE user_id IN (?)',
      ExecutionParameters: ["'alice'"],
    });
  });

  it('rewrites each object whole under its key, conditional on the ETag it read, keeping the other rows and the storage class', async () => {
    const report = await forgetAlice();
    const hot = puts.find((p) => p.Key === HOT)!;
    expect(hot).toMatchObject({ Bucket: 'cs-archive', IfMatch: '"e-hot"', ContentType: 'application/octet-stream' });
    expect(hot.StorageClass).toBeUndefined();
    expect(text(hot.Body)).toBe(line('bob', 2));
    // Found by Athena and listed as restored: rewritten once.
    expect(puts.filter((p) => p.Key === RESTORED)).toHaveLength(1);
    const restored = puts.find((p) => p.Key === RESTORED)!;
    expect(restored).toMatchObject({ IfMatch: '"e-restored"', StorageClass: 'GLACIER' });
    expect(text(restored.Body)).toBe(line('carol', 4));
    expect(report.archive).toEqual({ objectsRewritten: 2, objectsDeleted: 0, removed: 3 });
  });

  it('rewrites the failure stores without the user and deletes the sessions items, sending unprocessed deletes again', async () => {
    const report = await forgetAlice();
    expect(readErrorUsers(puts.find((p) => p.Key === ERRORS)!.Body)).toEqual(['dave']);
    expect(report.failureStores).toEqual({ objectsRewritten: 1, objectsDeleted: 0, removed: 1 });
    expect(report.sessionItems).toBe(2);
    expect(documents).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
    expect(report.remaining).toEqual({ sessionItems: 0, archiveObjects: 0, failureRecords: 0 });
  });

  it('lists an archived object that is not restored with the command that restores it, and says the erasure is not complete', async () => {
    const report = await forgetAlice();
    expect(report.toRestore).toEqual([
      {
        store: 'bucket cs-archive',
        key: FROZEN,
        storageClass: 'DEEP_ARCHIVE',
        command: `aws s3api restore-object --bucket cs-archive --key '${FROZEN}' --restore-request '{"Days":7,"GlacierJobParameters":{"Tier":"Standard"}}'`,
      },
    ]);
    expect(s3).not.toHaveReceivedCommandWith(GetObjectCommand, { Key: FROZEN });
    // Written before the check (not yet checked), then completed under the same key.
    const audits = puts.filter((p) => p.Key!.startsWith('erasures/'));
    expect(audits).toHaveLength(2);
    expect(audits[1]!.Key).toBe(audits[0]!.Key);
    const first = JSON.parse((audits[0]!.Body as Buffer).toString()) as ErasureAudit;
    expect(first.complete).toBeNull();
    const audit = JSON.parse((audits[1]!.Body as Buffer).toString()) as ErasureAudit;
    expect(audit).toMatchObject({
      reference: 'T-1',
      operator: 'arn:aws:sts::111122223333:assumed-role/Privacy/jane',
      userIdMode: 'keep',
      subjects: 1,
      sessionItemsDeleted: 2,
      objectsAwaitingRestore: 1,
      complete: false,
    });
    expect(JSON.stringify(audit)).not.toContain('alice');
  });

  it('changes nothing in a dry run, and nothing on a second run', async () => {
    const dry = await forgetAlice(true);

    expect(dry.archive.removed).toBe(3);
    expect(puts).toEqual([]);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
    expect(documents).not.toHaveReceivedCommand(BatchWriteCommand);
    await forgetAlice();
    const written = puts.length;
    const second = await forgetAlice();
    expect(puts.length).toBe(written);
    expect(second.sessionItems + second.archive.removed + second.failureStores.removed).toBe(0);
    expect(second.auditKey).toBeUndefined();
  });
});

function readErrorUsers(body: unknown): string[] {
  return text(body)
    .split('\n')
    .filter((l) => l !== '')
    .map(
      (l) => (JSON.parse(Buffer.from((JSON.parse(l) as { rawData: string }).rawData, 'base64').toString()) as { userId: string }).userId,
    );
}

/** A GetObject body as the SDK gives it: a stream that reads itself whole. */
function streamOf(body: Buffer) {
  return Object.assign(Readable.from([body]), { transformToByteArray: () => Promise.resolve(new Uint8Array(body)) });
}

describe('forget on a deployed stack in userIdMode hash', () => {
  const KEY = 'k'.repeat(64);
  const secrets = mockClient(SecretsManagerClient);
  afterEach(() => secrets.reset());

  it("reads the key from the secret the stack names, searches for the id's keyed hash, and still erases raw ids from the failure stores", async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:UserIdKey-abc';
    cloudFormation.on(DescribeStacksCommand).resolves(describedStack({ ...OUTPUTS, UserIdKeySecretArn: arn }));
    secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: KEY });
    const opened = await openStackPlace('cs', 'eu-west-1', clients());
    expect(opened.userIds).toEqual({ mode: 'hash', key: Buffer.from(KEY) });
    const stored = pseudonymousUserId(Buffer.from(KEY), 'alice');
    try {
      const report = await forget([{ raw: 'alice', stored: [stored, 'alice'] }], opened.place, {
        dryRun: false,
        userIdMode: 'hash',
        progress: () => {},
      });
      expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, { ExecutionParameters: [`'${stored}'`, "'alice'"] });
      expect(report.failureStores.removed).toBe(1);
      expect(readErrorUsers(puts.find((p) => p.Key === ERRORS)!.Body)).toEqual(['dave']);
    } finally {
      await opened.close();
    }
  });
});
