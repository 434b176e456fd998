import type { QueryRow } from '../../../dashboard/api';
import { OTHER_COUNTRIES, UNKNOWN_COUNTRY, countryName, topCountries } from '../../../dashboard/src/countries';

/** Rows as countries.sql gives them: `n` countries with falling user counts, and an unknown row. */
function rows(n: number): QueryRow[] {
  const codes = ['US', 'DE', 'GB', 'IN', 'FR', 'BR', 'JP', 'CA', 'NL', 'AU', 'SE', 'ES', 'IT', 'MX'].slice(0, n);
  return [
    ...codes.map((country, i) => ({ country, users: 100 - i * 5, events: 1000 - i * 50, users_percent: 0 })),
    { country: UNKNOWN_COUNTRY, users: 3, events: 7, users_percent: 0 },
  ];
}

describe('countryName', () => {
  it('names a country in English from its ISO 3166-1 alpha-2 code', () => {
    expect(countryName('DE')).toBe('Germany');
    expect(countryName('GB')).toBe('United Kingdom');
  });

  it('shows the unknown and other rows as Unknown and Other', () => {
    expect(countryName(UNKNOWN_COUNTRY)).toBe('Unknown');
    expect(countryName(OTHER_COUNTRIES)).toBe('Other');
  });

  it('falls back to the code for a code it has no name for, or one that is malformed', () => {
    expect(countryName('XX')).toBe('XX');
    expect(countryName('1')).toBe('1');
  });
});

describe('topCountries', () => {
  it('keeps the ten with the most users, in order, and sums the rest as Other', () => {
    const got = topCountries(rows(14));
    expect(got.map((c) => c.code)).toEqual(['US', 'DE', 'GB', 'IN', 'FR', 'BR', 'JP', 'CA', 'NL', 'AU', OTHER_COUNTRIES]);
    // SE, ES, IT, MX and the unknown row.
    expect(got[10]).toMatchObject({ name: 'Other', users: 50 + 45 + 40 + 35 + 3, events: 500 + 450 + 400 + 350 + 7 });
  });

  it('gives each row its share of all the users, the shares adding up to one', () => {
    const got = topCountries(rows(14));
    const total = rows(14).reduce((sum, row) => sum + Number(row['users']), 0);
    expect(got[0]!.share).toBeCloseTo(100 / total, 12);
    expect(got.reduce((sum, c) => sum + c.share, 0)).toBeCloseTo(1, 12);
  });

  it('names every row when at most one would be left over for Other', () => {
    expect(topCountries(rows(10)).map((c) => c.name)).toEqual([
      'United States',
      'Germany',
      'United Kingdom',
      'India',
      'France',
      'Brazil',
      'Japan',
      'Canada',
      'Netherlands',
      'Australia',
      'Unknown',
    ]);
  });

  it('gives nothing for no rows, and a share of 0 when no row has users', () => {
    expect(topCountries([])).toEqual([]);
    expect(topCountries([{ country: 'FR', users: 0, events: 0, users_percent: null }])).toEqual([
      { code: 'FR', name: 'France', users: 0, events: 0, share: 0 },
    ]);
  });
});
