/**
 * An in-memory SessionStore with the DynamoDB adapter's semantics (a metrics item is written only if its
 * watermark is the one it was read with; a user's closed sessions before their state), for the benchmark
 * and unit tests. Not a stand-in for DynamoDB in the local runtime, which runs dynalite.
 */
import { MetricsConflictError } from './errors';
import type { Session, UserState, WindowMetrics } from './model';
import type { LoadedState, PendingMarker, SessionStore, UserWrite } from './ports';

export class MemorySessionStore implements SessionStore {
  readonly states = new Map<string, UserState>();
  /** Sessions by `${userId}|${startMs}`. */
  readonly sessions = new Map<string, Session>();
  /** Metrics by `${windowStart}|${shardId}`. */
  readonly metrics = new Map<string, WindowMetrics>();
  /** Pending-metrics markers by `${shardId}#${firstSequenceNumber}`. */
  readonly pending = new Map<string, PendingMarker>();

  load(shardId: string, userIds: readonly string[], windowStarts: readonly number[]): Promise<LoadedState> {
    const states = new Map<string, UserState>();
    for (const userId of userIds) {
      const state = this.states.get(userId);
      if (state) states.set(userId, state);
    }
    const metrics = new Map<number, WindowMetrics>();
    for (const windowStart of windowStarts) {
      const item = this.metrics.get(`${windowStart}|${shardId}`);
      if (item) metrics.set(windowStart, item);
    }
    return Promise.resolve({ states, metrics, pending: [...this.pending.values()] });
  }

  putPending(marker: PendingMarker, onlyIfPresent = false): Promise<void> {
    const key = `${marker.shardId}#${marker.firstSequenceNumber}`;
    if (onlyIfPresent && !this.pending.has(key)) return Promise.resolve();
    this.pending.set(key, marker);
    return Promise.resolve();
  }

  deletePending(marker: PendingMarker): Promise<void> {
    this.pending.delete(`${marker.shardId}#${marker.firstSequenceNumber}`);
    return Promise.resolve();
  }

  putMetrics(items: readonly WindowMetrics[], previous: ReadonlyMap<number, WindowMetrics>): Promise<void> {
    let failure: Error | undefined;
    for (const item of items) failure = this.putWindow(item, previous.get(item.windowStartMs)) ?? failure;
    return failure ? Promise.reject(failure) : Promise.resolve();
  }

  putUsers(writes: readonly UserWrite[]): Promise<{ failedUserIds: readonly string[] }> {
    const failedUserIds: string[] = [];
    for (const write of writes) {
      for (const session of write.sessions) this.sessions.set(`${session.userId}|${session.startMs}`, session);
      if (!this.putState(write.state)) failedUserIds.push(write.state.userId);
    }
    return Promise.resolve({ failedUserIds });
  }

  /** Writes one window item unless another writer moved it since `previous`; returns the failure, if any. */
  protected putWindow(item: WindowMetrics, previous: WindowMetrics | undefined): Error | undefined {
    const key = `${item.windowStartMs}|${item.shardId}`;
    if (this.metrics.get(key)?.watermark !== previous?.watermark) return new MetricsConflictError(String(item.windowStartMs), item.shardId);
    this.metrics.set(key, item);
    return undefined;
  }

  /** Writes one user's state; false when the caller must count the write as failed. */
  protected putState(state: UserState): boolean {
    this.states.set(state.userId, state);
    return true;
  }
}
