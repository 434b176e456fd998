/** The figures a run reports, computed from what the pipeline stored, and their rendering for an 80-column terminal. */
import type { Session, WindowMetrics } from '../../functions/session-processor/model';

/** Exactly-once totals of the session path, read from the metrics table (each record counted once by watermark). */
export interface SessionPathTotals {
  readonly applied: number;
  readonly duplicates: number;
  readonly late: number;
  /** Applied to sessions, their metrics counted by an earlier failed batch (redriven). */
  readonly alreadyCounted: number;
  readonly refused: number;
  readonly refusedByReason: Readonly<Record<string, number>>;
}

export function sessionPathTotals(windows: readonly WindowMetrics[]): SessionPathTotals {
  const byReason: Record<string, number> = {};
  let applied = 0;
  let duplicates = 0;
  let late = 0;
  let alreadyCounted = 0;
  let refused = 0;
  for (const w of windows) {
    applied += w.events;
    duplicates += w.duplicates;
    late += w.lateEvents;
    alreadyCounted += w.alreadyCounted;
    refused += w.refused;
    for (const [k, v] of Object.entries(w.refusedByReason)) byReason[k] = (byReason[k] ?? 0) + v;
  }
  return { applied, duplicates, late, alreadyCounted, refused, refusedByReason: byReason };
}

/** The difference between two readings: what one run added. */
export function minusTotals(after: SessionPathTotals, before: SessionPathTotals): SessionPathTotals {
  const byReason: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.refusedByReason)) {
    const d = v - (before.refusedByReason[k] ?? 0);
    if (d !== 0) byReason[k] = d;
  }
  return {
    applied: after.applied - before.applied,
    duplicates: after.duplicates - before.duplicates,
    late: after.late - before.late,
    alreadyCounted: after.alreadyCounted - before.alreadyCounted,
    refused: after.refused - before.refused,
    refusedByReason: byReason,
  };
}

export interface SessionStats {
  readonly sessions: number;
  readonly users: number;
  readonly medianDurationS: number;
  readonly p90DurationS: number;
  readonly pagesPerSession: number;
  /** Share of sessions with at most one page view. */
  readonly bounceRate: number;
  readonly conversionRate: number;
  readonly revenue: number;
}

export function sessionStats(sessions: readonly Session[]): SessionStats {
  const durations = sessions.map((s) => (s.lastMs - s.startMs) / 1000).sort((a, b) => a - b);
  const n = sessions.length;
  return {
    sessions: n,
    users: new Set(sessions.map((s) => s.userId)).size,
    medianDurationS: quantile(durations, 0.5),
    p90DurationS: quantile(durations, 0.9),
    pagesPerSession: n === 0 ? 0 : sessions.reduce((a, s) => a + s.pageViews, 0) / n,
    bounceRate: n === 0 ? 0 : sessions.filter((s) => s.pageViews <= 1).length / n,
    conversionRate: n === 0 ? 0 : sessions.filter((s) => s.converted).length / n,
    revenue: sessions.reduce((a, s) => a + s.revenueMicros, 0) / 1e6,
  };
}

/** Nearest-rank quantile of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The busiest windows by applied events. */
export function busiestWindows(windows: readonly WindowMetrics[], count: number): WindowMetrics[] {
  return [...windows].sort((a, b) => b.events - a.events || a.windowStartMs - b.windowStartMs).slice(0, count);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m}m${String(s).padStart(2, '0')}s`;
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A plain table with right-aligned numbers, for the terminal. */
export function table(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = [headers.map(String), ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const line = (r: readonly string[]) =>
    `  ${r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()}`;
  return [line(cells[0]!), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
