/**
 * ISO-8601 event times read from the pattern's parts are the instants `Date.parse` gives, for every accepted text;
 * an instant outside the years 0000 to 9999 in UTC (an early 0000 text with a positive offset, a late 9999 text
 * with a negative one) is none.
 */
import fc from 'fast-check';
import { FIRST_ARCHIVE_MS, LAST_ARCHIVE_MS, parseTimestamp } from '../../../functions/shared/timestamps';

const two = (n: number) => String(n).padStart(2, '0');

const zone = fc.oneof(
  fc.constant('Z'),
  fc
    .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.boolean())
    .map(([sign, hours, minutes, colon]) => `${sign}${two(hours)}${colon ? ':' : ''}${two(minutes)}`),
);

describe('parseTimestamp', () => {
  it('reads every valid ISO-8601 text as Date.parse does, for any year from 0 to 9999, fraction and zone, within the years 0000 to 9999 in UTC', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
        fc.boolean(),
        fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
        zone,
        (date, withSeconds, fraction, offset) => {
          const iso = date.toISOString();
          const seconds = withSeconds ? `${iso.slice(16, 19)}${fraction === undefined ? '' : `.${fraction}`}` : '';
          const text = `${iso.slice(0, 16)}${seconds}${offset}`;
          const instant = Date.parse(text);
          expect(parseTimestamp(text)).toBe(instant >= FIRST_ARCHIVE_MS && instant <= LAST_ARCHIVE_MS ? instant : undefined);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });

  it('reads an epoch number as it reads the same number written as text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 1, max: 2 ** 53 }),
          fc.integer({ min: 1, max: 99_999_999_999_999 }).map((ms) => ms / 1000),
          fc.double({ min: Number.MIN_VALUE, max: 1e17, noNaN: true }),
        ),
        (n) => {
          const text = String(n);
          if (/^\d{1,16}(\.\d{1,9})?$/.test(text)) expect(parseTimestamp(n)).toBe(parseTimestamp(text));
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });

  it('refuses impossible dates, times and offsets instead of rolling them over', () => {
    for (const text of [
      '2026-02-29T10:00:00Z',
      '2026-04-31T10:00:00Z',
      '2026-13-01T10:00:00Z',
      '2026-00-10T10:00:00Z',
      '2026-11-00T10:00:00Z',
      '2026-11-27T24:00:00Z',
      '2026-11-27T10:60:00Z',
      '2026-11-27T10:00:60Z',
      '2026-11-27T10:00:00+24:00',
      '2026-11-27T10:00:00-01:60',
    ])
      expect(parseTimestamp(text)).toBeUndefined();
    expect(parseTimestamp('2024-02-29T10:00:00.1239Z')).toBe(Date.UTC(2024, 1, 29, 10, 0, 0, 123));
    expect(parseTimestamp('0050-06-01T00:00:00+01:00')).toBe(Date.parse('0050-06-01T00:00:00+01:00'));
  });

  it('starts at the first millisecond of 0000 and stops at the last of 9999, in UTC, in every form', () => {
    expect(parseTimestamp('0000-01-01T00:00:00Z')).toBe(FIRST_ARCHIVE_MS);
    expect(parseTimestamp('0000-01-01T00:30:00-01:00')).toBe(FIRST_ARCHIVE_MS + 90 * 60_000);
    expect(parseTimestamp('0000-01-01T00:30:00+01:00')).toBeUndefined();
    expect(parseTimestamp('9999-12-31T23:59:59.999Z')).toBe(LAST_ARCHIVE_MS);
    expect(parseTimestamp(LAST_ARCHIVE_MS)).toBe(LAST_ARCHIVE_MS);
    expect(parseTimestamp(String(LAST_ARCHIVE_MS))).toBe(LAST_ARCHIVE_MS);
    for (const past of ['9999-12-31T23:00:00-01:00', LAST_ARCHIVE_MS + 1, String(LAST_ARCHIVE_MS + 1), 9_000_000_000_000_000])
      expect(parseTimestamp(past)).toBeUndefined();
  });
});
