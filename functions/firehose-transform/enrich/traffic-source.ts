/**
 * Traffic-source classification in the style of GA4's default channel groups, from the landing URL's
 * campaign parameters and click ids and from the referrer's host.
 */
import type { UrlParts } from './url-parts';

export type Channel =
  | 'direct'
  | 'organic_search'
  | 'paid_search'
  | 'organic_social'
  | 'paid_social'
  | 'email'
  | 'affiliate'
  | 'referral'
  | 'internal'
  | 'unassigned';

export interface TrafficClassification {
  readonly channel: Channel;
  /** A short source name: google, bing, facebook, …; the referrer host when unknown; (direct) without either. */
  readonly source: string;
}

/** Known sources by host suffix (subdomains match), with the kind of site. */
const KNOWN: ReadonlyArray<readonly [RegExp, string, 'search' | 'social']> = [
  [/(^|\.)google\.[a-z.]+$/, 'google', 'search'],
  [/(^|\.)bing\.com$/, 'bing', 'search'],
  [/(^|\.)duckduckgo\.com$/, 'duckduckgo', 'search'],
  [/(^|\.)yahoo\.[a-z.]+$/, 'yahoo', 'search'],
  [/(^|\.)baidu\.com$/, 'baidu', 'search'],
  [/(^|\.)yandex\.[a-z.]+$/, 'yandex', 'search'],
  [/(^|\.)ecosia\.org$/, 'ecosia', 'search'],
  [/(^|\.)search\.brave\.com$/, 'brave', 'search'],
  [/(^|\.)(facebook\.com|fb\.com|fb\.me)$/, 'facebook', 'social'],
  [/(^|\.)instagram\.com$/, 'instagram', 'social'],
  [/(^|\.)(twitter\.com|x\.com|t\.co)$/, 'twitter', 'social'],
  [/(^|\.)(linkedin\.com|lnkd\.in)$/, 'linkedin', 'social'],
  [/(^|\.)pinterest\.[a-z.]+$/, 'pinterest', 'social'],
  [/(^|\.)reddit\.com$/, 'reddit', 'social'],
  [/(^|\.)(youtube\.com|youtu\.be)$/, 'youtube', 'social'],
  [/(^|\.)tiktok\.com$/, 'tiktok', 'social'],
];

const SEARCH_SOURCES = new Set(KNOWN.filter(([, , kind]) => kind === 'search').map(([, name]) => name));
const SOCIAL_SOURCES = new Set([...KNOWN.filter(([, , kind]) => kind === 'social').map(([, name]) => name), 'fb', 'ig', 'meta']);
const PAID_MEDIUM = /^(.*cp.*|ppc|retargeting|paid.*)$/;

type Known = { readonly name: string; readonly kind: 'search' | 'social' } | undefined;

/** Referrer hosts repeat as user agents do: each is matched against the list once (bounded cache). */
const knownCache = new Map<string, Known | null>();
const KNOWN_CACHE_MAX = 5000;

function known(host: string | null): Known {
  if (!host) return undefined;
  // null stands for "not a known source" in the cache, so that one lookup answers both cases.
  const cached = knownCache.get(host);
  if (cached !== undefined) return cached ?? undefined;
  let found: Known;
  for (const [pattern, name, kind] of KNOWN) {
    if (pattern.test(host)) {
      found = { name, kind };
      break;
    }
  }
  if (knownCache.size >= KNOWN_CACHE_MAX) knownCache.clear();
  knownCache.set(host, found ?? null);
  return found;
}

/** Classifies one event's traffic source. `internalHosts` are this site's own hosts (besides the page host). */
export function classifyTraffic(page: UrlParts, referrerHost: string | null, internalHosts: ReadonlySet<string>): TrafficClassification {
  const ref = known(referrerHost);
  const medium = page.utmMedium?.toLowerCase() ?? null;
  const utmSource = page.utmSource?.toLowerCase() ?? null;
  const source = utmSource ?? ref?.name ?? referrerHost ?? '(direct)';

  if (page.gclid) return { channel: 'paid_search', source: utmSource ?? 'google' };
  if (page.fbclid && medium !== null && PAID_MEDIUM.test(medium)) return { channel: 'paid_social', source: utmSource ?? 'facebook' };
  if (medium !== null || utmSource !== null) {
    const isSearch = (utmSource !== null && SEARCH_SOURCES.has(utmSource)) || ref?.kind === 'search';
    const isSocial = (utmSource !== null && SOCIAL_SOURCES.has(utmSource)) || ref?.kind === 'social' || medium === 'social';
    if (medium !== null && /^(e-?mail|e_mail|e mail|newsletter)$/.test(medium)) return { channel: 'email', source };
    if (medium === 'affiliate') return { channel: 'affiliate', source };
    if (medium !== null && PAID_MEDIUM.test(medium)) {
      if (isSocial) return { channel: 'paid_social', source };
      if (isSearch) return { channel: 'paid_search', source };
      return { channel: 'unassigned', source };
    }
    if (medium === 'organic' || isSearch) return { channel: 'organic_search', source };
    if (isSocial) return { channel: 'organic_social', source };
    if (medium === 'referral') return { channel: 'referral', source };
    return { channel: 'unassigned', source };
  }
  if (referrerHost === null) return { channel: 'direct', source: '(direct)' };
  if (referrerHost === page.host || internalHosts.has(referrerHost)) return { channel: 'internal', source: referrerHost };
  if (ref?.kind === 'search') return { channel: 'organic_search', source: ref.name };
  if (ref?.kind === 'social') return { channel: 'organic_social', source: ref.name };
  return { channel: 'referral', source: referrerHost };
}
