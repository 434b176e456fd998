/** Conversion between the domain types and DynamoDB items. Maps become prototype-free objects on read. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SESSION_FINGERPRINT_BYTES } from './model';
import type { Session, UserState, WindowMetrics } from './model';
import { SESSION_SORT_PREFIX, STATE_SORT_KEY, TTL_ATTRIBUTE, sessionSortKey } from './table-schema';

type Item = Record<string, AttributeValue>;

const DAY_MS = 86_400_000;

/** Item lifetimes, in days after the last activity (sessions, states) or the window start (metrics). */
export interface Lifetimes {
  readonly sessionTtlDays: number;
  readonly metricsTtlDays: number;
}

const s = (v: string): AttributeValue => ({ S: v });
const n = (v: number | bigint): AttributeValue => ({ N: String(v) });
const optS = (item: Item, name: string, v: string | undefined): void => {
  if (v !== undefined) item[name] = s(v);
};
const expiry = (ms: number, days: number): AttributeValue => n(Math.floor((ms + days * DAY_MS) / 1000));

/** A closed session's item, keyed by user and start time. */
export function encodeSession(x: Session, life: Lifetimes): Item {
  return {
    ...sessionAttributes(x),
    sk: s(sessionSortKey(x.startMs)),
    [TTL_ATTRIBUTE]: expiry(x.lastMs, life.sessionTtlDays),
  };
}

function sessionAttributes(x: Session): Item {
  const item: Item = {
    userId: s(x.userId),
    sessionId: s(x.sessionId),
    startTime: s(new Date(x.startMs).toISOString()),
    lastActivityTime: s(new Date(x.lastMs).toISOString()),
    startMs: n(x.startMs),
    lastMs: n(x.lastMs),
    eventCount: n(x.eventCount),
    pageViews: n(x.pageViews),
    landingPage: s(x.landingPage),
    exitPage: s(x.exitPage),
    converted: { BOOL: x.converted },
    revenueMicros: n(x.revenueMicros),
    journey: { L: x.journey.map(s) },
    journeyTimes: { L: x.journeyTimes.map(n) },
    journeyCut: n(x.journeyCut),
  };
  optS(item, 'clientSessionId', x.clientSessionId);
  optS(item, 'referrer', x.referrer);
  optS(item, 'utmSource', x.utmSource);
  optS(item, 'utmMedium', x.utmMedium);
  optS(item, 'utmCampaign', x.utmCampaign);
  return item;
}

export function decodeSession(item: Item): Session {
  return {
    userId: str(item, 'userId'),
    sessionId: str(item, 'sessionId'),
    clientSessionId: optStr(item, 'clientSessionId'),
    startMs: num(item, 'startMs'),
    lastMs: num(item, 'lastMs'),
    eventCount: num(item, 'eventCount'),
    pageViews: num(item, 'pageViews'),
    landingPage: str(item, 'landingPage'),
    exitPage: str(item, 'exitPage'),
    referrer: optStr(item, 'referrer'),
    utmSource: optStr(item, 'utmSource'),
    utmMedium: optStr(item, 'utmMedium'),
    utmCampaign: optStr(item, 'utmCampaign'),
    converted: item['converted']?.BOOL === true,
    revenueMicros: num(item, 'revenueMicros'),
    journey: (item['journey']?.L ?? []).map((v) => v.S ?? ''),
    journeyTimes: (item['journeyTimes']?.L ?? []).map((v) => Number(v.N)),
    journeyCut: num(item, 'journeyCut'),
  };
}

/** The state item, with the current session inside it; it expires with that session. */
export function encodeState(x: UserState, life: Lifetimes): Item {
  const watermarks: Item = {};
  for (const [shard, position] of Object.entries(x.watermarks)) watermarks[shard] = s(position.toString());
  const item: Item = {
    userId: s(x.userId),
    sk: s(STATE_SORT_KEY),
    watermarks: { M: watermarks },
    activeWindows: { L: x.activeWindows.map(n) },
    [TTL_ATTRIBUTE]: expiry(x.currentSession?.lastMs ?? 0, life.sessionTtlDays),
  };
  if (x.sessionFingerprints.length > 0) item['fingerprints'] = { B: Buffer.from(x.sessionFingerprints.join(''), 'hex') };
  if (x.currentSession !== undefined) item['currentSession'] = { M: sessionAttributes(x.currentSession) };
  return item;
}

export function decodeState(item: Item): UserState {
  const watermarks = Object.create(null) as Record<string, bigint>;
  for (const [shard, v] of Object.entries(item['watermarks']?.M ?? {})) watermarks[shard] = BigInt(v.S ?? '0');
  const raw = item['fingerprints']?.B;
  const fps: string[] = [];
  if (raw) {
    const hex = Buffer.from(raw).toString('hex');
    for (let i = 0; i < hex.length; i += SESSION_FINGERPRINT_BYTES * 2) fps.push(hex.slice(i, i + SESSION_FINGERPRINT_BYTES * 2));
  }
  const current = item['currentSession']?.M;
  return {
    userId: str(item, 'userId'),
    watermarks,
    sessionFingerprints: fps,
    activeWindows: (item['activeWindows']?.L ?? []).map((v) => Number(v.N)),
    currentSession: current === undefined ? undefined : decodeSession(current),
  };
}

export function encodeWindow(x: WindowMetrics, life: Lifetimes): Item {
  return {
    windowStart: s(new Date(x.windowStartMs).toISOString()),
    shardId: s(x.shardId),
    watermark: s((x.watermark ?? 0n).toString()),
    events: n(x.events),
    eventsByType: { M: countMap(x.eventsByType) },
    pageViews: n(x.pageViews),
    pageViewsByPage: { M: countMap(x.pageViewsByPage) },
    conversions: n(x.conversions),
    revenueMicros: n(x.revenueMicros),
    sessionsStarted: n(x.sessionsStarted),
    activeUsers: n(x.activeUsers),
    duplicates: n(x.duplicates),
    lateEvents: n(x.lateEvents),
    refused: n(x.refused),
    refusedByReason: { M: countMap(x.refusedByReason) },
    [TTL_ATTRIBUTE]: expiry(x.windowStartMs, life.metricsTtlDays),
  };
}

export function decodeWindow(item: Item): WindowMetrics {
  return {
    windowStartMs: Date.parse(str(item, 'windowStart')),
    shardId: str(item, 'shardId'),
    watermark: item['watermark']?.S === undefined ? undefined : BigInt(item['watermark'].S),
    events: num(item, 'events'),
    eventsByType: countsOf(item['eventsByType']),
    pageViews: num(item, 'pageViews'),
    pageViewsByPage: countsOf(item['pageViewsByPage']),
    conversions: num(item, 'conversions'),
    revenueMicros: num(item, 'revenueMicros'),
    sessionsStarted: num(item, 'sessionsStarted'),
    activeUsers: num(item, 'activeUsers'),
    duplicates: num(item, 'duplicates'),
    lateEvents: num(item, 'lateEvents'),
    refused: num(item, 'refused'),
    refusedByReason: countsOf(item['refusedByReason']),
  };
}

/** True when an item of the sessions table is a session (not a state item). */
export function isSessionItem(item: Item): boolean {
  return item['sk']?.S?.startsWith(SESSION_SORT_PREFIX) === true;
}

function countMap(counts: Readonly<Record<string, number>>): Item {
  const m = Object.create(null) as Item;
  for (const [k, v] of Object.entries(counts)) m[k] = n(v);
  return m;
}

function countsOf(v: AttributeValue | undefined): Record<string, number> {
  const out = Object.create(null) as Record<string, number>;
  for (const [k, x] of Object.entries(v?.M ?? {})) out[k] = Number(x.N);
  return out;
}

function str(item: Item, name: string): string {
  return item[name]?.S ?? '';
}
function optStr(item: Item, name: string): string | undefined {
  return item[name]?.S;
}
function num(item: Item, name: string): number {
  const v = item[name]?.N;
  return v === undefined ? 0 : Number(v);
}
