/** The archive's timestamp text, written from integers, is the one `Date` gives, for every millisecond. */
import fc from 'fast-check';
import { archiveTimestamp } from '../../../functions/firehose-transform/to-row';

const viaDate = (ms: number) => {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
};

describe('archiveTimestamp', () => {
  it('equals the Date-based text for any instant from 1970 to 9999, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), { minLength: 1, maxLength: 20 }),
        (instants) => {
          for (const ms of instants) expect(archiveTimestamp(ms)).toBe(viaDate(ms));
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });

  it('is right at the edges of a day, of a second and of the epoch, and for fractions of a millisecond (cut, as Date cuts them)', () => {
    const day = Date.UTC(2026, 10, 27);
    for (const ms of [
      0,
      1,
      999,
      1000,
      day - 1,
      day,
      day + 1,
      day + 86_399_999,
      day + 123.9,
      day + 86_399_999.5,
      Date.UTC(2024, 1, 29, 12, 0, 0, 5),
    ])
      expect(archiveTimestamp(ms)).toBe(viaDate(ms));
  });
});
