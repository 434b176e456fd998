/** How the dashboard writes figures for people. */
import { formatAgo, formatCount, formatDays, formatDuration, formatMoney, formatPercent } from '../../../dashboard/src/format';

describe('the dashboard formats', () => {
  it('writes counts with grouping, amounts with two decimals and no currency, ratios as percentages', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatMoney(1234.5)).toBe('1,234.50');
    expect(formatPercent(0.032)).toBe('3.2%');
  });

  it('writes a missing figure as a dash', () => {
    for (const format of [formatCount, formatMoney, formatPercent, formatDuration]) expect(format(null)).toBe('—');
  });

  it('writes durations in seconds, minutes and hours', () => {
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(245)).toBe('4m 05s');
    expect(formatDuration(7380)).toBe('2h 03m');
  });

  it('says how long ago a time was', () => {
    const now = Date.parse('2026-11-27T18:00:00Z');
    expect(formatAgo(now - 20_000, now)).toBe('just now');
    expect(formatAgo(now - 60_000, now)).toBe('1 minute ago');
    expect(formatAgo(now - 90 * 60_000, now)).toBe('90 minutes ago');
    expect(formatAgo(now - 5 * 3_600_000, now)).toBe('5 hours ago');
    expect(formatAgo(now - 3 * 86_400_000, now)).toBe('3 days ago');
  });

  it('names the archive’s days', () => {
    expect(formatDays('2026-11-26', '2026-11-27')).toBe('by whole UTC days 2026-11-26–2026-11-27');
    expect(formatDays('2026-11-27', '2026-11-27')).toBe('by whole UTC day 2026-11-27');
  });
});
