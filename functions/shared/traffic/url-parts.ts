/** URL pieces for the archive: host, path, query, UTM parameters and click ids. */
import { pagePath } from '../url';
import { clickIdOf } from './click-ids';
import type { ClickId } from './click-ids';

export interface UrlParts {
  /** The URL as given. */
  readonly url: string;
  readonly host: string | null;
  readonly path: string;
  readonly query: string | null;
  readonly utmSource: string | null;
  readonly utmMedium: string | null;
  readonly utmCampaign: string | null;
  readonly utmTerm: string | null;
  readonly utmContent: string | null;
  /** The URL's ad click id, read without the referrer: `withReferrer` settles a yclid's network. */
  readonly click: ClickId | null;
}

const HOST = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/;

/** Host of a URL in lower case, or null when it has none. */
export function hostOf(url: string | undefined): string | null {
  if (url === undefined) return null;
  const m = HOST.exec(url);
  const host = m?.[1]?.toLowerCase();
  return host ? host : null;
}

/**
 * A site's pages repeat from event to event, as user agents do: each URL is split once (its URLSearchParams
 * and patterns cost several lookups). Bounded like the user-agent cache: at most 2,000 URLs of at most 4,096
 * characters; when full, it starts again.
 */
const partsCache = new Map<string, UrlParts>();
const PARTS_CACHE_MAX = 2000;

/** Host, path, query, UTM parameters and click ids of a URL. */
export function urlParts(url: string): UrlParts {
  let parts = partsCache.get(url);
  if (parts === undefined) {
    parts = splitUrl(url);
    if (partsCache.size >= PARTS_CACHE_MAX) partsCache.clear();
    partsCache.set(url, parts);
  }
  return parts;
}

function splitUrl(url: string): UrlParts {
  const q = url.indexOf('?');
  let query: string | null = null;
  let params: URLSearchParams | undefined;
  if (q >= 0) {
    const h = url.indexOf('#', q);
    query = h < 0 ? url.slice(q + 1) : url.slice(q + 1, h);
    params = new URLSearchParams(query);
  }
  return {
    url,
    host: hostOf(url),
    path: pagePath(url),
    query: query === '' ? null : query,
    utmSource: param(params, 'utm_source'),
    utmMedium: param(params, 'utm_medium'),
    utmCampaign: param(params, 'utm_campaign'),
    utmTerm: param(params, 'utm_term'),
    utmContent: param(params, 'utm_content'),
    click: params === undefined ? null : clickIdOf(params),
  };
}

/** A parameter's value, or null; a module-level function rather than a closure built for every URL. */
function param(params: URLSearchParams | undefined, name: string): string | null {
  return params?.get(name) ?? null;
}
