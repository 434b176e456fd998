/**
 * The dashboard's panels, computed from what a source read: the exported sessions and windows of
 * `clickstream export`, the rows of the named queries of `clickstream query`. Sums and counts only; no metric
 * is defined twice.
 */
import type {
  ChannelSessions,
  FunnelResponse,
  HealthResponse,
  PageCount,
  PagesResponse,
  RangeEcho,
  SessionRow,
  SessionsResponse,
  SummaryResponse,
  WindowPoint,
  WindowsResponse,
} from '../../dashboard/api';
import type { MetricsExport, SessionExport } from '../commands/export';
import { quantile } from '../runtime/report';
import { datesOf, sessionsIn, windowsIn } from '../runtime/time-range';
import type { TimeRange } from '../runtime/time-range';

/** Rows a list panel shows. */
const TOP_ROWS = 20;
const SESSION_ROWS = 50;

export function rangeEcho(range: TimeRange): RangeEcho {
  const days = datesOf(range);
  return { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(), fromDate: days.from, toDate: days.to };
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
/** Money as the exports give it, summed without binary drift (to the millionth). */
const money = (values: readonly number[]): number => Math.round(sum(values.map((v) => Math.round(v * 1e6)))) / 1e6;

export function summary(sessions: readonly SessionExport[], windows: readonly MetricsExport[], range: TimeRange): SummaryResponse {
  const s = sessionsIn(sessions, range);
  const w = windowsIn(windows, range);
  const lengths = s.map((x) => (Date.parse(x.last_activity_time) - Date.parse(x.start_time)) / 1000).sort((a, b) => a - b);
  const share = (n: number) => (s.length === 0 ? null : n / s.length);
  return {
    range: rangeEcho(range),
    events: sum(w.map((x) => sum(Object.values(x.events_by_type)))),
    sessions: s.length,
    activeUsers: new Set(s.map((x) => x.user_id)).size,
    conversions: sum(w.map((x) => x.conversions)),
    revenue: money(w.map((x) => x.revenue)),
    conversionRate: share(s.filter((x) => x.converted).length),
    medianSessionSeconds: s.length === 0 ? null : quantile(lengths, 0.5),
    bounceRate: share(s.filter((x) => x.page_views === 1).length),
  };
}

/** The range's windows with all shards of a window together (users are split by shard, so their sum is exact). */
export function windowSeries(windows: readonly MetricsExport[], range: TimeRange): WindowsResponse {
  const byStart = new Map<string, { eventsByType: Record<string, number>; activeUsers: number }>();
  const types = new Set<string>();
  for (const w of windowsIn(windows, range)) {
    const point = byStart.get(w.window_start) ?? { eventsByType: {}, activeUsers: 0 };
    for (const [type, n] of Object.entries(w.events_by_type)) {
      point.eventsByType[type] = (point.eventsByType[type] ?? 0) + n;
      types.add(type);
    }
    point.activeUsers += w.active_users;
    byStart.set(w.window_start, point);
  }
  const points: WindowPoint[] = [...byStart]
    .filter(([, p]) => sum(Object.values(p.eventsByType)) > 0)
    .sort(([a], [b]) => Date.parse(a) - Date.parse(b))
    .map(([start, p]) => ({ start, ...p }));
  return { range: rangeEcho(range), eventTypes: [...types].sort(), windows: points };
}

function top(counts: ReadonlyMap<string, number>): PageCount[] {
  return [...counts]
    .sort(([pa, a], [pb, b]) => b - a || (pa < pb ? -1 : 1))
    .slice(0, TOP_ROWS)
    .map(([page, count]) => ({ page, count }));
}

function countBy<T>(items: readonly T[], key: (item: T) => string, weight: (item: T) => number = () => 1): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + weight(item));
  return counts;
}

export function pages(sessions: readonly SessionExport[], windows: readonly MetricsExport[], range: TimeRange): PagesResponse {
  const views = new Map<string, number>();
  for (const w of windowsIn(windows, range)) {
    for (const [page, n] of Object.entries(w.page_views_by_page)) views.set(page, (views.get(page) ?? 0) + n);
  }
  const s = sessionsIn(sessions, range);
  return {
    range: rangeEcho(range),
    top: top(views),
    landing: top(countBy(s, (x) => x.landing_page)),
    exit: top(countBy(s, (x) => x.exit_page)),
  };
}

/** The funnel from the one row of `funnel.sql`. */
export function funnel(rows: ReadonlyArray<Record<string, unknown>>, range: TimeRange): FunnelResponse {
  const row = rows[0] ?? {};
  const counts = [row['sessions_with_page_view'], row['then_form_submit'], row['then_conversion']].map((v) => Number(v ?? 0));
  const steps = (['page_view', 'form_submit', 'conversion'] as const).map((step, i) => ({
    step,
    sessions: counts[i]!,
    dropOff: i === 0 ? null : counts[i - 1]! === 0 ? null : 1 - counts[i]! / counts[i - 1]!,
  }));
  return { range: rangeEcho(range), steps };
}

function sessionRow(s: SessionExport): SessionRow {
  return {
    user_id: s.user_id,
    session_id: s.session_id,
    start_time: s.start_time,
    last_activity_time: s.last_activity_time,
    event_count: s.event_count,
    page_views: s.page_views,
    landing_page: s.landing_page,
    exit_page: s.exit_page,
    channel: s.channel,
    converted: s.converted,
    revenue: s.revenue,
    journey: s.journey,
  };
}

/** Sessions, conversions and revenue by the sessions' own channel, most sessions first. */
export function sessionsByChannel(sessions: readonly SessionExport[]): ChannelSessions[] {
  const totals = new Map<string, { sessions: number; conversions: number; revenueMicros: number }>();
  for (const s of sessions) {
    const channel = s.channel ?? NO_CHANNEL;
    const t = totals.get(channel) ?? { sessions: 0, conversions: 0, revenueMicros: 0 };
    t.sessions += 1;
    if (s.converted) t.conversions += 1;
    t.revenueMicros += Math.round(s.revenue * 1e6);
    totals.set(channel, t);
  }
  return [...totals]
    .map(([channel, t]) => ({ channel, sessions: t.sessions, conversions: t.conversions, revenue: t.revenueMicros / 1e6 }))
    .sort((a, b) => b.sessions - a.sessions || a.channel.localeCompare(b.channel));
}

/** The channel of sessions stored before sessions had one. */
export const NO_CHANNEL = '(none)';

/** The range's sessions, newest first, of the users whose id contains `user` when given. */
export function recentSessions(sessions: readonly SessionExport[], range: TimeRange, user?: string): SessionsResponse {
  const needle = user?.trim().toLowerCase();
  const matched = sessionsIn(sessions, range)
    .filter((s) => !needle || s.user_id.toLowerCase().includes(needle))
    .sort((a, b) => Date.parse(b.start_time) - Date.parse(a.start_time) || (a.session_id < b.session_id ? -1 : 1));
  return {
    range: rangeEcho(range),
    sessions: matched.slice(0, SESSION_ROWS).map(sessionRow),
    total: matched.length,
    channels: sessionsByChannel(matched),
  };
}

/** The latest activity of any session, epoch ms; undefined without sessions. */
export function newestSessionEventMs(sessions: readonly SessionExport[]): number | undefined {
  const newest = sessions.reduce((max, s) => Math.max(max, Date.parse(s.last_activity_time)), -Infinity);
  return Number.isFinite(newest) ? newest : undefined;
}

export interface HealthFacts {
  readonly archiveObjects: number;
  readonly newestArchiveEventMs: number | undefined;
}

export function health(
  sessions: readonly SessionExport[],
  windows: readonly MetricsExport[],
  range: TimeRange,
  facts: HealthFacts,
): HealthResponse {
  const w = windowsIn(windows, range);
  const byReason: Record<string, number> = {};
  for (const x of w) for (const [reason, n] of Object.entries(x.refused_by_reason)) byReason[reason] = (byReason[reason] ?? 0) + n;
  const newestSession = newestSessionEventMs(sessions);
  return {
    range: rangeEcho(range),
    refusedByReason: Object.fromEntries(Object.entries(byReason).sort(([, a], [, b]) => b - a)),
    refused: sum(w.map((x) => x.refused)),
    duplicates: sum(w.map((x) => x.duplicates)),
    late: sum(w.map((x) => x.late_events)),
    archiveObjects: facts.archiveObjects,
    newestSessionEvent: newestSession === undefined ? null : new Date(newestSession).toISOString(),
    newestArchiveEvent: facts.newestArchiveEventMs === undefined ? null : new Date(facts.newestArchiveEventMs).toISOString(),
  };
}
