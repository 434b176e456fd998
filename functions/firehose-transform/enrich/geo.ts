/**
 * Offline IP → country and network (AS number and organisation), from the range tables `npm run generate:geo`
 * writes into `geo-data/` (layout: functions/shared/geo-data-format.ts). The files are read once per execution
 * environment into zero-copy typed-array views; a lookup parses the address without allocating and binary-searches
 * the tables. Look up the full address: the archive's truncated one loses what tells networks apart.
 */
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import {
  FINE_U32,
  FINE_U8,
  GEO_DATA_DIR,
  GEO_FILES,
  GEO_FORMAT_VERSION,
  GEO_META_FILE,
  SECTIONS,
  UNKNOWN,
} from '../../shared/geo-data-format';
import type { GeoDataMeta, GeoSource, SectionPlace } from '../../shared/geo-data-format';
import { GeoDataError } from '../errors';

/**
 * Where the data lies: next to this module in the source tree (run by tsx or jest), and at the root of the Lambda
 * asset, where esbuild's CommonJS bundle keeps Node's own `__dirname` (the asset folder, /var/task) and the
 * bundling hook copies the folder (stacks/constructs/pipeline-function.ts).
 */
export const GEO_DATA_PATH = join(__dirname, GEO_DATA_DIR);

/** What an address tells: an ISO 3166-1 alpha-2 country and the network announcing it; null where unknown. */
export interface Geo {
  readonly country: string | null;
  readonly asn: number | null;
  readonly asOrg: string | null;
}

/** The answer for an invalid address, or one the data has no row for. */
const NOTHING: Geo = Object.freeze({ country: null, asn: null, asOrg: null });

/** The data's provenance, for the one log line a cold start writes. */
export interface GeoDataSummary {
  readonly sources: ReadonlyArray<Pick<GeoSource, 'package' | 'version' | 'built' | 'attribution'>>;
  /** How long reading the files took, milliseconds. */
  readonly loadMs: number;
  readonly bytes: number;
}

/** One dataset's range tables: IPv4, IPv6 by /64, and the /64 blocks the data splits further. */
interface Tables<V extends Uint8Array | Uint32Array> {
  readonly v4Start: Uint32Array;
  readonly v4Value: V;
  readonly v6Hi: Uint32Array;
  readonly v6Lo: Uint32Array;
  readonly v6Value: V;
  readonly fine: readonly [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  readonly fineValue: V;
  readonly fineMarker: number;
}

/** The loaded database. */
export class GeoDatabase {
  private readonly orgs: Array<string | null | undefined>;

  constructor(
    readonly meta: GeoDataMeta,
    readonly summary: GeoDataSummary,
    private readonly country: Tables<Uint8Array>,
    private readonly asn: Tables<Uint32Array>,
    private readonly asNumber: Uint32Array,
    private readonly orgOffset: Uint32Array,
    private readonly orgText: Buffer,
  ) {
    this.orgs = new Array<string | null | undefined>(asNumber.length);
  }

  /** The country and network of a canonical IPv4 or IPv6 text (an IPv4-mapped IPv6 address counts as IPv4). */
  lookup(address: string): Geo {
    const kind = parseAddress(address);
    if (kind === 0) return NOTHING;
    const c = valueOf(this.country, kind);
    const a = valueOf(this.asn, kind);
    if (c === UNKNOWN && a === UNKNOWN) return NOTHING;
    return {
      country: c === UNKNOWN ? null : (this.meta.countries[c - 1] ?? null),
      asn: a === UNKNOWN ? null : (this.asNumber[a] ?? null),
      asOrg: a === UNKNOWN ? null : this.orgName(a),
    };
  }

  /** An AS's organisation name, decoded the first time it is asked for; null when the data has none. */
  private orgName(index: number): string | null {
    const known = this.orgs[index];
    if (known !== undefined) return known;
    const start = this.orgOffset[index]!;
    const end = this.orgOffset[index + 1]!;
    const name = end > start ? this.orgText.toString('utf8', start, end) : null;
    this.orgs[index] = name;
    return name;
  }
}

let loaded: GeoDatabase | undefined;

/**
 * Reads the database, once: later calls with no folder or the same folder return the same one. The handler may
 * call it at init to log {@link GeoDatabase.summary}; {@link geoOf} calls it on first use otherwise.
 */
export function loadGeoDatabase(dir: string = GEO_DATA_PATH): GeoDatabase {
  if (loaded && dir === loadedFrom) return loaded;
  loaded = readDatabase(dir, false);
  loadedFrom = dir;
  return loaded;
}
let loadedFrom: string | undefined;

/** The country and network of an address, from the database {@link loadGeoDatabase} reads (on first use). */
export function geoOf(address: string): Geo {
  return (loaded ?? loadGeoDatabase()).lookup(address);
}

/**
 * Reads the data and checks that every range's value names a country or an AS of the data, as a unit test does
 * on the shipped files. The loader skips it (it would add about 16 ms to a cold start): the bundle copies the files
 * as generated, and their lengths are checked at every load.
 */
export function verifyGeoData(dir: string = GEO_DATA_PATH): GeoDatabase {
  return readDatabase(dir, true);
}

function readDatabase(dir: string, verify: boolean): GeoDatabase {
  const began = performance.now();
  if (endianness() !== 'LE') throw new GeoDataError(dir, 'the data is little-endian and this machine is not');
  const metaPath = join(dir, GEO_META_FILE);
  let meta: GeoDataMeta;
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8')) as GeoDataMeta;
  } catch (cause) {
    throw new GeoDataError(dir, `cannot read ${metaPath}: run npm run generate:geo, or check the bundle copies ${GEO_DATA_DIR}/`, cause);
  }
  if (meta.format !== GEO_FORMAT_VERSION)
    throw new GeoDataError(dir, `${metaPath} has format ${meta.format}, this module reads ${GEO_FORMAT_VERSION}: run npm run generate:geo`);
  const country = openFile(dir, meta, GEO_FILES.country);
  const asn = openFile(dir, meta, GEO_FILES.asn);
  const summary: GeoDataSummary = {
    sources: meta.sources.map((s) => ({ package: s.package, version: s.version, built: s.built, attribution: s.attribution })),
    loadMs: Math.round((performance.now() - began) * 100) / 100,
    bytes: country.bytes.length + asn.bytes.length,
  };
  const countryTables = tables(country, (s) => country.u8(s), FINE_U8);
  const asnTables = tables(asn, (s) => asn.u32(s), FINE_U32);
  const asNumbers = asn.u32(SECTIONS.asNumber);
  // Every value indexes a country (1-based) or an AS (its row); past the end, a lookup answers null.
  if (verify) {
    checkValues(country.name, countryTables, meta.countries.length);
    checkValues(asn.name, asnTables, asNumbers.length - 1);
  }
  return new GeoDatabase(
    meta,
    summary,
    countryTables,
    asnTables,
    asNumbers,
    asn.u32(SECTIONS.orgOffset),
    asn.bytes.subarray(...byteRange(asn, SECTIONS.orgText)),
  );
}

/** Throws unless every value of the tables is UNKNOWN, the fine-table marker, or at most `max`. */
function checkValues<V extends Uint8Array | Uint32Array>(file: string, t: Tables<V>, max: number): void {
  for (const values of [t.v4Value, t.v6Value, t.fineValue]) {
    let most = 0;
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (value > most && value !== t.fineMarker) most = value;
    }
    if (most > max) throw new GeoDataError(file, `a range's value ${most} is past the ${max} the data names: run npm run generate:geo`);
  }
}

interface OpenFile {
  readonly name: string;
  readonly bytes: Buffer;
  readonly sections: Readonly<Record<string, SectionPlace>>;
  u8(section: string): Uint8Array;
  u32(section: string): Uint32Array;
}

/** A data file's bytes (8-byte aligned, for the typed-array views) and views on its sections. */
function openFile(dir: string, meta: GeoDataMeta, name: string): OpenFile {
  const described = meta.files[name];
  if (!described) throw new GeoDataError(dir, `${GEO_META_FILE} does not describe ${name}: run npm run generate:geo`);
  let bytes = readFileSync(join(dir, name));
  if (bytes.length !== described.bytes)
    throw new GeoDataError(dir, `${name} has ${bytes.length} bytes, ${GEO_META_FILE} says ${described.bytes}: run npm run generate:geo`);
  // A large file gets an ArrayBuffer of its own, at offset 0; copy in the unlikely other case.
  if (bytes.byteOffset % 8 !== 0) bytes = Buffer.from(new Uint8Array(bytes).buffer);
  const file: OpenFile = {
    name,
    bytes,
    sections: described.sections,
    u8: (section) => new Uint8Array(bytes.buffer, ...absolute(file, section, 1)),
    u32: (section) => new Uint32Array(bytes.buffer, ...absolute(file, section, 4)),
  };
  return file;
}

/** A section's byte range within its file, checked against the file's length. */
function byteRange(file: OpenFile, section: string, width = 1): [start: number, end: number] {
  const place = file.sections[section];
  if (!place) throw new GeoDataError(file.name, `no section ${section}: run npm run generate:geo`);
  const [offset, count] = place;
  if (offset % width !== 0 || offset + count * width > file.bytes.length)
    throw new GeoDataError(file.name, `section ${section} (${offset}, ${count}) lies outside the file: run npm run generate:geo`);
  return [offset, offset + count * width];
}

/** A section as a typed array's (byteOffset, length) within the file's ArrayBuffer. */
function absolute(file: OpenFile, section: string, width: number): [byteOffset: number, length: number] {
  const [start, end] = byteRange(file, section, width);
  return [file.bytes.byteOffset + start, (end - start) / width];
}

function tables<V extends Uint8Array | Uint32Array>(file: OpenFile, values: (section: string) => V, fineMarker: number): Tables<V> {
  const t: Tables<V> = {
    v4Start: file.u32(SECTIONS.v4Start),
    v4Value: values(SECTIONS.v4Value),
    v6Hi: file.u32(SECTIONS.v6Hi),
    v6Lo: file.u32(SECTIONS.v6Lo),
    v6Value: values(SECTIONS.v6Value),
    fine: [file.u32(SECTIONS.fineW0), file.u32(SECTIONS.fineW1), file.u32(SECTIONS.fineW2), file.u32(SECTIONS.fineW3)],
    fineValue: values(SECTIONS.fineValue),
    fineMarker,
  };
  // The searches rely on a first range at address 0 and on a value for every start.
  if (
    t.v4Start[0] !== 0 ||
    t.v6Hi[0] !== 0 ||
    t.v6Lo[0] !== 0 ||
    t.v4Value.length !== t.v4Start.length ||
    t.v6Value.length !== t.v6Hi.length
  )
    throw new GeoDataError(file.name, 'the range tables do not start at address 0 or lack values: run npm run generate:geo');
  return t;
}

// ---- Lookup: the parsed address lives in `words` (IPv4: words[3]); nothing is allocated per call. ----

const words = new Uint32Array(4);
const groups = new Uint16Array(8);

/** The value index of the parsed address in one dataset. */
function valueOf<V extends Uint8Array | Uint32Array>(t: Tables<V>, kind: 4 | 6): number {
  if (kind === 4) return t.v4Value[last32(t.v4Start, words[3]!)]!;
  const value = t.v6Value[last64(t.v6Hi, t.v6Lo, words[0]!, words[1]!)]!;
  return value === t.fineMarker ? t.fineValue[last128(t.fine, words)]! : value;
}

/** The index of the last start at or below `x`; starts[0] is 0. */
function last32(starts: Uint32Array, x: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The same over 64-bit starts held as high and low words. */
function last64(his: Uint32Array, los: Uint32Array, h: number, l: number): number {
  let lo = 0;
  let hi = his.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    const mh = his[mid]!;
    if (mh < h || (mh === h && los[mid]! <= l)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The same over 128-bit starts (four words, most significant first); the table holds each split block's start. */
function last128(w: Tables<Uint8Array>['fine'], x: Uint32Array): number {
  let lo = 0;
  let hi = w[0].length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (compare128(w, mid, x) <= 0) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function compare128(w: Tables<Uint8Array>['fine'], i: number, x: Uint32Array): number {
  for (let k = 0; k < 4; k++) {
    const a = w[k]![i]!;
    const b = x[k]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/**
 * Parses an IPv4 or IPv6 text into `words`: 4 for IPv4 (and IPv4-mapped IPv6, `::ffff:a.b.c.d` or its hex form),
 * 6 for IPv6, 0 when it is neither. A zone (`%eth0`) is ignored. No surrounding white space.
 */
export function parseAddress(text: string): 0 | 4 | 6 {
  const zone = text.indexOf('%');
  const end = zone < 0 ? text.length : zone;
  if (zone === 0 || zone === text.length - 1) return 0;
  if (text.indexOf(':') < 0) {
    const v4 = zone < 0 ? parseV4(text, 0, end) : -1;
    if (v4 < 0) return 0;
    words[3] = v4;
    return 4;
  }
  if (!parseV6(text, end)) return 0;
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return 4;
  return 6;
}

/** A dotted quad within text[from, to), as an unsigned number, or -1. Leading zeros are refused, as node:net does. */
function parseV4(text: string, from: number, to: number): number {
  let value = 0;
  let parts = 0;
  let i = from;
  while (parts < 4) {
    const start = i;
    let part = 0;
    while (i < to && i - start < 3) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      part = part * 10 + d;
      i++;
    }
    const digits = i - start;
    if (digits === 0 || part > 255 || (digits > 1 && text.charCodeAt(start) === 48)) return -1;
    value = value * 256 + part;
    parts++;
    if (parts < 4) {
      if (i >= to || text.charCodeAt(i) !== 46) return -1;
      i++;
    }
  }
  return i === to ? value : -1;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** An IPv6 text within text[0, end) into `words`; false when it is not one. */
function parseV6(text: string, end: number): boolean {
  let count = 0;
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    const start = i;
    let group = 0;
    for (let d = hexDigit(text.charCodeAt(i)); d >= 0 && i - start < 4; d = hexDigit(text.charCodeAt(i))) {
      group = group * 16 + d;
      i++;
    }
    if (i < end && text.charCodeAt(i) === 46) {
      // An IPv4 tail: the last 32 bits.
      const v4 = count <= 6 ? parseV4(text, start, end) : -1;
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      break;
    }
    if (i === start || count === 8) return false;
    groups[count++] = group;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (text.charCodeAt(i) === 58 && i < end) {
      if (gap >= 0) return false;
      gap = count;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) return false;
  if (gap >= 0) {
    const tail = count - gap;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[count - 1 - k]!;
    for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  }
  for (let k = 0; k < 4; k++) words[k] = ((groups[2 * k]! << 16) | groups[2 * k + 1]!) >>> 0;
  return true;
}
