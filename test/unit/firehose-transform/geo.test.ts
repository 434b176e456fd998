/** The offline IP lookup, on rows taken from the installed data packages and on addresses the data has no row for. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GEO_DATA_PATH, geoOf, loadGeoDatabase, parseAddress, verifyGeoData } from '../../../functions/firehose-transform/enrich/geo';
import { GeoDataError } from '../../../functions/firehose-transform/errors';
import { GEO_FILES, GEO_META_FILE } from '../../../functions/shared/geo-data-format';
import { ASN_PACKAGE, COUNTRY_PACKAGE, packageCsv } from '../../helpers/geo-csv';

const csv = {
  country4: packageCsv(COUNTRY_PACKAGE, 'dbip-country-ipv4.csv'),
  country6: packageCsv(COUNTRY_PACKAGE, 'dbip-country-ipv6.csv'),
  asn4: packageCsv(ASN_PACKAGE, 'asn-ipv4.csv'),
  asn6: packageCsv(ASN_PACKAGE, 'asn-ipv6.csv'),
};
const NOTHING = { country: null, asn: null, asOrg: null };

/** Whether a CSV text holds this exact line (a boolean, so a failure does not print the whole file). */
function hasRow(text: string, row: string): boolean {
  return `\n${text}`.includes(`\n${row}\n`);
}

describe('geoOf', () => {
  it.each([
    // [address, country row, ASN row, expected]
    ['8.8.8.8', '8.7.245.0,8.8.235.255,US', '8.8.8.0,8.8.8.255,15169,Google LLC', { country: 'US', asn: 15169, asOrg: 'Google LLC' }],
    [
      '1.0.0.1',
      '1.0.0.0,1.0.0.255,AU',
      '1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."',
      { country: 'AU', asn: 13335, asOrg: 'Cloudflare, Inc.' },
    ],
    [
      '2.160.10.20',
      '2.160.0.0,2.175.255.255,DE',
      '2.160.0.0,2.175.255.255,3320,Deutsche Telekom AG',
      { country: 'DE', asn: 3320, asOrg: 'Deutsche Telekom AG' },
    ],
  ])('finds %s in the rows the packages give it (%s; %s)', (address, countryRow, asnRow, expected) => {
    expect(hasRow(csv.country4, countryRow)).toBe(true);
    expect(hasRow(csv.asn4, asnRow)).toBe(true);
    expect(geoOf(address)).toEqual(expected);
  });

  it.each([
    [
      '2003:0:0:1::1',
      '2003::,2003:8:7:ffff:ffff:ffff:ffff:ffff,DE',
      '2003::,2003:1ff:ffff:ffff:ffff:ffff:ffff:ffff,3320,Deutsche Telekom AG',
      { country: 'DE', asn: 3320, asOrg: 'Deutsche Telekom AG' },
    ],
    [
      '2001:4860:0:1::1',
      '2001:4860::,2001:4860:9ff:ffff:ffff:ffff:ffff:ffff,CA',
      '2001:4860::,2001:4860:4804:ffff:ffff:ffff:ffff:ffff,15169,Google LLC',
      { country: 'CA', asn: 15169, asOrg: 'Google LLC' },
    ],
  ])('finds the IPv6 address %s in the rows the packages give it (%s; %s)', (address, countryRow, asnRow, expected) => {
    expect(hasRow(csv.country6, countryRow)).toBe(true);
    expect(hasRow(csv.asn6, asnRow)).toBe(true);
    expect(geoOf(address)).toEqual(expected);
    expect(geoOf(address.toUpperCase())).toEqual(expected);
  });

  it('reads an IPv6 address written in full, with leading zeros, as its compressed form', () => {
    expect(geoOf('2003:0000:0000:0001:0000:0000:0000:0001')).toEqual(geoOf('2003:0:0:1::1'));
  });

  it.each(['::ffff:8.8.8.8', '::FFFF:8.8.8.8', '::ffff:808:808', '0:0:0:0:0:ffff:8.8.8.8'])(
    'looks up the IPv4-mapped address %s as IPv4',
    (address) => {
      expect(geoOf(address)).toEqual(geoOf('8.8.8.8'));
    },
  );

  it.each(['192.0.2.1', '198.51.100.77', '203.0.113.255', '2001:db8::1', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'])(
    'gives no country for the documentation address %s, which the data has no row for',
    (address) => {
      expect(geoOf(address).country).toBeNull();
    },
  );

  it.each(['10.0.0.1', '10.255.255.255', '172.16.5.4', '192.168.1.1', '127.0.0.1', '::1', 'fe80::1', 'fe80::1%eth0', '::'])(
    'gives nothing for the private, loopback or link-local address %s',
    (address) => {
      expect(geoOf(address)).toEqual(NOTHING);
    },
  );

  it.each([
    '',
    'not an address',
    '8.8.8',
    '8.8.8.8.8',
    '256.1.1.1',
    '08.8.8.8',
    ' 8.8.8.8',
    '8.8.8.8 ',
    '1::2::3',
    '12345::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:',
    '::ffff:1.2.3',
    '::ffff:1.2.3.256',
    'g::1',
    '%eth0',
    '8.8.8.8%eth0',
  ])('gives nothing for the invalid text %j', (text) => {
    expect(parseAddress(text)).toBe(0);
    expect(geoOf(text)).toEqual(NOTHING);
  });
});

describe('loadGeoDatabase', () => {
  it('ships data whose every range names a country or network of the data', () => {
    expect(() => verifyGeoData()).not.toThrow();
  });

  it('reads the data once, and tells where it came from and when it was built', () => {
    const db = loadGeoDatabase();
    expect(loadGeoDatabase()).toBe(db);
    expect(db.summary.sources).toEqual([
      expect.objectContaining({ package: COUNTRY_PACKAGE, version: '2.3.2026060120', built: '2026-06-01T20:00:00Z' }),
      expect.objectContaining({ package: ASN_PACKAGE, version: '2.3.2026061719', built: '2026-06-17T19:00:00Z' }),
    ]);
    expect(db.summary.sources[0]!.attribution).toContain('IP Geolocation by DB-IP');
    expect(db.summary.bytes).toBeGreaterThan(10_000_000);
  });

  describe('with a damaged copy of the data', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'geo-data-'));
      for (const f of readdirSync(GEO_DATA_PATH)) copyFileSync(join(GEO_DATA_PATH, f), join(dir, f));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
      loadGeoDatabase(); // back to the real data for the other tests
    });

    it('refuses a missing folder, saying how to make the data', () => {
      expect(() => loadGeoDatabase(join(dir, 'absent'))).toThrow(GeoDataError);
      expect(() => loadGeoDatabase(join(dir, 'absent'))).toThrow(/npm run generate:geo/);
    });

    it('refuses a data file whose length is not the one the metadata gives', () => {
      writeFileSync(join(dir, GEO_FILES.asn), readFileSync(join(dir, GEO_FILES.asn)).subarray(8));
      expect(() => loadGeoDatabase(dir)).toThrow(/asn\.bin has \d+ bytes, geo-data\.json says \d+/);
    });

    it('refuses metadata of another format', () => {
      const meta = JSON.parse(readFileSync(join(dir, GEO_META_FILE), 'utf8')) as { format: number };
      writeFileSync(join(dir, GEO_META_FILE), JSON.stringify({ ...meta, format: 99 }));
      expect(() => loadGeoDatabase(dir)).toThrow(/format 99, this module reads 1/);
    });

    it('refuses metadata naming fewer countries than the ranges point at', () => {
      const meta = JSON.parse(readFileSync(join(dir, GEO_META_FILE), 'utf8')) as { countries: string[] };
      writeFileSync(join(dir, GEO_META_FILE), JSON.stringify({ ...meta, countries: meta.countries.slice(0, 10) }));
      expect(() => verifyGeoData(dir)).toThrow(/dbip-country\.bin\): .*past the 10 the data names/);
      // The loader does not scan the ranges; a lookup past the names answers null rather than a wrong country.
      expect(loadGeoDatabase(dir).lookup('8.8.8.8').country).toBeNull();
    });
  });
});
