/**
 * The domain mapping between sessions, user states and windows and their DynamoDB items, as native values:
 * `@aws-sdk/lib-dynamodb`'s document client marshals them ({@link MARSHALL_OPTIONS}). Maps read back become
 * prototype-free objects.
 */
import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { CHANNELS } from '../shared/traffic/channel-group';
import type { ChannelId } from '../shared/traffic/channel-group';
import { LAST_NON_DIRECT_LOOKBACK_DAYS } from '../shared/traffic/session-attribution';
import type { LastNonDirect } from '../shared/traffic/session-attribution';
import { SESSION_FINGERPRINT_BYTES } from './model';
import type { Session, UserState, WindowMetrics } from './model';
import { SESSION_SORT_PREFIX, STATE_SORT_KEY, TTL_ATTRIBUTE, sessionSortKey } from './table-schema';

/** An item as the document client takes and gives it. */
export type Item = Record<string, NativeAttributeValue>;

/** How the document client marshals items: optional session fields left undefined are not written. */
export const MARSHALL_OPTIONS = { removeUndefinedValues: true } as const;

const DAY_MS = 86_400_000;

/** Item lifetimes, in days after the last activity (sessions, states) or the window start (metrics). */
export interface Lifetimes {
  readonly sessionTtlDays: number;
  readonly metricsTtlDays: number;
}

const expiresAt = (ms: number, days: number): number => Math.floor((ms + days * DAY_MS) / 1000);
const iso = (ms: number): string => new Date(ms).toISOString();

/** A closed session's item, keyed by user and start time. */
export function encodeSession(session: Session, life: Lifetimes): Item {
  return {
    ...sessionAttributes(session),
    sk: sessionSortKey(session.startMs),
    [TTL_ATTRIBUTE]: expiresAt(session.lastMs, life.sessionTtlDays),
  };
}

/** A session's attributes: its fields, and its times also as ISO text for people reading the table. */
function sessionAttributes(session: Session): Item {
  return {
    userId: session.userId,
    sessionId: session.sessionId,
    clientSessionId: session.clientSessionId,
    startTime: iso(session.startMs),
    lastActivityTime: iso(session.lastMs),
    startMs: session.startMs,
    lastMs: session.lastMs,
    eventCount: session.eventCount,
    pageViews: session.pageViews,
    landingPage: session.landingPage,
    exitPage: session.exitPage,
    referrer: session.referrer,
    utmSource: session.utmSource,
    utmMedium: session.utmMedium,
    utmCampaign: session.utmCampaign,
    channel: session.channel,
    source: session.source,
    medium: session.medium,
    campaign: session.campaign,
    converted: session.converted,
    revenueMicros: session.revenueMicros,
    journey: session.journey,
    journeyTimes: session.journeyTimes,
    journeyCut: session.journeyCut,
  };
}

export function decodeSession(item: Item): Session {
  return {
    userId: text(item['userId']),
    sessionId: text(item['sessionId']),
    clientSessionId: optionalText(item['clientSessionId']),
    startMs: number(item['startMs']),
    lastMs: number(item['lastMs']),
    eventCount: number(item['eventCount']),
    pageViews: number(item['pageViews']),
    landingPage: text(item['landingPage']),
    exitPage: text(item['exitPage']),
    referrer: optionalText(item['referrer']),
    utmSource: optionalText(item['utmSource']),
    utmMedium: optionalText(item['utmMedium']),
    utmCampaign: optionalText(item['utmCampaign']),
    // Absent from items written before sessions had a channel: they stay without one.
    channel: channelOf(item['channel']),
    source: optionalText(item['source']),
    medium: optionalText(item['medium']),
    campaign: optionalText(item['campaign']),
    converted: item['converted'] === true,
    revenueMicros: number(item['revenueMicros']),
    journey: list(item['journey']).map(text),
    journeyTimes: list(item['journeyTimes']).map(number),
    journeyCut: number(item['journeyCut']),
  };
}

/**
 * The state item, with the current session inside it. It expires with that session, or, when later, once the
 * user's last non-direct source is past the lookback of direct sessions: until then a returning user's direct
 * session still inherits it. Watermarks are kept as decimal text (record positions exceed a double's precision);
 * fingerprints as one binary attribute.
 */
export function encodeState(state: UserState, life: Lifetimes): Item {
  const watermarks: Record<string, string> = {};
  for (const [shardId, position] of Object.entries(state.watermarks)) watermarks[shardId] = position.toString();
  return {
    userId: state.userId,
    sk: STATE_SORT_KEY,
    watermarks,
    activeWindows: state.activeWindows,
    [TTL_ATTRIBUTE]: Math.max(
      expiresAt(state.currentSession?.lastMs ?? 0, life.sessionTtlDays),
      state.lastNonDirect === undefined ? 0 : expiresAt(state.lastNonDirect.atMs, LAST_NON_DIRECT_LOOKBACK_DAYS),
    ),
    fingerprints: state.sessionFingerprints.length > 0 ? Buffer.from(state.sessionFingerprints.join(''), 'hex') : undefined,
    currentSession: state.currentSession === undefined ? undefined : sessionAttributes(state.currentSession),
    lastNonDirect: state.lastNonDirect,
  };
}

export function decodeState(item: Item): UserState {
  const watermarks = Object.create(null) as Record<string, bigint>;
  for (const [shardId, position] of Object.entries(map(item['watermarks']))) watermarks[shardId] = BigInt(text(position) || '0');
  const raw: unknown = item['fingerprints'];
  const hex = raw instanceof Uint8Array ? Buffer.from(raw).toString('hex') : '';
  const width = SESSION_FINGERPRINT_BYTES * 2;
  const sessionFingerprints: string[] = [];
  for (let i = 0; i < hex.length; i += width) sessionFingerprints.push(hex.slice(i, i + width));
  const current: unknown = item['currentSession'];
  return {
    userId: text(item['userId']),
    watermarks,
    sessionFingerprints,
    activeWindows: list(item['activeWindows']).map(number),
    currentSession: current === undefined ? undefined : decodeSession(map(current)),
    lastNonDirect: decodeLastNonDirect(item['lastNonDirect']),
  };
}

/** The state's last non-direct source; undefined when absent (states written before it) or incomplete. */
function decodeLastNonDirect(value: unknown): LastNonDirect | undefined {
  if (value === undefined) return undefined;
  const m = map(value);
  const channel = channelOf(m['channel']);
  const source: unknown = m['source'];
  const medium: unknown = m['medium'];
  const campaign: unknown = m['campaign'];
  const atMs: unknown = m['atMs'];
  if (channel === undefined || typeof source !== 'string' || typeof medium !== 'string' || typeof campaign !== 'string') return undefined;
  return typeof atMs === 'number' ? { channel, source, medium, campaign, atMs } : undefined;
}

const CHANNEL_IDS: ReadonlySet<string> = new Set(CHANNELS);

function channelOf(value: unknown): ChannelId | undefined {
  return typeof value === 'string' && CHANNEL_IDS.has(value) ? (value as ChannelId) : undefined;
}

export function encodeWindow(window: WindowMetrics, life: Lifetimes): Item {
  return {
    windowStart: iso(window.windowStartMs),
    shardId: window.shardId,
    watermark: (window.watermark ?? 0n).toString(),
    events: window.events,
    eventsByType: window.eventsByType,
    pageViews: window.pageViews,
    pageViewsByPage: window.pageViewsByPage,
    conversions: window.conversions,
    revenueMicros: window.revenueMicros,
    sessionsStarted: window.sessionsStarted,
    activeUsers: window.activeUsers,
    duplicates: window.duplicates,
    lateEvents: window.lateEvents,
    alreadyCounted: window.alreadyCounted,
    refused: window.refused,
    refusedByReason: window.refusedByReason,
    [TTL_ATTRIBUTE]: expiresAt(window.windowStartMs, life.metricsTtlDays),
  };
}

export function decodeWindow(item: Item): WindowMetrics {
  const watermark: unknown = item['watermark'];
  return {
    windowStartMs: Date.parse(text(item['windowStart'])),
    shardId: text(item['shardId']),
    watermark: typeof watermark === 'string' ? BigInt(watermark) : undefined,
    events: number(item['events']),
    eventsByType: countsOf(item['eventsByType']),
    pageViews: number(item['pageViews']),
    pageViewsByPage: countsOf(item['pageViewsByPage']),
    conversions: number(item['conversions']),
    revenueMicros: number(item['revenueMicros']),
    sessionsStarted: number(item['sessionsStarted']),
    activeUsers: number(item['activeUsers']),
    duplicates: number(item['duplicates']),
    lateEvents: number(item['lateEvents']),
    // Absent from items written before the pending-metrics markers.
    alreadyCounted: item['alreadyCounted'] === undefined ? 0 : number(item['alreadyCounted']),
    refused: number(item['refused']),
    refusedByReason: countsOf(item['refusedByReason']),
  };
}

/** True when an item of the sessions table is a session (not a state item). */
export function isSessionItem(item: Item): boolean {
  return typeof item['sk'] === 'string' && item['sk'].startsWith(SESSION_SORT_PREFIX);
}

function countsOf(value: unknown): Record<string, number> {
  const out = Object.create(null) as Record<string, number>;
  for (const [key, count] of Object.entries(map(value))) out[key] = number(count);
  return out;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
function number(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function map(value: unknown): Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) ? value : {};
}
