/**
 * Time ranges of the exports and the dashboard: a half-open [from, to) on event time, the rule for which
 * sessions and windows fall in one, and the UTC dates the archive is read for.
 */
import type { DateRange } from '../../queries';

/** A half-open time range [fromMs, toMs). */
export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Reads `--from`/`--to` or `?from=&to=`: ISO-8601 with a zone, or a date (midnight UTC). Throws naming the wrong one. */
export function parseTimeRange(from: string, to: string, names: { from: string; to: string } = { from: '--from', to: '--to' }): TimeRange {
  const parse = (text: string, name: string): number => {
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(text)
      ? Date.parse(`${text}T00:00:00Z`)
      : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text)
        ? Date.parse(text)
        : NaN;
    if (!Number.isFinite(ms))
      throw new Error(`${name} must be ISO-8601 with a zone (2026-11-27T10:00:00Z) or a date (2026-11-27); got ${JSON.stringify(text)}`);
    return ms;
  };
  const range = { fromMs: parse(from, names.from), toMs: parse(to, names.to) };
  if (range.fromMs >= range.toMs) throw new Error(`${names.from} (${from}) must be before ${names.to} (${to})`);
  return range;
}

/** Whether an instant (ISO-8601 text) lies in the range. */
export function within(range: TimeRange, iso: string): boolean {
  const ms = Date.parse(iso);
  return ms >= range.fromMs && ms < range.toMs;
}

/** Sessions that started in the range. */
export function sessionsIn<T extends { readonly start_time: string }>(sessions: readonly T[], range: TimeRange): T[] {
  return sessions.filter((s) => within(range, s.start_time));
}

/** Metrics windows that start in the range. */
export function windowsIn<T extends { readonly window_start: string }>(windows: readonly T[], range: TimeRange): T[] {
  return windows.filter((w) => within(range, w.window_start));
}

/** The UTC dates the range touches: what the archive, partitioned by day, is read for. */
export function datesOf(range: TimeRange): DateRange {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(range.fromMs), to: day(range.toMs - 1) };
}

/** Every date of an inclusive date range, `yyyy-MM-dd`. */
export function eachDate(days: DateRange): string[] {
  const out: string[] = [];
  for (let ms = Date.parse(`${days.from}T00:00:00Z`); ms <= Date.parse(`${days.to}T00:00:00Z`); ms += 86_400_000) {
    out.push(new Date(ms).toISOString().slice(0, 10));
  }
  return out;
}
