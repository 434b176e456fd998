/** The dashboard's range: read from the URL, written back to it, and resolved to the exact [from, to) asked for. */
import { nextWindowBoundary, parseRangeQuery, resolveRange, withRangeQuery } from '../../../dashboard/src/range';

const NOW = Date.parse('2026-11-27T18:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('parseRangeQuery', () => {
  it('reads a preset, with or without a pinned end', () => {
    expect(parseRangeQuery('?range=1h')).toEqual({ choice: { kind: 'preset', preset: '1h' } });
    expect(parseRangeQuery('?range=7d&end=2026-11-20T12:00:00Z')).toEqual({
      choice: { kind: 'preset', preset: '7d', end: Date.parse('2026-11-20T12:00:00Z') },
    });
  });

  it('defaults to the last 24 hours', () => {
    expect(parseRangeQuery('')).toEqual({ choice: { kind: 'preset', preset: '24h' } });
  });

  it('reads a custom range, which wins over a preset', () => {
    expect(parseRangeQuery('?range=1h&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z')).toEqual({
      choice: { kind: 'custom', from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-02T00:00:00Z') },
    });
  });

  it('falls back to the default and names the problem when the URL is wrong', () => {
    expect(parseRangeQuery('?range=2h')).toEqual({
      choice: { kind: 'preset', preset: '24h' },
      problem: 'range must be one of 1h, 24h, 7d (saw 2h)',
    });
    expect(parseRangeQuery('?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z').problem).toMatch(/^from must be before to/);
    expect(parseRangeQuery('?from=yesterday&to=2026-11-01T00:00:00Z').problem).toMatch(/^from and to must both be ISO-8601 times/);
    expect(parseRangeQuery('?range=1h&end=soon')).toEqual({
      choice: { kind: 'preset', preset: '1h' },
      problem: 'end must be an ISO-8601 time (saw soon)',
    });
  });
});

describe('withRangeQuery', () => {
  it('replaces the range parameters and keeps the others', () => {
    expect(withRangeQuery('?range=24h&end=x&theme=dark', { kind: 'preset', preset: '7d' })).toBe('?theme=dark&range=7d');
    expect(withRangeQuery('?range=24h', { kind: 'custom', from: 0, to: HOUR })).toBe(
      '?from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T01%3A00%3A00.000Z',
    );
  });

  it('round-trips through parseRangeQuery', () => {
    const choice = { kind: 'preset', preset: '1h', end: NOW } as const;
    expect(parseRangeQuery(withRangeQuery('', choice)).choice).toEqual(choice);
  });
});

describe('resolveRange', () => {
  it('ends a preset now while the newest event is inside its window', () => {
    expect(resolveRange({ kind: 'preset', preset: '24h' }, NOW, NOW - 2 * HOUR)).toEqual({
      from: NOW - DAY,
      to: NOW,
      choice: { kind: 'preset', preset: '24h' },
    });
    expect(resolveRange({ kind: 'preset', preset: '1h' }, NOW, undefined).to).toBe(NOW);
  });

  it('ends a preset just after the newest event, on the next 5-minute boundary, when that event is older than the window', () => {
    const newest = Date.parse('2026-11-25T09:41:07.000Z');
    const range = resolveRange({ kind: 'preset', preset: '24h' }, NOW, newest);
    expect(range).toMatchObject({
      to: Date.parse('2026-11-25T09:45:00.000Z'),
      from: Date.parse('2026-11-24T09:45:00.000Z'),
      anchoredAt: newest,
    });
  });

  it('keeps an event on a boundary inside the anchored range, which is half-open', () => {
    const newest = Date.parse('2026-11-25T09:45:00.000Z');
    expect(nextWindowBoundary(newest)).toBe(Date.parse('2026-11-25T09:50:00.000Z'));
  });

  it('ends a preset at a pinned end whatever the newest event', () => {
    const end = Date.parse('2026-11-20T12:00:00.000Z');
    expect(resolveRange({ kind: 'preset', preset: '7d', end }, NOW, end - 30 * DAY)).toEqual({
      from: end - 7 * DAY,
      to: end,
      choice: { kind: 'preset', preset: '7d', end },
    });
  });

  it('takes a custom range as it is', () => {
    expect(resolveRange({ kind: 'custom', from: 5, to: 10 }, NOW, 0)).toMatchObject({ from: 5, to: 10 });
  });
});
