import {
  decodeSession,
  decodeState,
  decodeWindow,
  encodeSession,
  encodeState,
  encodeWindow,
} from '../../../functions/session-processor/item-codec';
import type { Item } from '../../../functions/session-processor/item-codec';
import type { Session, UserState, WindowMetrics } from '../../../functions/session-processor/model';

const LIFE = { sessionTtlDays: 7, metricsTtlDays: 90 };

/** A state with nothing in it but its user. */
const emptyish = (userId: string): UserState => ({
  userId,
  watermarks: {},
  sessionFingerprints: [],
  activeWindows: [],
  currentSession: undefined,
  lastNonDirect: undefined,
});
const START = Date.parse('2026-11-27T10:00:00.000Z');

const session: Session = {
  userId: 'u-1',
  sessionId: 'abc',
  clientSessionId: undefined,
  startMs: START,
  lastMs: START + 60_000,
  eventCount: 2,
  pageViews: 2,
  landingPage: '/',
  exitPage: '/cart',
  referrer: 'https://www.google.com/',
  utmSource: undefined,
  utmMedium: undefined,
  utmCampaign: 'winter',
  channel: 'organic_search',
  source: 'google',
  medium: 'organic',
  campaign: 'winter',
  converted: true,
  revenueMicros: 12_340_000,
  journey: ['/', '/cart'],
  journeyTimes: [START, START + 60_000],
  journeyCut: 0,
};

describe('the item codec', () => {
  it('leaves absent optional fields out of a session item and reads the session back whole', () => {
    const item = encodeSession(session, LIFE);
    expect(item).toMatchObject({
      sk: 'SESSION#2026-11-27T10:00:00.000Z',
      startTime: '2026-11-27T10:00:00.000Z',
      expiresAt: Math.floor((START + 60_000) / 1000) + 7 * 86_400,
    });
    expect(decodeSession(item)).toEqual(session);
  });

  it('keeps watermarks as decimal text and fingerprints as one binary attribute of 8 bytes each', () => {
    const state: UserState = {
      userId: 'u-1',
      watermarks: { 'shardId-000000000000': 2n ** 90n + 5n },
      sessionFingerprints: ['0011223344556677', '8899aabbccddeeff'],
      activeWindows: [START],
      currentSession: session,
      lastNonDirect: { channel: 'organic_search', source: 'google', medium: 'organic', campaign: 'winter', atMs: START },
    };
    const item = encodeState(state, LIFE);
    expect(item['watermarks']).toEqual({ 'shardId-000000000000': (2n ** 90n + 5n).toString() });
    expect(Buffer.from(item['fingerprints'] as Uint8Array).toString('hex')).toBe('00112233445566778899aabbccddeeff');
    expect(decodeState(item)).toEqual(state);
  });

  it('writes no fingerprints and no current session for a user without one', () => {
    const item = encodeState(
      { userId: 'u-2', watermarks: {}, sessionFingerprints: [], activeWindows: [], currentSession: undefined, lastNonDirect: undefined },
      LIFE,
    );
    expect(item['fingerprints']).toBeUndefined();
    expect(item['currentSession']).toBeUndefined();
    expect(item['lastNonDirect']).toBeUndefined();
  });

  it('reads a session item written before sessions had a channel, without one', () => {
    const withoutTraffic = ({ channel: _c, source: _s, medium: _m, campaign: _ca, ...rest }: Item): Item => rest;
    expect(decodeSession(withoutTraffic(encodeSession(session, LIFE)))).toEqual({
      ...session,
      channel: undefined,
      source: undefined,
      medium: undefined,
      campaign: undefined,
    });
  });

  it('reads a state item written before states kept the last non-direct source, without one', () => {
    const state: UserState = { ...emptyish('u-3'), currentSession: session };
    const withoutLastNonDirect = ({ lastNonDirect: _l, ...rest }: Item): Item => rest;
    const old = withoutLastNonDirect(encodeState({ ...state, lastNonDirect: undefined }, LIFE));
    expect(Object.keys(old)).not.toContain('lastNonDirect');
    expect(decodeState(old)).toEqual(state);
  });

  it('reads an unknown channel or an incomplete last non-direct source as absent', () => {
    expect(decodeSession({ ...encodeSession(session, LIFE), channel: 'carrier_pigeon' }).channel).toBeUndefined();
    const item = encodeState(
      { ...emptyish('u-4'), lastNonDirect: { channel: 'email', source: 'news', medium: 'email', campaign: 'x', atMs: START } },
      LIFE,
    );
    expect(decodeState({ ...item, lastNonDirect: { channel: 'email', source: 'news' } }).lastNonDirect).toBeUndefined();
  });

  it('keeps a state until its last non-direct source is past the 90-day lookback, when that is later than the session expiry', () => {
    const lastNonDirect = { channel: 'email' as const, source: 'news', medium: 'email', campaign: 'x', atMs: START };
    const kept = encodeState({ ...emptyish('u-5'), currentSession: session, lastNonDirect }, LIFE);
    expect(kept['expiresAt']).toBe(Math.floor(START / 1000) + 90 * 86_400);
    const later = { ...session, startMs: START + 100 * 86_400_000, lastMs: START + 100 * 86_400_000 };
    const expired = encodeState({ ...emptyish('u-5'), currentSession: later, lastNonDirect }, LIFE);
    expect(expired['expiresAt']).toBe(Math.floor(later.lastMs / 1000) + 7 * 86_400);
  });

  it('reads a window back with its counts in prototype-free maps', () => {
    const window: WindowMetrics = {
      windowStartMs: START,
      shardId: 'shardId-000000000000',
      watermark: 42n,
      events: 3,
      eventsByType: { page_view: 2, click: 1 },
      pageViews: 2,
      pageViewsByPage: { '/': 2 },
      conversions: 0,
      revenueMicros: 0,
      sessionsStarted: 1,
      activeUsers: 1,
      duplicates: 0,
      lateEvents: 0,
      alreadyCounted: 0,
      refused: 1,
      refusedByReason: { malformed_json: 1 },
    };
    const decoded = decodeWindow(encodeWindow(window, LIFE));
    expect(decoded).toEqual(window);
    expect(Object.getPrototypeOf(decoded.pageViewsByPage)).toBeNull();
  });
});
