/**
 * Sessionization of one user's events: pure, deterministic, and idempotent through the per-shard watermark
 * and the fingerprints of the current session's events kept in {@link UserState}.
 *
 * A session is bounded (as Adobe Analytics ends a visit after 12 hours or 2,500 hits): at most
 * `maxSessionEvents` applied events and `maxSessionMs` from its first event to its last. The bounds keep the
 * state item small (well under DynamoDB's 400 KB) and let it hold the fingerprint of every event of the
 * current session, so that a replay of any input, however long a user's session, is recognised whole:
 * - an event older than the current session's start is late (it changes nothing);
 * - an event whose fingerprint is the current session's is a duplicate (it changes nothing);
 * - every other event is applied once, and its fingerprint joins the session's.
 * A session never splits inside its own span, so every event of an earlier session is older than the
 * current one's start: a full session takes no event at or before its last activity (those count as late).
 *
 * A session's channel, source and medium are GA4's, decided when it starts: its first event's, or the user's last
 * non-direct source for a direct session (see session-attribution.ts). The state keeps that last non-direct source,
 * in the same item as the watermark, so retries and replays attribute every session as one clean pass does.
 */
import { hash } from 'node:crypto';
import { pagePath, queryParams } from '../shared/url';
import type { ClickEvent } from '../shared/event-contract';
import { attributeSession, eventSessionTraffic } from '../shared/traffic/session-attribution';
import type { SessionTraffic } from '../shared/traffic/session-attribution';
import { sessionFingerprint } from './model';
import type { EventEffect, PositionedEvent, Session, UserState } from './model';

export interface SessionRules {
  /** A gap longer than this between two events of a user starts a new session. */
  readonly timeoutMs: number;
  readonly windowMs: number;
  readonly journeyMaxPages: number;
  /** Applied events a session holds at most; the next later event starts a new session. */
  readonly maxSessionEvents: number;
  /** Longest span of a session; an event later than its start plus this starts a new session. */
  readonly maxSessionMs: number;
  /** This site's hosts besides the page's own, whose referrals count as none when a session's channel is classified. */
  readonly internalHosts: ReadonlySet<string>;
}

export interface UserOutcome {
  /** The new state, holding the user's current session. */
  readonly state: UserState;
  /** Sessions this batch created or changed, oldest first. */
  readonly sessions: Session[];
  /** Of those, the ones this batch closed (a later event started a new one): written as session items. */
  readonly closedSessions: Session[];
  /** One effect per input event, in processing order. */
  readonly effects: EventEffect[];
}

/** A fresh state for a user never seen before. */
export function emptyState(userId: string): UserState {
  return { userId, watermarks: {}, sessionFingerprints: [], activeWindows: [], currentSession: undefined, lastNonDirect: undefined };
}

/** Deterministic session id: the same user and start time always give the same id. */
export function sessionIdFor(userId: string, startMs: number): string {
  return hash('sha256', `${userId}\u0000${startMs}`, 'hex').slice(0, 32);
}

/** Start of the metrics window holding `ms`. */
export function windowStart(ms: number, windowMs: number): number {
  return Math.floor(ms / windowMs) * windowMs;
}

/** Events in processing order: event time, then shard position for equal times. */
export function byEventTime(a: PositionedEvent, b: PositionedEvent): number {
  const dt = a.event.timestampMs - b.event.timestampMs;
  if (dt !== 0) return dt;
  return a.position < b.position ? -1 : a.position > b.position ? 1 : 0;
}

/**
 * Applies one user's events from one shard to the user's state, which holds the current session.
 * An event at or below the shard watermark was applied before and changes nothing; an event whose
 * fingerprint is the current session's is a duplicate; an event older than the start of the current session
 * is late. Late and duplicate events are reported as effects so that they are counted, never dropped.
 */
export function applyUserEvents(prior: UserState, shardId: string, events: readonly PositionedEvent[], rules: SessionRules): UserOutcome {
  const watermark = prior.watermarks[shardId];
  // Fingerprints of the current session's events; a new session starts an empty set.
  let fingerprints = new Set(prior.sessionFingerprints);
  const activeWindows = [...prior.activeWindows];
  // One mutable copy of the current session per call: no object per event.
  let session: SessionDraft | undefined = prior.currentSession ? draftOf(prior.currentSession) : undefined;
  let lastNonDirect = prior.lastNonDirect;
  let highest = watermark;
  const touched = new Map<number, Session>();
  const effects: EventEffect[] = [];

  for (const item of inEventTimeOrder(events)) {
    const { event, position } = item;
    const page = pagePath(event.url);
    if (watermark !== undefined && position <= watermark) {
      effects.push({ position, kind: 'already_applied', event, sessionStarted: false, newActiveUser: false, page });
      continue;
    }
    if (highest === undefined || position > highest) highest = position;
    const fp = sessionFingerprint(event.eventId);
    if (fingerprints.has(fp)) {
      effects.push({ position, kind: 'duplicate', event, sessionStarted: false, newActiveUser: false, page });
      continue;
    }
    if (session !== undefined && (event.timestampMs < session.startMs || (isFull(session, rules) && event.timestampMs <= session.lastMs))) {
      effects.push({ position, kind: 'late', event, sessionStarted: false, newActiveUser: false, page });
      continue;
    }
    let sessionStarted = false;
    if (session === undefined || endsSession(session, event.timestampMs, rules)) {
      // The session this event ends is closed now, even if this batch did not change it: it needs its item.
      if (session !== undefined) touched.set(session.startMs, session);
      // A session's traffic is decided once, by its first event: a later event is never older than its start.
      const own = eventSessionTraffic(event.url, event.referrer, rules.internalHosts);
      const attribution = attributeSession(own, event.timestampMs, lastNonDirect);
      lastNonDirect = attribution.lastNonDirect;
      session = startSession(event, page, attribution.traffic);
      fingerprints = new Set();
      // Only windows from the new session's on can still be counted; earlier ones go. A window longer than
      // the timeout can hold both sessions, so it stays and the user is not counted twice. The list is
      // bounded by the session's longest span, so no window is ever forgotten while it can recur.
      const first = windowStart(event.timestampMs, rules.windowMs);
      while (activeWindows.length > 0 && activeWindows[0]! < first) activeWindows.shift();
      sessionStarted = true;
    } else {
      extendSession(session, event, page);
    }
    addPageView(session, event, page, rules.journeyMaxPages);
    touched.set(session.startMs, session);

    const window = windowStart(event.timestampMs, rules.windowMs);
    const newActiveUser = !activeWindows.includes(window);
    if (newActiveUser) insertSorted(activeWindows, window);
    fingerprints.add(fp);
    effects.push({ position, kind: 'applied', event, sessionStarted, newActiveUser, page });
  }

  const state: UserState = {
    userId: prior.userId,
    watermarks: highest === undefined ? prior.watermarks : withWatermark(prior.watermarks, shardId, highest),
    sessionFingerprints: [...fingerprints],
    activeWindows,
    currentSession: session,
    lastNonDirect,
  };
  const sessions = [...touched.values()].sort((a, b) => a.startMs - b.startMs);
  // The current session lives in the state; only sessions this batch closed get items of their own.
  return { state, sessions, closedSessions: sessions.filter((x) => x.startMs !== session?.startMs), effects };
}

/** True when the session holds as many events as a session may. */
function isFull(s: Session, rules: SessionRules): boolean {
  return s.eventCount >= rules.maxSessionEvents;
}

/** True when an event at `ms` (not older than the session's start) begins a new session. */
function endsSession(s: Session, ms: number, rules: SessionRules): boolean {
  return ms - s.lastMs > rules.timeoutMs || ms - s.startMs > rules.maxSessionMs || isFull(s, rules);
}

/** Keeps the window list in ascending order, so that dropping the windows before a session's start works from the front. */
function insertSorted(windows: number[], window: number): void {
  let at = windows.length;
  while (at > 0 && windows[at - 1]! > window) at -= 1;
  windows.splice(at, 0, window);
}

/** A session under construction: the only mutable one, owned by one applyUserEvents call. */
type SessionDraft = { -readonly [K in keyof Session]: Session[K] } & { journey: string[]; journeyTimes: number[] };

function draftOf(s: Session): SessionDraft {
  return { ...s, journey: [...s.journey], journeyTimes: [...s.journeyTimes] };
}

/** The events sorted by event time (then position); in-order input, the common case, is not copied. */
function inEventTimeOrder(events: readonly PositionedEvent[]): readonly PositionedEvent[] {
  for (let i = 1; i < events.length; i += 1) if (byEventTime(events[i - 1]!, events[i]!) > 0) return [...events].sort(byEventTime);
  return events;
}

/** Shards remembered per user; after resharding, the parents with the lowest positions are forgotten first. */
export const MAX_SHARD_WATERMARKS = 16;

function withWatermark(prior: Readonly<Record<string, bigint>>, shardId: string, position: bigint): Record<string, bigint> {
  const next: Record<string, bigint> = Object.assign(Object.create(null) as Record<string, bigint>, prior);
  next[shardId] = position;
  const shards = Object.keys(next);
  if (shards.length <= MAX_SHARD_WATERMARKS) return next;
  shards.sort((a, b) => (next[a]! < next[b]! ? -1 : 1));
  for (const shard of shards.slice(0, shards.length - MAX_SHARD_WATERMARKS)) delete next[shard];
  return next;
}

function startSession(event: ClickEvent, page: string, traffic: SessionTraffic): SessionDraft {
  const params = queryParams(event.url);
  return {
    userId: event.userId,
    sessionId: sessionIdFor(event.userId, event.timestampMs),
    clientSessionId: event.clientSessionId,
    startMs: event.timestampMs,
    lastMs: event.timestampMs,
    eventCount: 1,
    pageViews: 0,
    landingPage: page,
    exitPage: page,
    referrer: event.referrer,
    utmSource: params?.get('utm_source') ?? undefined,
    utmMedium: params?.get('utm_medium') ?? undefined,
    utmCampaign: params?.get('utm_campaign') ?? undefined,
    channel: traffic.channel,
    source: traffic.source,
    medium: traffic.medium,
    campaign: traffic.campaign,
    converted: event.eventType === 'conversion',
    revenueMicros: revenueOf(event),
    journey: [],
    journeyTimes: [],
    journeyCut: 0,
  };
}

function extendSession(s: SessionDraft, event: ClickEvent, page: string): void {
  if (event.timestampMs >= s.lastMs) {
    s.lastMs = event.timestampMs;
    s.exitPage = page;
  }
  s.clientSessionId ??= event.clientSessionId;
  s.eventCount += 1;
  if (event.eventType === 'conversion') s.converted = true;
  s.revenueMicros += revenueOf(event);
}

function addPageView(s: SessionDraft, event: ClickEvent, page: string, journeyMax: number): void {
  if (event.eventType !== 'page_view') return;
  s.pageViews += 1;
  if (s.journey.length >= journeyMax) {
    s.journeyCut += 1;
    return;
  }
  // After every entry at or before this time: in-order events append, late ones land in place.
  let at = s.journeyTimes.length;
  while (at > 0 && s.journeyTimes[at - 1]! > event.timestampMs) at -= 1;
  s.journey.splice(at, 0, page);
  s.journeyTimes.splice(at, 0, event.timestampMs);
}

/** Revenue of a conversion in millionths, when `properties.revenue` is a finite number. */
export function revenueOf(event: ClickEvent): number {
  if (event.eventType !== 'conversion') return 0;
  const revenue = event.properties?.['revenue'];
  return typeof revenue === 'number' && Number.isFinite(revenue) ? Math.round(revenue * 1e6) : 0;
}
