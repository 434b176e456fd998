import { applyUserEvents, emptyState, sessionIdFor } from '../../../functions/session-processor/sessionize';
import { MINUTE, T0 } from '../../helpers/events';
import { RULES, positioned } from '../../helpers/positioned';

const SHARD = 'shardId-000000000000';
const at = (minutes: number) => T0 + minutes * MINUTE;
const page = (index: number, minutes: number, path: string, extra: Record<string, unknown> = {}) =>
  positioned(index, { timestamp: at(minutes), url: `https://shop.example.com${path}`, ...extra });

describe('applyUserEvents', () => {
  it('keeps events within 30 minutes of each other in one session', () => {
    const out = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/'), page(1, 30, '/a'), page(2, 60, '/b')], RULES);
    expect(out.sessions).toHaveLength(1);
    expect(out.sessions[0]).toMatchObject({
      startMs: at(0),
      lastMs: at(60),
      eventCount: 3,
      pageViews: 3,
      landingPage: '/',
      exitPage: '/b',
    });
  });

  it('starts a new session after 30 minutes of inactivity', () => {
    const out = applyUserEvents(
      emptyState('user-1'),
      SHARD,
      [page(0, 0, '/'), page(1, 30, '/a'), positioned(2, { timestamp: at(60) + 1 })],
      RULES,
    );
    expect(out.sessions.map((s) => s.startMs)).toEqual([at(0), at(60) + 1]);
    expect(out.effects.filter((e) => e.sessionStarted)).toHaveLength(2);
  });

  it('processes a batch in event-time order whatever the arrival order', () => {
    const out = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 10, '/second'), page(1, 0, '/first')], RULES);
    expect(out.sessions[0]).toMatchObject({ landingPage: '/first', exitPage: '/second', journey: ['/first', '/second'] });
  });

  it('gives a session the same id on every run', () => {
    const a = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/')], RULES);
    const b = applyUserEvents(emptyState('user-1'), SHARD, [page(7, 0, '/')], RULES);
    expect(a.sessions[0]!.sessionId).toBe(b.sessions[0]!.sessionId);
    expect(a.sessions[0]!.sessionId).toBe(sessionIdFor('user-1', at(0)));
  });

  it('keeps the client session id, referrer and UTM campaign of the first event', () => {
    const out = applyUserEvents(
      emptyState('user-1'),
      SHARD,
      [
        page(0, 0, '/?utm_campaign=winter&utm_source=news', { sessionId: 'c-9' }),
        page(1, 1, '/x?utm_campaign=other', { referrer: 'https://other.example/' }),
      ],
      RULES,
    );
    expect(out.sessions[0]).toMatchObject({
      clientSessionId: 'c-9',
      utmCampaign: 'winter',
      utmSource: 'news',
      referrer: 'https://www.google.com/',
    });
  });

  it('marks conversions and sums numeric revenue exactly', () => {
    const conv = (i: number, revenue: unknown) => positioned(i, { timestamp: at(i), eventType: 'conversion', properties: { revenue } });
    const out = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/'), conv(1, 0.1), conv(2, 0.2), conv(3, 'lots')], RULES);
    expect(out.sessions[0]).toMatchObject({ converted: true, revenueMicros: 300_000 });
  });

  it('caps the journey and counts the page views it left out', () => {
    const events = Array.from({ length: 60 }, (_, i) => page(i, i * 0.1, `/p${i}`));
    const s = applyUserEvents(emptyState('user-1'), SHARD, events, RULES).sessions[0]!;
    expect([s.journey.length, s.journeyCut, s.pageViews]).toEqual([50, 10, 60]);
  });

  it.each([
    ['a re-sent event with the same bytes as a duplicate', () => page(0, 0, '/'), () => page(1, 0, '/'), 'duplicate'],
    ['an event older than the current session as late', () => page(0, 60, '/'), () => page(1, 10, '/old'), 'late'],
  ] as const)('counts %s, without changing any session', (_what, first, next, kind) => {
    const before = applyUserEvents(emptyState('user-1'), SHARD, [first()], RULES);
    const after = applyUserEvents(before.state, SHARD, [next()], RULES);
    expect(after.effects.map((e) => e.kind)).toEqual([kind]);
    expect(after.sessions).toEqual([]);
  });

  it('skips records at or below the shard watermark: a retried batch changes nothing', () => {
    const batch = [page(0, 0, '/'), page(1, 5, '/a')];
    const first = applyUserEvents(emptyState('user-1'), SHARD, batch, RULES);
    const retry = applyUserEvents(first.state, SHARD, batch, RULES);
    expect(retry.effects.map((e) => e.kind)).toEqual(['already_applied', 'already_applied']);
    expect(retry.state).toEqual(first.state);
    expect(retry.sessions).toEqual([]);
  });

  it('places an out-of-order event inside the current session in its journey position', () => {
    const first = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/a'), page(1, 20, '/c')], RULES);
    const next = applyUserEvents(first.state, SHARD, [page(2, 10, '/b')], RULES);
    expect(next.sessions[0]).toMatchObject({ journey: ['/a', '/b', '/c'], exitPage: '/c', lastMs: at(20), eventCount: 3 });
  });

  it('counts a user active once in a window longer than the timeout, across two sessions', () => {
    const hourly = { ...RULES, windowMs: 60 * MINUTE };
    const out = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/'), page(1, 45, '/a')], hourly);
    expect(out.effects.map((e) => [e.sessionStarted, e.newActiveUser])).toEqual([
      [true, true],
      [true, false],
    ]);
  });

  it('counts a user active once per metrics window', () => {
    const out = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/'), page(1, 1, '/a'), page(2, 6, '/b')], RULES);
    expect(out.effects.map((e) => e.newActiveUser)).toEqual([true, false, true]);
  });
});

describe('session bounds and replays', () => {
  /** `count` page views one minute apart, at shard indexes from `firstIndex`, each a distinct payload. */
  const minutely = (count: number, firstIndex = 0, startMinute = 0) =>
    Array.from({ length: count }, (_, i) => positioned(firstIndex + i, { timestamp: at(startMinute + i * 0.25), properties: { n: i } }));
  /** The same payloads at new shard positions, as a producer that puts its input again. */
  const replayOf = (events: ReturnType<typeof minutely>, firstIndex: number) =>
    events.map((e, i) => ({ ...e, ...positioned(firstIndex + i, {}), event: e.event }));

  it('recognises a replay of a user with hundreds of events in the current session', () => {
    const events = minutely(200);
    const first = applyUserEvents(emptyState('user-1'), SHARD, events, RULES);
    expect(first.state.currentSession).toMatchObject({ eventCount: 200, pageViews: 200 });
    const replay = applyUserEvents(first.state, SHARD, replayOf(events, 1000), RULES);
    expect(replay.effects.every((e) => e.kind === 'duplicate')).toBe(true);
    expect(replay.state.currentSession).toEqual(first.state.currentSession);
  });

  it('starts a new session once the current one holds the maximum number of events', () => {
    const rules = { ...RULES, maxSessionEvents: 10 };
    const out = applyUserEvents(emptyState('user-1'), SHARD, minutely(25), rules);
    expect(out.sessions.map((s) => s.eventCount)).toEqual([10, 10, 5]);
    expect(out.state.sessionFingerprints).toHaveLength(5);
  });

  it('starts a new session when an event lies more than the maximum span after the session start', () => {
    const rules = { ...RULES, maxSessionMs: 60 * MINUTE };
    // One event every 10 minutes for two hours: never 30 minutes idle, but two sessions of at most an hour.
    const events = Array.from({ length: 13 }, (_, i) => positioned(i, { timestamp: at(i * 10), properties: { n: i } }));
    const out = applyUserEvents(emptyState('user-1'), SHARD, events, rules);
    expect(out.sessions.map((s) => [s.startMs, s.lastMs])).toEqual([
      [at(0), at(60)],
      [at(70), at(120)],
    ]);
  });

  it('counts as late an event within the span of a session that is full, and never splits a session inside its span', () => {
    const rules = { ...RULES, maxSessionEvents: 3 };
    const full = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/a'), page(1, 10, '/b'), page(2, 20, '/c')], rules);
    const out = applyUserEvents(full.state, SHARD, [page(3, 15, '/inside'), page(4, 20, '/same-time'), page(5, 21, '/after')], rules);
    expect(out.effects.map((e) => e.kind)).toEqual(['late', 'late', 'applied']);
    expect(out.sessions.map((s) => s.startMs)).toEqual([at(0), at(21)]);
  });

  it('counts a user active once per window however long the session, also for an out-of-order event in its first window', () => {
    const rules = { ...RULES, windowMs: MINUTE, maxSessionMs: 12 * 60 * MINUTE };
    // Ten hours of activity, 600 one-minute windows: more than the 512 windows the state once kept.
    const events = Array.from({ length: 601 }, (_, i) => positioned(i, { timestamp: at(i), properties: { n: i } }));
    const first = applyUserEvents(emptyState('user-1'), SHARD, events, rules);
    expect(first.effects.filter((e) => e.newActiveUser)).toHaveLength(601);
    const early = applyUserEvents(first.state, SHARD, [positioned(700, { timestamp: at(0) + 10_000, properties: { n: 'early' } })], rules);
    expect(early.effects[0]).toMatchObject({ kind: 'applied', newActiveUser: false });
  });
});
