/**
 * Visitors by country as the dashboard shows them: the rows of `countries.sql` (`country`, ISO 3166-1 alpha-2 or
 * `(unknown)`, and `users`, `events`), named for people and cut to the top countries with the rest summed. Pure: no
 * DOM. The data is DB-IP's (CC BY 4.0), whose licence asks for a link back wherever its results are shown.
 */
import type { QueryRow } from '../api';
import { num, str } from './query-row';

/** What `countries.sql` writes for an event without a country (no address, or one outside the data). */
export const UNKNOWN_COUNTRY = '(unknown)';

/** The row that sums the countries past the top ones. */
export const OTHER_COUNTRIES = '(other)';

/** How many countries the panel names; the rest are one row. */
export const TOP_COUNTRIES = 10;

export interface CountryUsers {
  /** ISO 3166-1 alpha-2, {@link UNKNOWN_COUNTRY} or {@link OTHER_COUNTRIES}. */
  readonly code: string;
  readonly name: string;
  readonly users: number;
  readonly events: number;
  /** Users / the users of every row (as `users_percent`, but unrounded, so that "Other" adds up); 0 without users. */
  readonly share: number;
}

// English names, as the rest of the page is in English; `fallback: 'code'` gives a code it does not know back.
const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** A country's English name from its code; the code itself when the name is unknown or the code malformed. */
export function countryName(code: string): string {
  if (code === UNKNOWN_COUNTRY) return 'Unknown';
  if (code === OTHER_COUNTRIES) return 'Other';
  try {
    return regions.of(code) ?? code;
  } catch {
    // Intl.DisplayNames throws a RangeError for a code that is not a well-formed region subtag.
    return code;
  }
}

/**
 * The `limit` countries with the most users, in the rows' order (the query sorts by users, then code), and one
 * "Other" row summing the rest. When only one country would be left over, it is shown by name instead.
 */
export function topCountries(rows: readonly QueryRow[], limit = TOP_COUNTRIES): CountryUsers[] {
  const all = rows.map((row) => ({ code: str(row, 'country'), users: num(row, 'users'), events: num(row, 'events') }));
  const total = all.reduce((sum, row) => sum + row.users, 0);
  const shown = all.length > limit + 1 ? all.slice(0, limit) : all;
  const rest = all.slice(shown.length);
  if (rest.length) {
    const sum = (key: 'users' | 'events') => rest.reduce((n, row) => n + row[key], 0);
    shown.push({ code: OTHER_COUNTRIES, users: sum('users'), events: sum('events') });
  }
  return shown.map((row) => ({ ...row, name: countryName(row.code), share: total ? row.users / total : 0 }));
}
