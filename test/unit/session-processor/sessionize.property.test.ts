import fc from 'fast-check';
import type { KinesisStreamRecord } from 'aws-lambda';
import { applyUserEvents, emptyState } from '../../../functions/session-processor/sessionize';
import { EVENT_TYPES } from '../../../functions/shared/event-contract';
import { MINUTE, T0, kinesisRecord, producerEvent } from '../../helpers/events';
import { runLikeLambda as runLoop } from '../../helpers/lambda-loop';
import { MemoryLog, MemoryStore } from '../../helpers/memory-store';
import { BOUNDS, RULES, positioned } from '../../helpers/positioned';
import type { SessionRules } from '../../../functions/session-processor/sessionize';
import type { Session } from '../../../functions/session-processor/model';
import { LAST_NON_DIRECT_LOOKBACK_MS } from '../../../functions/shared/traffic/session-attribution';

const TIMEOUT = RULES.timeoutMs;
const SHARD = 'shardId-000000000000';
const LOOKBACK = LAST_NON_DIRECT_LOOKBACK_MS;

/**
 * Gaps that often sit right at the timeout, where off-by-one mistakes live; now and then days, or right at the
 * 90-day lookback of direct sessions.
 */
const gap = fc.oneof(
  { arbitrary: fc.constantFrom(0, TIMEOUT - 1, TIMEOUT, TIMEOUT + 1), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 120_000 }), weight: 4 },
  { arbitrary: fc.integer({ min: TIMEOUT - 2_000, max: TIMEOUT + 2_000 }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 3 * TIMEOUT }), weight: 4 },
  { arbitrary: fc.constantFrom(LOOKBACK / 2, LOOKBACK - 1, LOOKBACK, LOOKBACK + 1), weight: 1 },
);

/**
 * How an event arrived, and what GA4 makes of it on its own (the expected channel, source, medium, campaign),
 * written out by hand: the reference attribution below reads these, not the classifier.
 */
const ARRIVALS = [
  { query: '', referrer: undefined, own: ['direct', '(direct)', '(none)', '(direct)'] },
  { query: '', referrer: 'https://shop.example.com/p1', own: ['direct', '(direct)', '(none)', '(direct)'] },
  { query: '', referrer: 'https://www.google.com/', own: ['organic_search', 'google', 'organic', '(organic)'] },
  { query: '?utm_source=news&utm_medium=email&utm_campaign=winter', referrer: undefined, own: ['email', 'news', 'email', 'winter'] },
  { query: '?gclid=x1', referrer: 'https://shop.example.com/', own: ['paid_search', 'google', 'cpc', '(not set)'] },
] as const;

interface StreamEvent {
  /** A producer event, or raw bytes that the contract refuses. */
  readonly payload: Record<string, unknown> | string;
  readonly ts: number;
  /** Index in ARRIVALS of a valid event's URL query and referrer. */
  readonly arrival?: number;
}

/** The i-th event of a generated stream: a distinct payload of the given user, type and page at `ts`. */
function userEvent(
  p: { readonly user: number; readonly type: string; readonly page: number; readonly arrival?: number },
  ts: number,
  i: number,
): StreamEvent {
  const arrival = ARRIVALS[p.arrival ?? 0]!;
  const payload = producerEvent({
    userId: `user-${p.user}`,
    eventType: p.type,
    timestamp: ts,
    url: `https://shop.example.com/p${p.page}${arrival.query}`,
    referrer: arrival.referrer,
    properties: p.type === 'conversion' ? { revenue: (i % 7) * 1.1, n: i } : { n: i },
  });
  return { payload, ts, arrival: p.arrival ?? 0 };
}

/**
 * A stream of `users` users' events, each user's in time order, with producer retries re-sent later.
 * `gaps` are the times between a user's events; `size` is fast-check's size of the list.
 */
function streamOf(users: number, gaps: fc.Arbitrary<number>, size: fc.SizeForArbitrary = undefined) {
  return fc
    .array(
      fc.record({
        user: fc.integer({ min: 0, max: users - 1 }),
        gap: gaps,
        type: fc.constantFrom(...EVENT_TYPES),
        page: fc.integer({ min: 0, max: 5 }),
        arrival: fc.integer({ min: 0, max: ARRIVALS.length - 1 }),
        resend: fc.boolean(),
        garbage: fc.integer({ min: 0, max: 15 }),
      }),
      { minLength: 1, maxLength: 60, size },
    )
    .map((picks) => {
      const clocks = Array.from({ length: users }, () => T0);
      const sent: StreamEvent[][] = Array.from({ length: users }, () => []);
      const out: StreamEvent[] = [];
      picks.forEach((p, i) => {
        const previous = sent[p.user]!;
        if (p.garbage === 0) {
          out.push({ payload: `{"userId": "user-${p.user}", "eventType": ${i}`, ts: clocks[p.user]! });
          return;
        }
        if (p.resend && previous.length > 0) {
          out.push(previous[previous.length - 1]!);
          return;
        }
        clocks[p.user]! += p.gap;
        const event = userEvent(p, clocks[p.user]!, i);
        previous.push(event);
        out.push(event);
      });
      return out;
    });
}

const stream = streamOf(4, gap);

/** Two users with many sessions, days apart and often right at the lookback: what the attribution rule needs. */
const attributionStream = streamOf(
  2,
  fc.oneof(
    fc.constantFrom(0, TIMEOUT + 1, LOOKBACK - 1, LOOKBACK, LOOKBACK + 1),
    fc.integer({ min: TIMEOUT + 1, max: 2 * LOOKBACK }),
    fc.integer({ min: 0, max: 120_000 }),
  ),
  'medium',
);

/** Records for the events, from shard index `firstIndex` on: a replay puts the same bytes at new positions. */
function toRecords(events: readonly StreamEvent[], firstIndex = 0): KinesisStreamRecord[] {
  return events.map((e, i) => kinesisRecord(e.payload, { index: firstIndex + i, arrivalMs: e.ts + 1000 }));
}

/** Runs records through the Lambda loop with faults armed per attempt, on a memory store. */
async function runLikeLambda(
  records: KinesisStreamRecord[],
  batchSizes: number[],
  faults: Fault[],
  deliverTwice: boolean,
  store = new MemoryStore(),
  rules: SessionRules = RULES,
) {
  const deps = { store, log: new MemoryLog(), rules, bounds: BOUNDS };
  await runLoop(records, deps, {
    batchSizes,
    deliverTwice,
    beforeAttempt: (attempt) => {
      const fault = faults[attempt];
      if (fault?.kind === 'state') store.failStateFor.add(`user-${fault.user}`);
      if (fault?.kind === 'lost-state') store.loseStateResponseFor.add(`user-${fault.user}`);
      if (fault?.kind === 'metrics') store.metricsWritesBeforeFailure = fault.landed;
      if (fault?.kind === 'lost-metrics') store.loseMetricsResponse = true;
    },
    afterAttempt: () => {
      store.failStateFor.clear();
      store.loseStateResponseFor.clear();
      store.metricsWritesBeforeFailure = undefined;
      store.loseMetricsResponse = false;
    },
  });
  return store;
}

/** What goes wrong in one attempt: a user's state write fails or lands unacknowledged, or metrics writes do. */
type Fault =
  { kind: 'none' } | { kind: 'state' | 'lost-state'; user: number } | { kind: 'metrics'; landed: number } | { kind: 'lost-metrics' };
const user = fc.integer({ min: 0, max: 3 });
const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant<Fault>({ kind: 'none' }),
  user.map((u): Fault => ({ kind: 'state', user: u })),
  user.map((u): Fault => ({ kind: 'lost-state', user: u })),
  fc.integer({ min: 0, max: 2 }).map((landed): Fault => ({ kind: 'metrics', landed })),
  fc.constant<Fault>({ kind: 'lost-metrics' }),
);

describe('sessionization properties', () => {
  it('a gap above the timeout always splits, a gap at or below never does', () => {
    fc.assert(
      fc.property(fc.array(gap, { minLength: 1, maxLength: 40 }), (gaps) => {
        let ts = T0;
        const events = gaps.map((g, i) => positioned(i, { timestamp: (ts += g), properties: { n: i } }));
        const out = applyUserEvents(emptyState('user-1'), SHARD, events, RULES);
        out.effects.forEach((effect, i) => {
          const expected = i === 0 || gaps[i]! > TIMEOUT;
          expect(effect.sessionStarted).toBe(expected);
        });
      }),
    );
  });

  it('every record is counted once: in exactly one session, or as late, duplicate or refused; sessions never overlap', async () => {
    // Any arrival order: timestamps are shuffled relative to positions, and cut into random batches.
    const shuffled = stream.chain((events) => fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }));
    await fc.assert(
      fc.asyncProperty(shuffled, fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }), async (events, sizes) => {
        const store = await runLikeLambda(toRecords(events), sizes, [], false);
        const { sessions, metrics } = store.snapshot();
        const applied = metrics.reduce((n, m) => n + m.events, 0);
        const late = metrics.reduce((n, m) => n + m.lateEvents, 0);
        const duplicates = metrics.reduce((n, m) => n + m.duplicates, 0);
        const refused = metrics.reduce((n, m) => n + m.refused, 0);
        expect(applied + late + duplicates + refused).toBe(events.length);
        expect(sessions.reduce((n, s) => n + s.eventCount, 0)).toBe(applied);
        for (let i = 1; i < sessions.length; i += 1) {
          const [prev, next] = [sessions[i - 1]!, sessions[i]!];
          if (prev.userId === next.userId) expect(next.startMs - prev.lastMs).toBeGreaterThan(TIMEOUT);
        }
        expect(metrics.reduce((n, m) => n + m.sessionsStarted, 0)).toBe(sessions.length);
      }),
    );
  });

  it('processing a batch twice, or any part of it again, changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(stream, fc.nat(), fc.nat(), async (events, a, b) => {
        const records = toRecords(events);
        const store = await runLikeLambda(records, [records.length], [], false);
        const before = store.snapshot();
        const [from, to] = [a % records.length, b % records.length].sort((x, y) => x - y);
        await runLikeLambda(records.slice(from, to! + 1), [7], [], true, store);
        await runLikeLambda(records, [records.length], [], false, store);
        expect(store.snapshot()).toEqual(before);
      }),
    );
  });

  it('batching, failed writes, retries and duplicate deliveries give the same sessions and metrics as one clean pass', async () => {
    await fc.assert(
      fc.asyncProperty(
        stream,
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 4 }),
        fc.array(fault, { maxLength: 30 }),
        fc.boolean(),
        async (events, sizes, faults, twice) => {
          const records = toRecords(events);
          const clean = (await runLikeLambda(records, [records.length], [], false)).snapshot();
          const messy = (await runLikeLambda(records, sizes, faults, twice)).snapshot();
          expect(messy).toEqual(clean);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) },
    );
  });

  it('attributes every session as a reference does: its first event, or for a direct one the last non-direct source within 90 days', async () => {
    await fc.assert(
      fc.asyncProperty(
        attributionStream,
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 4 }),
        fc.array(fault, { maxLength: 20 }),
        fc.boolean(),
        async (events, sizes, faults, twice) => {
          const { sessions } = (await runLikeLambda(toRecords(events), sizes, faults, twice)).snapshot();
          expect(sessions.map(trafficOf)).toEqual(referenceAttribution(events, sessions));
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 100) },
    );
  });

  it('a replay of any prefix or all of the input, in any batching, leaves sessions, user state and business metrics as one clean pass', async () => {
    // Few users, so that sessions grow long; small session bounds, so that replays cross them.
    const rules = fc
      .record({
        maxSessionEvents: fc.constantFrom(10, 25, 1000),
        maxSessionMs: fc.constantFrom(TIMEOUT, 3 * TIMEOUT, 12 * 60 * MINUTE),
      })
      .map((b): SessionRules => ({ ...RULES, ...b }));
    await fc.assert(
      fc.asyncProperty(
        longStream,
        rules,
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        async (events, r, sizes, replaySizes, cut) => {
          const records = toRecords(events);
          const clean = await runLikeLambda(records, [records.length], [], false, new MemoryStore(), r);
          const expected = businessView(clean);
          const store = await runLikeLambda(records, sizes, [], false, new MemoryStore(), r);
          const prefix = events.slice(0, 1 + (cut % events.length));
          await runLikeLambda(toRecords(prefix, records.length), replaySizes, [], false, store, r);
          expect(businessView(store)).toEqual(expected);
          await runLikeLambda(toRecords(events, records.length + prefix.length), replaySizes, [], false, store, r);
          expect(businessView(store)).toEqual(expected);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 100) },
    );
  });
});

/** Two users' events in time order, mostly close together, so that one session can hold hundreds of events. */
const longStream = fc
  .array(
    fc.record({
      user: fc.integer({ min: 0, max: 1 }),
      gap: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 60_000 }), weight: 40 }, { arbitrary: gap, weight: 1 }),
      type: fc.constantFrom(...EVENT_TYPES),
      page: fc.integer({ min: 0, max: 5 }),
      resend: fc.integer({ min: 0, max: 9 }),
    }),
    { minLength: 1, maxLength: 300, size: 'max' },
  )
  .map((picks) => {
    const clocks = [T0, T0];
    const sent: StreamEvent[][] = [[], []];
    return picks.map((p, i): StreamEvent => {
      const previous = sent[p.user]!;
      if (p.resend === 0 && previous.length > 0) return previous[i % previous.length]!;
      clocks[p.user]! += p.gap;
      const event = userEvent(p, clocks[p.user]!, i);
      previous.push(event);
      return event;
    });
  });

/** What a replay must not change: sessions, user state but its watermarks, and the metrics but duplicates, late and refused counts. */
function businessView(store: MemoryStore) {
  const { sessions, metrics } = store.snapshot();
  const states = [...store.states.values()]
    .map(({ watermarks: _w, sessionFingerprints, ...rest }) => ({ ...rest, sessionFingerprints: [...sessionFingerprints].sort() }))
    .sort((a, b) => a.userId.localeCompare(b.userId));
  const business = metrics
    .map(({ duplicates: _d, lateEvents: _l, refused: _r, refusedByReason: _rr, ...rest }) => rest)
    .filter((m) => m.events > 0);
  return { sessions, states, metrics: business };
}

const trafficOf = (s: Session) => [s.channel, s.source, s.medium, s.campaign];

/**
 * The attribution of each session (in the snapshot's order), worked out from the input alone: a session's first
 * event is the user's earliest-sent valid event at its start time (the stream is in time order per user); its own
 * traffic is what ARRIVALS says; GA4's rule is applied in start order, a direct session taking the last own
 * non-direct one when that started at most 90 days before.
 */
function referenceAttribution(events: readonly StreamEvent[], sessions: readonly Session[]): unknown[][] {
  const out: unknown[][] = [];
  let last: { own: readonly unknown[]; atMs: number } | undefined;
  sessions.forEach((session, i) => {
    if (i === 0 || sessions[i - 1]!.userId !== session.userId) last = undefined;
    const first = events.find((e) => typeof e.payload !== 'string' && e.payload['userId'] === session.userId && e.ts === session.startMs);
    const own = ARRIVALS[first!.arrival!]!.own;
    if (own[0] !== 'direct') {
      last = { own, atMs: session.startMs };
      out.push([...own]);
    } else {
      out.push([...(last !== undefined && session.startMs - last.atMs <= LOOKBACK ? last.own : own)]);
    }
  });
  return out;
}
