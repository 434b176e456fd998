/** Numbers and times as people read them. Pure: no DOM. Figures use en-US grouping (`12,345`) whatever the browser. */

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Shown for a figure that does not exist (a rate without sessions). */
export const NONE = '—';

export function formatCount(value: number | null): string {
  return value === null ? NONE : count.format(value);
}

/** An amount without a currency sign: `1,234.50`. */
export function formatMoney(value: number | null): string {
  return value === null ? NONE : money.format(value);
}

/** A ratio (0–1) as a percentage: `3.2%`. */
export function formatPercent(ratio: number | null): string {
  return ratio === null ? NONE : percent.format(ratio);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Seconds as `45s`, `4m 05s` or `2h 03m`. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return NONE;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad2(Math.floor((s % 3600) / 60))}m`;
}

/** A local date and time to the minute: `2026-11-27 16:05`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** A local time of day to the second: `16:05:12`. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** `ms` as a `datetime-local` input's value (local time, to the minute). */
export function toLocalInput(ms: number): string {
  return formatTime(ms).replace(' ', 'T');
}

/** A `datetime-local` input's value as epoch ms, or undefined when empty or invalid (a time without offset is local). */
export function fromLocalInput(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** How long ago `ms` was: `just now`, `1 minute ago`, `3 hours ago`, `2 days ago`. */
export function formatAgo(ms: number, nowMs: number): string {
  const minutes = Math.floor((nowMs - ms) / 60_000);
  if (minutes < 1) return 'just now';
  const [n, unit] =
    minutes < 120 ? [minutes, 'minute'] : minutes < 48 * 60 ? [Math.floor(minutes / 60), 'hour'] : [Math.floor(minutes / 1440), 'day'];
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}

/** The note on an archive panel: `by whole UTC days 2026-11-26–2026-11-27` (the archive is partitioned by day). */
export function formatDays(fromDate: string, toDate: string): string {
  return fromDate === toDate ? `by whole UTC day ${fromDate}` : `by whole UTC days ${fromDate}–${toDate}`;
}

/** An exact local time: to the minute, with seconds only when it has them. */
export function formatInstant(ms: number): string {
  const d = new Date(ms);
  return d.getSeconds() || d.getMilliseconds() ? `${formatTime(ms)}:${pad2(d.getSeconds())}` : formatTime(ms);
}

/** The browser's offset from UTC at `ms`: `UTC`, `UTC+01:00`, `UTC−05:30`. */
export function formatZone(ms: number): string {
  const offset = -new Date(ms).getTimezoneOffset();
  if (offset === 0) return 'UTC';
  const abs = Math.abs(offset);
  return `UTC${offset > 0 ? '+' : '−'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}
