/**
 * A referrer as GA4 reports it: a search engine's results page as `<engine> / organic`, any other site as
 * `<host without www.> / referral`, with the category Google's source list gives it. Hosts are compared exactly,
 * never by pattern: the host, then the host without `www.`, then (for social, video and shopping sites) its
 * registrable domain.
 */
import { sourceCategory } from './source-category';
import type { SourceCategory } from './source-category';

export interface ReferrerSource {
  readonly source: string;
  readonly medium: 'organic' | 'referral';
  readonly category: SourceCategory | undefined;
}

/**
 * Search engines named by their brand, as GA4 names them (`google / organic` from www.google.co.uk), each a
 * search source of Google's list (a test holds them to it). Other search sources of the list, such as `cnn`,
 * `globo`, `terra` or `ask`, also name portals and unrelated sites (cnn.com, ask.fm) and are left out.
 */
export const SEARCH_ENGINES: ReadonlySet<string> = new Set([
  'baidu',
  'bing',
  'daum',
  'duckduckgo',
  'google',
  'msn',
  'naver',
  'qwant',
  'seznam',
  'sogou',
  'yahoo',
  'yandex',
]);

/** Android apps that are a search engine: the Google app (search and Discover) and Google Go. */
const SEARCH_APPS: ReadonlyMap<string, string> = new Map([
  ['com.google.android.googlequicksearchbox', 'google'],
  ['com.google.android.apps.searchlite', 'google'],
]);

/**
 * Second-level labels under which country registries sell names (`co.uk`, `com.au`, `ne.jp`): a domain ending in
 * one of them and a two-letter country code is registered one label further down.
 */
const COUNTRY_SECOND_LEVELS: ReadonlySet<string> = new Set(['ac', 'co', 'com', 'edu', 'go', 'gob', 'gov', 'ne', 'net', 'or', 'org']);

/**
 * The registrable domain of a host, without the Public Suffix List (tldts 7 bundles to 87 to 140 KB minified and
 * adds 5 to 15 ms to a cold start, over ten times this whole classifier): the last two labels, or three under a
 * country's second level (`google.co.uk`, `yandex.com.tr`). Null for a bare suffix, an IP address or a single
 * label. Where it errs (a private suffix such as `blogspot.com`, a rarer second level), the domain it gives is
 * still the host itself or one of its parents, so no host is matched to a listed site it does not lie under.
 */
export function registrableDomain(host: string): string | null {
  const labels = host.split('.');
  const n = labels.length;
  const tld = labels[n - 1] ?? '';
  if (n < 2 || tld === '' || host.startsWith('[') || /^\d+$/.test(tld)) return null;
  const underCountry = tld.length === 2 && COUNTRY_SECOND_LEVELS.has(labels[n - 2] ?? '');
  const keep = underCountry ? 3 : 2;
  return n < keep ? null : labels.slice(n - keep).join('.');
}

const APP_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** Referrer hosts repeat as user agents do: each is worked out once (bounded cache). */
const cache = new Map<string, ReferrerSource>();
const CACHE_MAX = 5000;

/**
 * The source, medium and category of an external referrer, given its host (lower case). An app referrer
 * (`android-app://<package>/`) is a referral from the package, looked up exactly, except the Google app's.
 */
export function referrerSource(referrer: string, host: string): ReferrerSource {
  const scheme = APP_SCHEME.exec(referrer)?.[1]?.toLowerCase();
  const key = scheme === 'http' || scheme === 'https' ? host : `${scheme ?? ''}:${host}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = scheme === 'http' || scheme === 'https' ? webReferrer(host.endsWith('.') ? host.slice(0, -1) : host) : appReferrer(host);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, found);
  }
  return found;
}

function webReferrer(host: string): ReferrerSource {
  const bare = host.startsWith('www.') ? host.slice(4) : host;
  const domain = registrableDomain(bare);
  // A search engine's own host: <engine>.<suffix>, or search.<engine>.<suffix> (search.yahoo.com). Its other hosts
  // (mail.google.com, docs.google.com) are referrals, whose category the list gives when it names them.
  if (domain !== null && (bare === domain || bare === `search.${domain}`)) {
    const engine = domain.slice(0, domain.indexOf('.'));
    if (SEARCH_ENGINES.has(engine)) return { source: engine, medium: 'organic', category: sourceCategory(engine) };
  }
  let category = sourceCategory(host) ?? sourceCategory(bare);
  if (category === undefined && domain !== null && domain !== bare) {
    // A search engine's domain also serves mail, documents, maps and news, which GA4 does not count as search:
    // Google's list names the search hosts one by one (mail.google.com, 30 *.search.yahoo.com), so only exactly.
    const parent = sourceCategory(domain);
    if (parent !== 'SOURCE_CATEGORY_SEARCH') category = parent;
  }
  return { source: bare, medium: 'referral', category };
}

function appReferrer(app: string): ReferrerSource {
  const engine = SEARCH_APPS.get(app);
  if (engine !== undefined) return { source: engine, medium: 'organic', category: sourceCategory(engine) };
  return { source: app, medium: 'referral', category: sourceCategory(app) };
}
