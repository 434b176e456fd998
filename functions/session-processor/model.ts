/** The session-processor's domain types: what is kept per session, per user and per metrics window. */
import type { ClickEvent } from '../shared/event-contract';
import type { ChannelId } from '../shared/traffic/channel-group';
import type { LastNonDirect } from '../shared/traffic/session-attribution';

/** A user's session, as stored and exported. Times are epoch milliseconds UTC. */
export interface Session {
  readonly userId: string;
  /** Deterministic: a hash of the user id and the start time, so every run gives the same id. */
  readonly sessionId: string;
  readonly clientSessionId: string | undefined;
  readonly startMs: number;
  readonly lastMs: number;
  readonly eventCount: number;
  readonly pageViews: number;
  readonly landingPage: string;
  readonly exitPage: string;
  readonly referrer: string | undefined;
  readonly utmSource: string | undefined;
  readonly utmMedium: string | undefined;
  readonly utmCampaign: string | undefined;
  /**
   * GA4's default channel group, source, medium and campaign of the session: its first event's, or, when that is
   * direct, the user's last non-direct within the lookback (functions/shared/traffic/session-attribution.ts).
   * Undefined only in items written before sessions had them.
   */
  readonly channel: ChannelId | undefined;
  readonly source: string | undefined;
  readonly medium: string | undefined;
  readonly campaign: string | undefined;
  readonly converted: boolean;
  /** Revenue in millionths, summed as integers so that retries and batching cannot change the total. */
  readonly revenueMicros: number;
  /** Page paths of the session's page views in event-time order, at most `journeyMaxPages`. */
  readonly journey: readonly string[];
  /** Event time of each journey entry, so that an out-of-order page view lands in its place. */
  readonly journeyTimes: readonly number[];
  /** Page views left out of `journey` once it was full. */
  readonly journeyCut: number;
}

/** What the processor remembers per user between batches. */
export interface UserState {
  readonly userId: string;
  /** Highest record position applied, per shard (see {@link recordPosition}). */
  readonly watermarks: Readonly<Record<string, bigint>>;
  /**
   * Fingerprints ({@link sessionFingerprint}) of every event applied to the current session: a record with
   * one of them is a duplicate. Bounded by the session's maximum number of events.
   */
  readonly sessionFingerprints: readonly string[];
  /** Metrics windows (start, epoch ms) in which the user was already counted active during the current session. */
  readonly activeWindows: readonly number[];
  /**
   * The user's current (latest) session. It lives here, in the same item as the watermark, so that the two
   * change together: a session item is only a queryable copy, rewritten from this on every retry.
   */
  readonly currentSession: Session | undefined;
  /** The traffic of the user's latest session whose own first event was not direct, and its start: direct sessions inherit it. */
  readonly lastNonDirect: LastNonDirect | undefined;
}

/** A valid event with its place in the shard. */
export interface PositionedEvent {
  readonly position: bigint;
  readonly sequenceNumber: string;
  readonly event: ClickEvent;
}

/** What applying one event did; metrics are derived from these, never from the raw events. */
export type EffectKind = 'applied' | 'duplicate' | 'late' | 'already_applied';

export interface EventEffect {
  readonly position: bigint;
  readonly kind: EffectKind;
  readonly event: ClickEvent;
  /** The event started a new session. */
  readonly sessionStarted: boolean;
  /** First event of this user counted in this event's metrics window. */
  readonly newActiveUser: boolean;
  readonly page: string;
}

/** Aggregated figures of one metrics window from one shard. */
export interface WindowMetrics {
  readonly windowStartMs: number;
  readonly shardId: string;
  /** Highest record position of this shard already counted in this window. */
  readonly watermark: bigint | undefined;
  readonly events: number;
  readonly eventsByType: Readonly<Record<string, number>>;
  readonly pageViews: number;
  readonly pageViewsByPage: Readonly<Record<string, number>>;
  readonly conversions: number;
  readonly revenueMicros: number;
  readonly sessionsStarted: number;
  readonly activeUsers: number;
  readonly duplicates: number;
  readonly lateEvents: number;
  /**
   * Events applied to their users whose business metrics an earlier batch had counted (a pending-metrics
   * marker's, redriven): they change the sessions, and are counted here instead of again.
   */
  readonly alreadyCounted: number;
  /** Records refused by the contract, counted in the window of their arrival time (they have no valid event time). */
  readonly refused: number;
  readonly refusedByReason: Readonly<Record<string, number>>;
}

/** A refused record's place in the shard and the window it is counted in. */
export interface RefusedRecord {
  readonly position: bigint;
  readonly arrivalMs: number;
  readonly reason: string;
}

/** Bytes of an event fingerprint kept in a user's state (the leading bytes of its `eventId`). */
export const SESSION_FINGERPRINT_BYTES = 8;

/**
 * The short fingerprint kept per applied event: the first {@link SESSION_FINGERPRINT_BYTES} bytes of the event
 * id, as hex. Within one session of at most a few thousand events, 64 bits make a collision negligible.
 */
export function sessionFingerprint(eventId: string): string {
  return eventId.slice(0, SESSION_FINGERPRINT_BYTES * 2);
}

/** Bits of a record position given to the KPL sub-sequence number (an aggregate holds far fewer). */
const SUB_SEQUENCE_BITS = 20n;

/** A total order over user records in one shard: sequence number, then KPL sub-sequence number. */
export function recordPosition(sequenceNumber: string, subSequenceNumber: number): bigint {
  return (BigInt(sequenceNumber) << SUB_SEQUENCE_BITS) | BigInt(subSequenceNumber);
}
