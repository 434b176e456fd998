import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamEvent, KinesisStreamBatchResponse } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { aggregate } from '../../../local/producer/kpl-aggregate';
import { MINUTE, T0, kinesisEvent, producerEvent, sequenceNumber } from '../../helpers/events';

// The store writes through the document client: the calls are seen with their items as native values.
const ddb = mockClient(DynamoDBDocumentClient);
const savedEnv = { ...process.env };
let handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

beforeAll(async () => {
  process.env.SESSIONS_TABLE = 'sessions';
  process.env.METRICS_TABLE = 'metrics';
  ({ handler } = await import('../../../functions/session-processor/index'));
});

afterAll(() => {
  process.env = savedEnv;
});

beforeEach(() => {
  ddb.reset();
  ddb.on(BatchGetCommand).resolves({ Responses: {} });
  ddb.on(PutCommand).resolves({});
  // The pending-metrics markers: none to read, each deleted once the users are written.
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(DeleteCommand).resolves({});
});

const throttled = () =>
  Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ProvisionedThroughputExceededException' });

const ev = (user: string, minutes: number, extra: Record<string, unknown> = {}) =>
  producerEvent({ userId: user, timestamp: T0 + minutes * MINUTE, ...extra });

/** Items of the sessions table, in the order they were put, by sort-key kind. */
function sessionItems(): Array<{ userId: string; sk: string }> {
  return ddb
    .commandCalls(PutCommand)
    .filter((c) => c.args[0].input.TableName === 'sessions')
    .map((c) => c.args[0].input.Item as { userId: string; sk: string });
}

function written(): { sessions: string[]; states: string[] } {
  const items = sessionItems();
  return {
    sessions: items.filter((i) => i.sk.startsWith('SESSION#')).map((i) => i.userId),
    states: items.filter((i) => i.sk === 'STATE').map((i) => i.userId),
  };
}

describe('session-processor handler', () => {
  it("returns no failures and writes each user's state (with its current session) and one metrics item per window when all records are valid", async () => {
    const response = await handler(kinesisEvent([ev('a', 0), ev('b', 0), ev('a', 1)]));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(written()).toEqual({ sessions: [], states: ['a', 'b'] });
    // One metrics item, and the pending-metrics marker, written before the users and deleted after them.
    const puts = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item as Record<string, unknown>);
    expect(puts.map((i) => i['windowStart'])).toEqual(['2026-11-27T10:00:00.000Z', 'PENDING']);
    // Each event's 8-byte session fingerprint, end to end.
    expect(puts[1]!['fingerprints']).toHaveLength(3 * 8);
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'metrics',
      Key: { windowStart: 'PENDING', shardId: puts[1]!['shardId'] as string },
    });
    const read = ddb.commandCalls(BatchGetCommand)[0]!.args[0].input;
    expect(read.RequestItems?.['sessions']?.ConsistentRead).toBe(true);
    expect(read.RequestItems?.['metrics']?.ConsistentRead).toBe(true);
  });

  it('writes a session item when a session closes, before the state', async () => {
    await handler(kinesisEvent([ev('a', 0), ev('a', 31), ev('a', 62)]));
    expect(written()).toEqual({ sessions: ['a', 'a'], states: ['a'] });
    expect(sessionItems().map((i) => i.sk)).toEqual(['SESSION#2026-11-27T10:00:00.000Z', 'SESSION#2026-11-27T10:31:00.000Z', 'STATE']);
  });

  it('does not report invalid records in a mixed batch', async () => {
    const response = await handler(kinesisEvent([ev('a', 0), '{"userId": 1}', ev('b', 0, { eventType: 'hover' }), ev('c', 1)]));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(written().states).toEqual(['a', 'c']);
  });

  it('reports the lowest sequence number of the user whose write was throttled', async () => {
    ddb.on(PutCommand).callsFake((input: PutCommandInput) => {
      const item = input.Item as { userId?: string; sk?: string };
      return input.TableName === 'sessions' && item.userId === 'c' && item.sk === 'STATE'
        ? Promise.reject(throttled())
        : Promise.resolve({});
    });
    const response = await handler(kinesisEvent([ev('a', 0), ev('b', 0), ev('c', 1), ev('a', 2), ev('c', 3)]));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber(2) }] });
  });

  it('reports the first record when every write is throttled', async () => {
    ddb
      .on(PutCommand)
      .callsFake((input: PutCommandInput) => (input.TableName === 'sessions' ? Promise.reject(throttled()) : Promise.resolve({})));
    const response = await handler(kinesisEvent([ev('b', 0), ev('a', 1)], 5));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber(5) }] });
  });

  it('retries the whole batch when a metrics write is throttled, and writes no user', async () => {
    ddb.on(PutCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const response = await handler(kinesisEvent([ev('a', 0), ev('b', 1)], 3));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber(3) }] });
    expect(sessionItems()).toEqual([]);
  });

  it('returns no failures and touches no table for an empty batch', async () => {
    expect(await handler({ Records: [] })).toEqual({ batchItemFailures: [] });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('de-aggregates KPL records and applies every user record', async () => {
    const packed = aggregate(['a', 'b', 'c'].map((u, i) => ({ partitionKey: u, data: Buffer.from(JSON.stringify(ev(u, i))) })));
    const response = await handler(kinesisEvent(packed.map((p) => p.data)));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(written().states).toEqual(['a', 'b', 'c']);
  });

  it('refuses garbage bytes without failing the batch', async () => {
    const response = await handler(kinesisEvent([Buffer.from([0, 1, 2, 254, 255]), Buffer.from('\u0000\u0000'), ev('a', 0)]));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(written().states).toEqual(['a']);
  });
});
