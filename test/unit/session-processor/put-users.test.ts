/**
 * The store's user writes: a user's state only after all their closed sessions are written, users not waiting
 * for each other, never more than WRITE_CONCURRENCY requests in flight, and failures reported per user.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoSessionStore, WRITE_CONCURRENCY } from '../../../functions/session-processor/dynamodb-store';
import type { Session, UserState } from '../../../functions/session-processor/model';
import type { UserWrite } from '../../../functions/session-processor/ports';
import { STATE_SORT_KEY } from '../../../functions/session-processor/table-schema';

const ddb = mockClient(DynamoDBDocumentClient);
afterAll(() => ddb.restore());

function session(userId: string, startMs: number): Session {
  return {
    userId,
    sessionId: `${userId}-${startMs}`,
    clientSessionId: undefined,
    startMs,
    lastMs: startMs + 60_000,
    eventCount: 2,
    pageViews: 1,
    landingPage: '/',
    exitPage: '/',
    referrer: undefined,
    utmSource: undefined,
    utmMedium: undefined,
    utmCampaign: undefined,
    channel: 'direct',
    source: '(direct)',
    medium: '(none)',
    campaign: '(direct)',
    converted: false,
    revenueMicros: 0,
    journey: ['/'],
    journeyTimes: [startMs],
    journeyCut: 0,
  };
}

function write(userId: string, closedSessions: number): UserWrite {
  const state: UserState = {
    userId,
    watermarks: { 'shardId-000000000000': 1n },
    sessionFingerprints: [],
    activeWindows: [],
    currentSession: session(userId, 10 * 3_600_000),
    lastNonDirect: undefined,
  };
  return { state, sessions: Array.from({ length: closedSessions }, (_, i) => session(userId, i * 3_600_000)) };
}

function store(): DynamoSessionStore {
  return new DynamoSessionStore({
    client: new DynamoDBClient({ region: 'us-east-1' }),
    sessionsTable: 'sessions',
    metricsTable: 'metrics',
    sessionTtlDays: 7,
    metricsTtlDays: 30,
  });
}

interface Put {
  readonly userId: string;
  readonly state: boolean;
  readonly start: number;
  end: number;
}

/** Answers every PutItem after a delay that varies with the item, recording when each began and ended. */
function recordPuts(fail: (item: Record<string, unknown>) => Error | undefined = () => undefined) {
  const puts: Put[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let clock = 0;
  ddb.on(PutCommand).callsFake(async (input: PutCommandInput) => {
    const item = input.Item as Record<string, unknown>;
    const put: Put = { userId: String(item['userId']), state: item['sk'] === STATE_SORT_KEY, start: (clock += 1), end: 0 };
    puts.push(put);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, (puts.length * 7) % 5));
    inFlight -= 1;
    put.end = clock += 1;
    const err = fail(item);
    if (err) throw err;
    return {};
  });
  return { puts, maxInFlight: () => maxInFlight };
}

describe('DynamoSessionStore.putUsers', () => {
  beforeEach(() => ddb.reset());

  it("writes a user's state only after all their sessions, with at most WRITE_CONCURRENCY requests in flight", async () => {
    const { puts, maxInFlight } = recordPuts();
    const writes = Array.from({ length: 120 }, (_, i) => write(`u-${i}`, i % 4));
    const { failedUserIds } = await store().putUsers(writes);
    expect(failedUserIds).toEqual([]);
    expect(puts).toHaveLength(writes.reduce((n, w) => n + w.sessions.length + 1, 0));
    expect(maxInFlight()).toBeLessThanOrEqual(WRITE_CONCURRENCY);
    expect(maxInFlight()).toBeGreaterThan(1);
    for (const w of writes) {
      const mine = puts.filter((p) => p.userId === w.state.userId);
      const state = mine.find((p) => p.state)!;
      for (const s of mine.filter((p) => !p.state)) expect(s.end).toBeLessThan(state.start);
    }
    // No barrier between sessions and states: a state is written while another user's session still is.
    const sessionUsers = new Set(writes.filter((w) => w.sessions.length > 0).map((w) => w.state.userId));
    const firstState = Math.min(...puts.filter((p) => p.state && sessionUsers.has(p.userId)).map((p) => p.start));
    expect(firstState).toBeLessThan(Math.max(...puts.filter((p) => !p.state).map((p) => p.end)));
  });

  it("leaves a user's state unwritten when one of their sessions fails for a retryable reason, and reports the user", async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    const { puts } = recordPuts((item) => (item['userId'] === 'u-2' && item['sk'] !== STATE_SORT_KEY ? throttled : undefined));
    const { failedUserIds } = await store().putUsers([write('u-1', 1), write('u-2', 2), write('u-3', 0)]);
    expect(failedUserIds).toEqual(['u-2']);
    expect(puts.filter((p) => p.userId === 'u-2' && p.state)).toEqual([]);
    expect(
      puts
        .filter((p) => p.state)
        .map((p) => p.userId)
        .sort(),
    ).toEqual(['u-1', 'u-3']);
  });

  it('throws any other error, after every write has ended', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const { puts } = recordPuts((item) => (item['userId'] === 'u-1' ? denied : undefined));
    await expect(store().putUsers([write('u-1', 0), write('u-2', 1), write('u-3', 0)])).rejects.toThrow();
    expect(puts.every((p) => p.end > 0)).toBe(true);
    expect(
      puts
        .filter((p) => p.state)
        .map((p) => p.userId)
        .sort(),
    ).toEqual(['u-1', 'u-2', 'u-3']);
  });
});
