/** Cheap URL pieces used by sessionization and enrichment; no allocation of a URL object per event. */

import { cutText } from './text';

const AUTHORITY = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/;

/** Longest page path kept in journeys and metrics; the archive keeps the whole URL. */
export const PAGE_PATH_MAX = 256;

/** The path of a URL without query or fragment, '/' when empty, cut at {@link PAGE_PATH_MAX} UTF-16 units on a character boundary. */
export function pagePath(url: string): string {
  const authority = AUTHORITY.exec(url);
  const rest = authority ? url.slice(authority[0].length) : url;
  let end = rest.length;
  const q = rest.indexOf('?');
  if (q >= 0) end = q;
  const h = rest.indexOf('#');
  if (h >= 0 && h < end) end = h;
  const path = cutText(rest.slice(0, end), PAGE_PATH_MAX);
  return path === '' ? '/' : path;
}

/** The query parameters of a URL, or undefined when it has none. */
export function queryParams(url: string): URLSearchParams | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const h = url.indexOf('#', q);
  return new URLSearchParams(h < 0 ? url.slice(q + 1) : url.slice(q + 1, h));
}
