/** An in-memory SessionStore for unit and property tests, with switches to make writes fail. */
import type { Session, UserState, WindowMetrics } from '../../functions/session-processor/model';
import type { LoadedState, SessionStore, UserWrite } from '../../functions/session-processor/ports';
import { MetricsConflictError, RetryableStoreError } from '../../functions/session-processor/errors';

export class MemoryStore implements SessionStore {
  readonly states = new Map<string, UserState>();
  /** Sessions by `${userId}|${startMs}`. */
  readonly sessions = new Map<string, Session>();
  /** Metrics by `${windowStart}|${shardId}`. */
  readonly metrics = new Map<string, WindowMetrics>();
  /** Users whose state write fails (their session writes still succeed, as a partial BatchWrite would). */
  failStateFor = new Set<string>();
  /** Users whose state write lands but whose response is lost: the caller sees a failure. */
  loseStateResponseFor = new Set<string>();
  /** Window starts whose metrics write fails. */
  failMetricsFor = new Set<number>();
  /** When set, only this many window writes of the next putMetrics land; the rest fail. */
  metricsWritesBeforeFailure: number | undefined;
  /** The next putMetrics writes everything, then reports a failure (a lost response). */
  loseMetricsResponse = false;
  failLoad = false;

  load(shardId: string, userIds: readonly string[], windowStarts: readonly number[]): Promise<LoadedState> {
    if (this.failLoad) return Promise.reject(new RetryableStoreError('BatchGetItem', 'throttled'));
    const states = new Map<string, UserState>();
    for (const u of userIds) {
      const state = this.states.get(u);
      if (state) states.set(u, state);
    }
    const metrics = new Map<number, WindowMetrics>();
    for (const w of windowStarts) {
      const item = this.metrics.get(`${w}|${shardId}`);
      if (item) metrics.set(w, item);
    }
    return Promise.resolve({ states, metrics });
  }

  putMetrics(items: readonly WindowMetrics[], previous: ReadonlyMap<number, WindowMetrics>): Promise<void> {
    let failure: Error | undefined;
    let budget = this.metricsWritesBeforeFailure ?? Infinity;
    for (const item of items) {
      const key = `${item.windowStartMs}|${item.shardId}`;
      if (this.failMetricsFor.has(item.windowStartMs) || budget-- <= 0) {
        failure = new RetryableStoreError('PutItem', 'throttled');
        continue;
      }
      if (this.metrics.get(key)?.watermark !== previous.get(item.windowStartMs)?.watermark) {
        failure = new MetricsConflictError(String(item.windowStartMs), item.shardId);
        continue;
      }
      this.metrics.set(key, item);
    }
    if (this.loseMetricsResponse) failure ??= new RetryableStoreError('PutItem', 'socket hang up after the write');
    return failure ? Promise.reject(failure) : Promise.resolve();
  }

  putUsers(writes: readonly UserWrite[]): Promise<{ failedUserIds: readonly string[] }> {
    const failedUserIds: string[] = [];
    for (const w of writes) {
      for (const s of w.sessions) this.sessions.set(`${s.userId}|${s.startMs}`, s);
      if (this.failStateFor.has(w.state.userId)) {
        failedUserIds.push(w.state.userId);
        continue;
      }
      this.states.set(w.state.userId, w.state);
      if (this.loseStateResponseFor.has(w.state.userId)) failedUserIds.push(w.state.userId);
    }
    return Promise.resolve({ failedUserIds });
  }

  /** Everything stored except processing bookkeeping, sorted: what a user of the data would see. */
  snapshot(): { sessions: Session[]; metrics: Array<Omit<WindowMetrics, 'watermark'>> } {
    const current = [...this.states.values()].flatMap((s) => (s.currentSession ? [s.currentSession] : []));
    const sessions = [...this.sessions.values(), ...current].sort((a, b) => a.userId.localeCompare(b.userId) || a.startMs - b.startMs);
    const metrics = [...this.metrics.values()]
      .sort((a, b) => a.windowStartMs - b.windowStartMs || a.shardId.localeCompare(b.shardId))
      .map(({ watermark: _w, ...rest }) => ({ ...rest, eventsByType: { ...rest.eventsByType }, pageViewsByPage: { ...rest.pageViewsByPage }, refusedByReason: { ...rest.refusedByReason } }));
    return { sessions, metrics };
  }
}

/** A Log that keeps its lines for assertions. */
export class MemoryLog {
  readonly lines: Array<{ level: string; message: string; attributes: Record<string, unknown> }> = [];
  info(message: string, attributes: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, attributes });
  }
  warn(message: string, attributes: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, attributes });
  }
  error(message: string, attributes: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, attributes });
  }
}
