/** URL pieces for the archive: host, path, query, UTM parameters and click ids. */
import { pagePath } from '../../shared/url';

export interface UrlParts {
  readonly host: string | null;
  readonly path: string;
  readonly query: string | null;
  readonly utmSource: string | null;
  readonly utmMedium: string | null;
  readonly utmCampaign: string | null;
  readonly utmTerm: string | null;
  readonly utmContent: string | null;
  readonly gclid: string | null;
  readonly fbclid: string | null;
}

const HOST = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/;

/** Host of a URL in lower case, or null when it has none. */
export function hostOf(url: string | undefined): string | null {
  if (url === undefined) return null;
  const m = HOST.exec(url);
  const host = m?.[1]?.toLowerCase();
  return host ? host : null;
}

export function urlParts(url: string): UrlParts {
  const q = url.indexOf('?');
  let query: string | null = null;
  let params: URLSearchParams | undefined;
  if (q >= 0) {
    const h = url.indexOf('#', q);
    query = h < 0 ? url.slice(q + 1) : url.slice(q + 1, h);
    params = new URLSearchParams(query);
  }
  const get = (name: string) => params?.get(name) ?? null;
  return {
    host: hostOf(url),
    path: pagePath(url),
    query: query === '' ? null : query,
    utmSource: get('utm_source'),
    utmMedium: get('utm_medium'),
    utmCampaign: get('utm_campaign'),
    utmTerm: get('utm_term'),
    utmContent: get('utm_content'),
    gclid: get('gclid'),
    fbclid: get('fbclid'),
  };
}
