/**
 * The generated tables answer as the packages' CSV rows do: for any address, the binary lookup over the merged,
 * gap-filled, /64-split tables gives the country, AS number and organisation of the CSV row that holds it, found by
 * a plain search of the rows as read (test/helpers/geo-csv.ts).
 */
import { isIP } from 'node:net';
import fc from 'fast-check';
import { geoOf, parseAddress } from '../../../functions/firehose-transform/enrich/geo';
import { ASN_PACKAGE, COUNTRY_PACKAGE, asnOf, numericRows, rowAt, v4Text, v6Text } from '../../helpers/geo-csv';
import type { CsvRow } from '../../helpers/geo-csv';

const rows = {
  country4: numericRows(COUNTRY_PACKAGE, 'dbip-country-ipv4-num.csv'),
  country6: numericRows(COUNTRY_PACKAGE, 'dbip-country-ipv6-num.csv'),
  asn4: numericRows(ASN_PACKAGE, 'asn-ipv4-num.csv'),
  asn6: numericRows(ASN_PACKAGE, 'asn-ipv6-num.csv'),
};

/** What the CSV rows say of an address. */
function expected(country: readonly CsvRow[], asn: readonly CsvRow[], address: bigint) {
  const c = rowAt(country, address);
  const a = rowAt(asn, address);
  return { country: c?.value ?? null, ...(a ? asnOf(a.value) : { asn: null, asOrg: null }) };
}

/** Addresses next to the rows' edges (start, end, one before, one after), where an off-by-one would show. */
function edges(table: readonly CsvRow[], max: bigint): fc.Arbitrary<bigint> {
  return fc.tuple(fc.integer({ min: 0, max: table.length - 1 }), fc.constantFrom(-1n, 0n, 1n, 2n)).map(([i, k]) => {
    const row = table[i]!;
    const a = k <= 0n ? row.start + k : row.end + k - 1n;
    return a < 0n ? 0n : a > max ? max : a;
  });
}

/** IPv6 rows that start or end inside a /64: the blocks the fine table holds. */
const LOW64 = (1n << 64n) - 1n;
const fineRows = [...rows.country6, ...rows.asn6].filter((r) => (r.start & LOW64) !== 0n || (r.end & LOW64) !== LOW64);

const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;
const v4 = fc.oneof(fc.bigInt({ min: 0n, max: V4_MAX }), edges(rows.country4, V4_MAX), edges(rows.asn4, V4_MAX));
const v6 = fc.oneof(
  fc.bigInt({ min: 0x2000n << 112n, max: (0x4000n << 112n) - 1n }), // global unicast, 2000::/3
  edges(rows.country6, V6_MAX),
  edges(rows.asn6, V6_MAX),
  edges(fineRows, V6_MAX),
  fc.tuple(fc.integer({ min: 0, max: fineRows.length - 1 }), fc.bigInt({ min: 0n, max: LOW64 })).map(
    ([i, low]) => (fineRows[i]!.start & ~LOW64) | low, // anywhere in a split /64
  ),
);

describe('geoOf against the CSV rows', () => {
  it('has /64 blocks split by the data to exercise (the fine table is not empty)', () => {
    expect(fineRows.length).toBeGreaterThan(100);
  });

  it('answers for any IPv4 address as the rows do, written plainly or IPv4-mapped', () => {
    fc.assert(
      fc.property(v4, (address) => {
        const want = expected(rows.country4, rows.asn4, address);
        expect(geoOf(v4Text(address))).toEqual(want);
        expect(geoOf(`::ffff:${v4Text(address)}`)).toEqual(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers for any IPv6 address as the rows do, written compressed or in full', () => {
    fc.assert(
      fc.property(v6, fc.boolean(), (address, compressed) => {
        fc.pre(address >> 32n !== 0xffffn); // IPv4-mapped: looked up as IPv4, above
        expect(geoOf(v6Text(address, compressed))).toEqual(expected(rows.country6, rows.asn6, address));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseAddress', () => {
  it('accepts exactly what node:net accepts as an address', () => {
    const chars = fc.constantFrom(...'0123456789abcdefABCDEF:.'.split(''));
    const text = fc.oneof(
      fc.string({ unit: chars, maxLength: 45 }),
      fc.bigInt({ min: 0n, max: V6_MAX }).map((n) => v6Text(n, true)),
      fc.bigInt({ min: 0n, max: V4_MAX }).map(v4Text),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(parseAddress(t) !== 0).toBe(isIP(t) !== 0);
      }),
      { numRuns: 5000 },
    );
  });
});
