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
    expect(out.sessions[0]).toMatchObject({ startMs: at(0), lastMs: at(60), eventCount: 3, pageViews: 3, landingPage: '/', exitPage: '/b' });
  });

  it('starts a new session after 30 minutes of inactivity', () => {
    const out = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/'), page(1, 30, '/a'), positioned(2, { timestamp: at(60) + 1 })], RULES);
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
    const out = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/?utm_campaign=winter&utm_source=news', { sessionId: 'c-9' }), page(1, 1, '/x?utm_campaign=other', { referrer: 'https://other.example/' })], RULES);
    expect(out.sessions[0]).toMatchObject({ clientSessionId: 'c-9', utmCampaign: 'winter', utmSource: 'news', referrer: 'https://www.google.com/' });
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

  it('counts a re-sent event with the same bytes as a duplicate and changes nothing', () => {
    const first = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/')], RULES);
    const again = applyUserEvents(first.state, SHARD, [page(1, 0, '/')], RULES);
    expect(again.effects.map((e) => e.kind)).toEqual(['duplicate']);
    expect(again.sessions).toEqual([]);
  });

  it('skips records at or below the shard watermark: a retried batch changes nothing', () => {
    const batch = [page(0, 0, '/'), page(1, 5, '/a')];
    const first = applyUserEvents(emptyState('user-1'), SHARD, batch, RULES);
    const retry = applyUserEvents(first.state, SHARD, batch, RULES);
    expect(retry.effects.map((e) => e.kind)).toEqual(['already_applied', 'already_applied']);
    expect(retry.state).toEqual(first.state);
    expect(retry.sessions).toEqual([]);
  });

  it('counts an event older than the current session as late, without changing any session', () => {
    const first = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 60, '/')], RULES);
    const late = applyUserEvents(first.state, SHARD, [page(1, 10, '/old')], RULES);
    expect(late.effects.map((e) => e.kind)).toEqual(['late']);
    expect(late.sessions).toEqual([]);
  });

  it('places an out-of-order event inside the current session in its journey position', () => {
    const first = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/a'), page(1, 20, '/c')], RULES);
    const next = applyUserEvents(first.state, SHARD, [page(2, 10, '/b')], RULES);
    expect(next.sessions[0]).toMatchObject({ journey: ['/a', '/b', '/c'], exitPage: '/c', lastMs: at(20), eventCount: 3 });
  });

  it('counts a user active once in a window longer than the timeout, across two sessions', () => {
    const hourly = { ...RULES, windowMs: 60 * MINUTE };
    const out = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/'), page(1, 45, '/a')], hourly);
    expect(out.effects.map((e) => [e.sessionStarted, e.newActiveUser])).toEqual([[true, true], [true, false]]);
  });

  it('counts a user active once per metrics window', () => {
    const out = applyUserEvents(emptyState('user-1'), SHARD, [page(0, 0, '/'), page(1, 1, '/a'), page(2, 6, '/b')], RULES);
    expect(out.effects.map((e) => e.newActiveUser)).toEqual([true, false, true]);
  });
});
