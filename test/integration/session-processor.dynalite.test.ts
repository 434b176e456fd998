/**
 * The session-processor against a real DynamoDB wire protocol (dynalite on a loopback port): the same
 * adapter that deploys, with faults injected into the SDK's middleware stack.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { sessionSortKey } from '../../functions/session-processor/table-schema';
import { DynamoSessionStore } from '../../functions/session-processor/dynamodb-store';
import { allSessions, allWindows } from '../../local/runtime/read-tables';
import { latestSession, recentSessions } from '../helpers/session-reads';
import { runLikeLambda } from '../helpers/lambda-loop';
import { newTables, startLocalDdb } from '../helpers/local-ddb';
import type { LocalDdb } from '../helpers/local-ddb';
import { MemoryLog } from '../helpers/memory-store';
import { BOUNDS, RULES } from '../helpers/positioned';
import { smallWorkload } from '../helpers/small-workload';

const LIFETIMES = { sessionTtlDays: 7, metricsTtlDays: 90 };
let ddb: LocalDdb;

beforeAll(async () => {
  ddb = await startLocalDdb();
});
afterAll(async () => {
  ddb.client.destroy();
  await ddb.emulator.close();
});

function storeFor(tables: { sessionsTable: string; metricsTable: string }, client = ddb.client) {
  return new DynamoSessionStore({ ...tables, ...LIFETIMES, client, unprocessedRounds: 2 });
}

async function readBack(tables: { sessionsTable: string; metricsTable: string }) {
  return { sessions: await allSessions(ddb.client, tables.sessionsTable), metrics: await allWindows(ddb.client, tables.metricsTable) };
}

const records = smallWorkload(25, 12, 7);

describe('session-processor on dynalite', () => {
  let once: Awaited<ReturnType<typeof readBack>>;
  let onceTables: { sessionsTable: string; metricsTable: string };

  beforeAll(async () => {
    onceTables = await newTables(ddb.client);
    await runLikeLambda(
      records,
      { store: storeFor(onceTables), log: new MemoryLog(), rules: RULES, bounds: BOUNDS },
      { batchSizes: [records.length] },
    );
    once = await readBack(onceTables);
  });

  it('writes every valid event into exactly one session and one window', () => {
    expect(once.sessions.reduce((n, s) => n + s.eventCount, 0)).toBe(records.length);
    expect(once.metrics.reduce((n, m) => n + m.events, 0)).toBe(records.length);
    expect(once.metrics.reduce((n, m) => n + m.sessionsStarted, 0)).toBe(once.sessions.length);
    expect(once.sessions.length).toBeGreaterThan(25);
  });

  it('reads back the same sessions and metrics after failed writes, lost responses, retries and redelivery', async () => {
    const tables = await newTables(ddb.client);
    const faulty = new DynamoDBClient({
      endpoint: ddb.emulator.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    let userWrites = 0;
    let puts = 0;
    let armed = false;
    faulty.middlewareStack.add(
      (next, context) => async (args) => {
        const table = (args.input as { TableName?: string }).TableName;
        if (armed && context.commandName === 'PutItemCommand' && table === tables.sessionsTable && ++userWrites % 3 === 0) {
          await next(args); // the write lands, the response is lost
          throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        }
        if (armed && context.commandName === 'PutItemCommand' && ++puts % 4 === 0) {
          throw Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectFaults' },
    );
    const deps = { store: storeFor(tables, faulty), log: new MemoryLog(), rules: RULES, bounds: BOUNDS };
    const retried = await runLikeLambda(records, deps, {
      batchSizes: [40, 17, 100],
      beforeAttempt: (attempt) => {
        armed = attempt % 2 === 0;
      },
    });
    // Part of the stream delivered again, overlapping what was already applied.
    await runLikeLambda(records.slice(60, 130), deps, { batchSizes: [25], deliverTwice: true });
    faulty.destroy();

    expect(retried).toBeGreaterThan(0);
    expect(await readBack(tables)).toEqual(once);
  });

  it('finds the latest session of a user with one read and all of them newest first with one query', async () => {
    const user = once.sessions.find((s) => once.sessions.filter((t) => t.userId === s.userId).length > 1)!.userId;
    const mine = once.sessions.filter((s) => s.userId === user);
    const latest = await latestSession(ddb.client, onceTables.sessionsTable, user);
    const recent = await recentSessions(ddb.client, onceTables.sessionsTable, user);
    expect(latest).toEqual(mine[mine.length - 1]);
    expect(recent.map((s) => s.startMs)).toEqual(mine.map((s) => s.startMs).reverse());
  });

  it('sets the TTL attribute of a closed session to 7 days after its last activity', async () => {
    const s = once.sessions.find((x, i) => once.sessions[i + 1]?.userId === x.userId)!;
    const out = await ddb.client.send(
      new GetItemCommand({ TableName: onceTables.sessionsTable, Key: { userId: { S: s.userId }, sk: { S: sessionSortKey(s.startMs) } } }),
    );
    expect(Number(out.Item!['expiresAt']!.N)).toBe(Math.floor(s.lastMs / 1000) + 7 * 86_400);
  });
});
