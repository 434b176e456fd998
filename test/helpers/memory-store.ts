/** The in-memory SessionStore with switches that make its reads and writes fail, for unit and property tests. */
import { MemorySessionStore } from '../../functions/session-processor/memory-store';
import type { Session, UserState, WindowMetrics } from '../../functions/session-processor/model';
import type { LoadedState } from '../../functions/session-processor/ports';
import { RetryableStoreError } from '../../functions/session-processor/errors';

export class MemoryStore extends MemorySessionStore {
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
  private metricsBudget = Infinity;

  override load(shardId: string, userIds: readonly string[], windowStarts: readonly number[]): Promise<LoadedState> {
    if (this.failLoad) return Promise.reject(new RetryableStoreError('BatchGetItem', 'throttled'));
    return super.load(shardId, userIds, windowStarts);
  }

  override async putMetrics(items: readonly WindowMetrics[], previous: ReadonlyMap<number, WindowMetrics>): Promise<void> {
    this.metricsBudget = this.metricsWritesBeforeFailure ?? Infinity;
    await super.putMetrics(items, previous);
    if (this.loseMetricsResponse) throw new RetryableStoreError('PutItem', 'socket hang up after the write');
  }

  protected override putWindow(item: WindowMetrics, previous: WindowMetrics | undefined): Error | undefined {
    if (this.failMetricsFor.has(item.windowStartMs) || this.metricsBudget-- <= 0) return new RetryableStoreError('PutItem', 'throttled');
    return super.putWindow(item, previous);
  }

  protected override putState(state: UserState): boolean {
    if (this.failStateFor.has(state.userId)) return false;
    super.putState(state);
    return !this.loseStateResponseFor.has(state.userId);
  }

  /** Everything stored except processing bookkeeping, sorted: what a user of the data would see. */
  snapshot(): { sessions: Session[]; metrics: Array<Omit<WindowMetrics, 'watermark'>> } {
    const current = [...this.states.values()].flatMap((s) => (s.currentSession ? [s.currentSession] : []));
    const sessions = [...this.sessions.values(), ...current].sort((a, b) => a.userId.localeCompare(b.userId) || a.startMs - b.startMs);
    const metrics = [...this.metrics.values()]
      .sort((a, b) => a.windowStartMs - b.windowStartMs || a.shardId.localeCompare(b.shardId))
      .map(({ watermark: _w, ...rest }) => ({
        ...rest,
        eventsByType: { ...rest.eventsByType },
        pageViewsByPage: { ...rest.pageViewsByPage },
        refusedByReason: { ...rest.refusedByReason },
      }));
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
