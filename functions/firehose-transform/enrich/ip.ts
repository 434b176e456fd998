/** IP anonymisation: IPv4 to /24, IPv6 to /48 by default; the full address only when a setting says so. */
import { isIPv4, isIPv6 } from 'node:net';
import { geoOf } from './geo';
import { jsonMembers } from './json-members';

/** `anonymize` (default) keeps the network part; `full` keeps the address; `omit` drops it. */
export const IP_MODES = ['anonymize', 'full', 'omit'] as const;
export type IpMode = (typeof IP_MODES)[number];

/**
 * A visitor's events come together with the same address: each address is checked and cut once per mode
 * (node:net's IPv6 pattern and the group arithmetic cost more than a lookup); bounded, cleared when full.
 */
const CACHE_MAX = 5000;
const cache: Record<Exclude<IpMode, 'omit'>, Map<string, string | null>> = { anonymize: new Map(), full: new Map() };

/** The address as the archive keeps it, or null when absent, not an address, or omitted. */
export function archiveIp(ip: string | undefined, mode: IpMode): string | null {
  if (ip === undefined || mode === 'omit') return null;
  const seen = cache[mode];
  const known = seen.get(ip);
  if (known !== undefined) return known;
  const kept = addressToKeep(ip.trim(), mode);
  if (seen.size >= CACHE_MAX) seen.clear();
  seen.set(ip, kept);
  return kept;
}

const NO_ADDRESS = jsonMembers({ ip: null, geo_country: null, geo_asn: null, geo_as_org: null });
const columnsCache: Record<Exclude<IpMode, 'omit'>, Map<string, string>> = { anonymize: new Map(), full: new Map() };

/**
 * The columns `ip` to `geo_as_org` as JSON members, each after a comma, made once per address and mode like
 * {@link archiveIp}. The country and network are looked up from the full address, before it is cut; with no
 * address, or with `omit`, there are none.
 */
export function ipColumns(ip: string | undefined, mode: IpMode): string {
  if (ip === undefined || mode === 'omit') return NO_ADDRESS;
  const seen = columnsCache[mode];
  let columns = seen.get(ip);
  if (columns === undefined) {
    // Only an address node:net accepts is looked up, so that geo columns never stand beside a null ip.
    const kept = archiveIp(ip, mode);
    if (kept === null) columns = NO_ADDRESS;
    else {
      const geo = geoOf(ip.trim());
      columns = jsonMembers({ ip: kept, geo_country: geo.country, geo_asn: geo.asn, geo_as_org: geo.asOrg });
    }
    if (seen.size >= CACHE_MAX) seen.clear();
    seen.set(ip, columns);
  }
  return columns;
}

function addressToKeep(address: string, mode: 'anonymize' | 'full'): string | null {
  if (isIPv4(address)) return mode === 'full' ? address : anonymizeV4(address);
  if (isIPv6(address)) return mode === 'full' ? address.toLowerCase() : anonymizeV6(address);
  return null;
}

function anonymizeV4(ip: string): string {
  return `${ip.slice(0, ip.lastIndexOf('.'))}.0`;
}

/** Keeps the first 48 bits; an IPv4-mapped address (::ffff:a.b.c.d) is anonymised as IPv4. */
function anonymizeV6(ip: string): string {
  const lower = ip.toLowerCase().replace(/%.*$/, '');
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped && isIPv4(mapped[1]!)) return `::ffff:${anonymizeV4(mapped[1]!)}`;
  const groups = expandV6(lower);
  return `${groups
    .slice(0, 3)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::`;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail becomes two groups). */
function expandV6(ip: string): string[] {
  let text = ip;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...zeros, ...t].map((g) => g.padStart(4, '0'));
}
