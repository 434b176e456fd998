/** The session-processor's outside world, as small interfaces: the store and the log. */
import type { Session, UserState, WindowMetrics } from './model';

/** What a batch needs to read before it can be applied. */
export interface LoadedState {
  /** Each user's state, with the current session, by user id. */
  readonly states: ReadonlyMap<string, UserState>;
  /** This shard's metrics item of each window, by window start. */
  readonly metrics: ReadonlyMap<number, WindowMetrics>;
  /**
   * Every shard's pending-metrics markers: events a batch counted in the metrics and whose users it could not
   * write. When such an event comes again (a retry from a later record, or a redrive) it changes the sessions
   * and not the metrics.
   */
  readonly pending: readonly PendingMarker[];
}

/** What a batch counted in the metrics before writing its users: kept until every user is written. */
export interface PendingMarker {
  readonly shardId: string;
  /** The batch's first sequence number: a retry of the same batch writes the same marker. */
  readonly firstSequenceNumber: string;
  /** The events' session fingerprints (`sessionFingerprint` in model.ts): 8 bytes each, as hex. */
  readonly fingerprints: readonly string[];
}

/** Everything written for one user after a batch: the sessions it closed, then the state (with the current session). */
export interface UserWrite {
  readonly state: UserState;
  readonly sessions: readonly Session[];
}

/** Persistence of sessions, user states and window metrics. */
export interface SessionStore {
  load(shardId: string, userIds: readonly string[], windowStarts: readonly number[]): Promise<LoadedState>;
  /**
   * Writes each window item if nobody changed it since `previous` was read. Throws a retryable error when
   * any write fails or loses the race.
   */
  putMetrics(items: readonly WindowMetrics[], previous: ReadonlyMap<number, WindowMetrics>): Promise<void>;
  /**
   * Writes every user's sessions before that user's state, so a state never covers an unwritten session.
   * Returns the users whose writes did not all succeed.
   */
  putUsers(writes: readonly UserWrite[]): Promise<{ readonly failedUserIds: readonly string[] }>;
  /**
   * Writes (or rewrites) a pending-metrics marker. With `onlyIfPresent`, a marker deleted meanwhile (by the
   * batch that owns it) is left deleted.
   */
  putPending(marker: PendingMarker, onlyIfPresent?: boolean): Promise<void>;
  /** Deletes a marker whose events are all applied. */
  deletePending(marker: PendingMarker): Promise<void>;
}

/** Structured log lines; Powertools Logger fits it. */
export interface Log {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}
