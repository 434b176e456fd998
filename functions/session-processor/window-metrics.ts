/** Aggregation of event effects into per-window, per-shard metrics: pure, and idempotent by watermark. */
import { sessionFingerprint } from './model';
import type { EventEffect, RefusedRecord, WindowMetrics } from './model';
import { revenueOf, windowStart } from './sessionize';

/** Distinct pages kept per window and shard; further pages are counted under {@link OTHER_PAGES}. */
export const MAX_PAGES_PER_WINDOW = 100;
export const OTHER_PAGES = '(other)';

/** An empty metrics item for a window of one shard. */
export function emptyWindow(windowStartMs: number, shardId: string): WindowMetrics {
  return {
    windowStartMs,
    shardId,
    watermark: undefined,
    events: 0,
    eventsByType: {},
    pageViews: 0,
    pageViewsByPage: {},
    conversions: 0,
    revenueMicros: 0,
    sessionsStarted: 0,
    activeUsers: 0,
    duplicates: 0,
    lateEvents: 0,
    alreadyCounted: 0,
    refused: 0,
    refusedByReason: {},
  };
}

/**
 * Folds effects into the windows of their event time, and refused records into the windows of their arrival. An effect at or below its window's watermark was counted
 * by an earlier attempt and is skipped, so a retried or duplicated batch adds nothing; so is an event applied
 * now that is in `alreadyCounted` (a pending-metrics marker: counted by a batch whose users were not written,
 * and now back at a new position, redriven). A copy found a duplicate or late is counted as such.
 * Returns only the windows that changed, each with its new watermark.
 */
export function aggregateEffects(
  effects: readonly EventEffect[],
  refusals: readonly RefusedRecord[],
  shardId: string,
  windowMs: number,
  prior: ReadonlyMap<number, WindowMetrics>,
  alreadyCounted: ReadonlySet<string> = new Set(),
): WindowMetrics[] {
  const changed = new Map<number, Mutable>();
  const windowFor = (ms: number, position: bigint): Mutable | undefined => {
    const start = windowStart(ms, windowMs);
    const before = prior.get(start);
    if (before?.watermark !== undefined && position <= before.watermark) return undefined;
    let w = changed.get(start);
    if (!w) {
      w = toMutable(before ?? emptyWindow(start, shardId));
      changed.set(start, w);
    }
    if (w.watermark === undefined || position > w.watermark) w.watermark = position;
    return w;
  };
  for (const effect of effects) {
    if (effect.kind === 'already_applied') continue;
    const w = windowFor(effect.event.timestampMs, effect.position);
    if (!w) continue;
    if (effect.kind === 'applied' && alreadyCounted.has(sessionFingerprint(effect.event.eventId))) w.alreadyCounted += 1;
    else addEffect(w, effect);
  }
  for (const r of refusals) {
    const w = windowFor(r.arrivalMs, r.position);
    if (!w) continue;
    w.refused += 1;
    w.refusedByReason[r.reason] = (w.refusedByReason[r.reason] ?? 0) + 1;
  }
  return [...changed.values()].sort((a, b) => a.windowStartMs - b.windowStartMs).map(({ pageCount: _count, ...w }) => w);
}

type Mutable = { -readonly [K in keyof WindowMetrics]: WindowMetrics[K] } & {
  eventsByType: Record<string, number>;
  pageViewsByPage: Record<string, number>;
  refusedByReason: Record<string, number>;
  /** Distinct pages in pageViewsByPage, kept so that the cap costs no key listing per page view. */
  pageCount: number;
};

function toMutable(w: WindowMetrics): Mutable {
  const pageViewsByPage = counts(w.pageViewsByPage);
  return {
    ...w,
    eventsByType: counts(w.eventsByType),
    pageViewsByPage,
    refusedByReason: counts(w.refusedByReason),
    pageCount: Object.keys(pageViewsByPage).length,
  };
}

/** A prototype-free copy, so that a page named like `__proto__` is only ever a key. */
export function counts(from: Readonly<Record<string, number>>): Record<string, number> {
  return Object.assign(Object.create(null) as Record<string, number>, from);
}

function addEffect(w: Mutable, effect: EventEffect): void {
  if (effect.kind === 'duplicate') {
    w.duplicates += 1;
    return;
  }
  if (effect.kind === 'late') {
    w.lateEvents += 1;
    return;
  }
  const { event } = effect;
  w.events += 1;
  w.eventsByType[event.eventType] = (w.eventsByType[event.eventType] ?? 0) + 1;
  if (event.eventType === 'page_view') {
    w.pageViews += 1;
    const known = w.pageViewsByPage[effect.page];
    if (known !== undefined) w.pageViewsByPage[effect.page] = known + 1;
    else if (w.pageCount < MAX_PAGES_PER_WINDOW) {
      w.pageViewsByPage[effect.page] = 1;
      w.pageCount += 1;
    } else w.pageViewsByPage[OTHER_PAGES] = (w.pageViewsByPage[OTHER_PAGES] ?? 0) + 1;
  }
  if (event.eventType === 'conversion') {
    w.conversions += 1;
    w.revenueMicros += revenueOf(event);
  }
  if (effect.sessionStarted) w.sessionsStarted += 1;
  if (effect.newActiveUser) w.activeUsers += 1;
}
