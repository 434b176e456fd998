/**
 * The transform's offline IP database, built from two npm packages' CSV files (the numeric `-num` forms):
 * `@ip-location-db/dbip-country` (`start,end,CC`) and `@ip-location-db/asn` (`start,end,asn,org`, the org quoted
 * when it holds a comma). Each becomes one binary file of range tables in the layout of
 * `functions/shared/geo-data-format.ts`, described by a metadata file; the packages' licence files are copied
 * beside them, so the Lambda asset carries them.
 */
import { endianness } from 'node:os';
import { FINE_U32, FINE_U8, GEO_DATA_DIR, GEO_FILES, GEO_FORMAT_VERSION, SECTIONS, UNKNOWN } from '../functions/shared/geo-data-format';
import type { GeoDataMeta, GeoSource, SectionPlace } from '../functions/shared/geo-data-format';

export const OUTPUT_DIR = `functions/firehose-transform/enrich/${GEO_DATA_DIR}`;
export const COMMAND = 'npm run generate:geo';

/** One input package: its name, the licence files to copy, and what CC BY 4.0 asks to be credited. */
export interface PackageSpec {
  readonly name: string;
  readonly licenseFiles: readonly string[];
  readonly data: string;
  readonly attribution: string;
}

export const COUNTRY_PACKAGE: PackageSpec = {
  name: '@ip-location-db/dbip-country',
  licenseFiles: ['DBIP-LICENSE'],
  data: 'DB-IP IP to Country Lite (https://db-ip.com/db/download/ip-to-country-lite), through ip-location-db',
  attribution: 'IP Geolocation by DB-IP (https://db-ip.com), CC BY 4.0',
};

export const ASN_PACKAGE: PackageSpec = {
  name: '@ip-location-db/asn',
  licenseFiles: ['DBIP-LICENSE', 'ROUTEVIEWS-LICENSE', 'NRO_LICENSE', 'MODIFICATIONS'],
  data: 'RouteViews, the five RIRs (NRO statistics) and DB-IP IP to ASN Lite, merged by ip-location-db',
  attribution:
    'Route Views (https://www.routeviews.org), NRO (https://www.nro.net) and IP Geolocation by DB-IP (https://db-ip.com), CC BY 4.0',
};

/**
 * Beyond this many /64 blocks split into smaller ranges, the two-level IPv6 table stops paying for itself: the
 * data has a few hundred (sub-/64 geofeed entries, anycast DNS blocks); many thousands would mean the data has
 * changed character, and 128-bit starts throughout would be simpler.
 */
export const MAX_FINE_BLOCKS = 5000;

/** One CSV row: an inclusive range and its raw value (country code, or AS number with its organisation). */
export interface Row<V> {
  start: bigint;
  end: bigint;
  readonly value: V;
}

export interface AsValue {
  readonly asn: number;
  readonly org: string;
}

const IPV4_END = 0xffffffffn;
const IPV6_END = (1n << 128n) - 1n;
const LOW64 = (1n << 64n) - 1n;

/** Reads a `-num` CSV file of the country package: `start,end,CC`. */
export function parseCountryCsv(text: string, file: string): Array<Row<string>> {
  return csvLines(text).map((line, i) => {
    const m = /^(\d+),(\d+),([A-Z]{2})$/.exec(line);
    if (!m) throw new Error(`${file}: line ${i + 1} is not "start,end,CC" (ISO 3166-1 alpha-2): ${JSON.stringify(line)}`);
    return { start: BigInt(m[1]!), end: BigInt(m[2]!), value: m[3]! };
  });
}

/** Reads a `-num` CSV file of the ASN package: `start,end,asn,org`, the org quoted (`""` for `"`) when needed. */
export function parseAsnCsv(text: string, file: string): Array<Row<AsValue>> {
  return csvLines(text).map((line, i) => {
    const m = /^(\d+),(\d+),(\d+),(?:"((?:[^"]|"")*)"|([^",]*))$/.exec(line);
    const asn = m ? Number(m[3]) : NaN;
    if (!m || asn > 0xfffffffe) throw new Error(`${file}: line ${i + 1} is not "start,end,asn,org": ${JSON.stringify(line)}`);
    // Some names end in a space; the archive keeps them without.
    const org = (m[4] === undefined ? m[5]! : m[4].replaceAll('""', '"')).trim();
    return { start: BigInt(m[1]!), end: BigInt(m[2]!), value: { asn, org } };
  });
}

function csvLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/**
 * Checks the rows are sorted and inside the address space. A row that starts inside the previous one takes over
 * from its start (the data has one such pair, two DoD blocks at 215.0.0.0/16); a row inside another, which would
 * need the outer one to resume after it, is refused. Returns how many overlaps were resolved.
 */
export function resolveOverlaps<V>(rows: Array<Row<V>>, spaceEnd: bigint, file: string): number {
  let overlaps = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.start > row.end || row.end > spaceEnd) throw new Error(`${file}: row ${i + 1} has the range ${row.start}–${row.end}`);
    const prev = rows[i - 1];
    if (prev === undefined || row.start > prev.end) continue;
    if (row.start < prev.start || row.end < prev.end)
      throw new Error(`${file}: row ${i + 1} (${row.start}–${row.end}) is unsorted or lies inside row ${i} (${prev.start}–${prev.end})`);
    prev.end = row.start - 1n;
    overlaps++;
  }
  return overlaps;
}

/** A range table: each start with its value index; every address in the space falls in exactly one entry. */
export interface Entries {
  readonly starts: bigint[];
  readonly values: number[];
}

/** The rows as a gap-free table of value indexes: gaps become UNKNOWN ranges, equal neighbours merge. */
export function toEntries<V>(rows: ReadonlyArray<Row<V>>, spaceEnd: bigint, indexOf: (value: V) => number): Entries {
  const out: Entries = { starts: [], values: [] };
  const push = (start: bigint, value: number): void => {
    if (out.values.at(-1) === value) return;
    out.starts.push(start);
    out.values.push(value);
  };
  let cursor = 0n;
  for (const row of rows) {
    if (row.start > row.end) continue; // emptied by an overlap
    if (row.start > cursor) push(cursor, UNKNOWN);
    push(row.start, indexOf(row.value));
    cursor = row.end + 1n;
  }
  if (cursor <= spaceEnd) push(cursor, UNKNOWN);
  return out;
}

/** An IPv6 table in two levels: /64 prefixes, and whole addresses within the /64 blocks the data splits. */
export interface V6Tables {
  readonly coarse: Entries;
  readonly fine: Entries;
}

/**
 * Splits an IPv6 table by its /64 blocks. Client addresses are looked up by their first 64 bits in the coarse
 * table, which holds every range that begins on a /64 boundary; a block in which some range begins elsewhere gets
 * the `fine` marker there, and its ranges go to the fine table with their full 128-bit starts.
 */
export function splitV6(entries: Entries, fineMarker: number): V6Tables {
  const inBlock = new Map<bigint, number[]>(); // a split block's entries that start past its first address
  entries.starts.forEach((s, i) => {
    if ((s & LOW64) === 0n) return;
    const block = s >> 64n;
    inBlock.set(block, [...(inBlock.get(block) ?? []), i]);
  });
  if (inBlock.size > MAX_FINE_BLOCKS)
    throw new Error(
      `IPv6: ${inBlock.size} /64 blocks are split into smaller ranges, more than MAX_FINE_BLOCKS (${MAX_FINE_BLOCKS}) in tools/geo-db.ts: store 128-bit starts throughout instead`,
    );
  const keys = new Set<bigint>();
  for (const s of entries.starts) keys.add(s >> 64n);
  for (const block of inBlock.keys()) keys.add(block + 1n);
  const valueAt = valueLookup(entries);
  const coarse: Entries = { starts: [], values: [] };
  for (const key of [...keys].sort(compareBigint)) {
    if (key > LOW64) continue; // the block after the very last one
    const value = inBlock.has(key) ? fineMarker : valueAt(key << 64n);
    if (coarse.values.at(-1) === value) continue;
    coarse.starts.push(key);
    coarse.values.push(value);
  }
  const fine: Entries = { starts: [], values: [] };
  for (const [block, indexes] of [...inBlock].sort(([x], [y]) => compareBigint(x, y))) {
    fine.starts.push(block << 64n);
    fine.values.push(valueAt(block << 64n));
    for (const i of indexes) {
      fine.starts.push(entries.starts[i]!);
      fine.values.push(entries.values[i]!);
    }
  }
  return { coarse, fine };
}

/** The value at an address, by binary search over the table's starts. */
function valueLookup(entries: Entries): (address: bigint) => number {
  return (address) => {
    let lo = 0;
    let hi = entries.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (entries.starts[mid]! <= address) lo = mid;
      else hi = mid - 1;
    }
    return entries.values[lo]!;
  };
}

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Little-endian typed arrays, each on an 8-byte boundary, with where each lies. */
class SectionWriter {
  private readonly parts: Buffer[] = [];
  private length = 0;
  readonly sections: Record<string, SectionPlace> = {};

  add(name: string, array: Uint8Array | Uint32Array): void {
    const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    this.sections[name] = [this.length, array.length];
    const padded = Math.ceil(bytes.length / 8) * 8;
    this.parts.push(bytes, Buffer.alloc(padded - bytes.length));
    this.length += padded;
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts, this.length);
  }
}

function u32(values: readonly number[]): Uint32Array {
  return Uint32Array.from(values);
}

/** Bits `shift + 31 … shift` of each start. */
function word(starts: readonly bigint[], shift: bigint): Uint32Array {
  return Uint32Array.from(starts, (s) => Number((s >> shift) & 0xffffffffn));
}

/** Adds a whole dataset's range tables: IPv4, the coarse and the fine IPv6 tables. */
function addTables(w: SectionWriter, v4: Entries, v6: V6Tables, values: (v: number[]) => Uint8Array | Uint32Array): void {
  w.add(SECTIONS.v4Start, word(v4.starts, 0n));
  w.add(SECTIONS.v4Value, values(v4.values));
  w.add(SECTIONS.v6Hi, word(v6.coarse.starts, 32n));
  w.add(SECTIONS.v6Lo, word(v6.coarse.starts, 0n));
  w.add(SECTIONS.v6Value, values(v6.coarse.values));
  w.add(SECTIONS.fineW0, word(v6.fine.starts, 96n));
  w.add(SECTIONS.fineW1, word(v6.fine.starts, 64n));
  w.add(SECTIONS.fineW2, word(v6.fine.starts, 32n));
  w.add(SECTIONS.fineW3, word(v6.fine.starts, 0n));
  w.add(SECTIONS.fineValue, values(v6.fine.values));
}

/** A package as read from node_modules: its package.json fields, CSV texts and licence file texts. */
export interface PackageInput {
  readonly spec: PackageSpec;
  readonly version: string;
  readonly license: string;
  readonly ipv4Csv: string;
  readonly ipv6Csv: string;
  readonly licenseTexts: ReadonlyArray<readonly [file: string, text: string]>;
}

/** The files of the geo-data folder, relative to the repository, with their content. */
export type GeoOutput = Array<readonly [file: string, content: string | Uint8Array]>;

/** When a package's data was built: ip-location-db versions are `2.3.YYYYMMDDHH` (UTC). */
export function builtFromVersion(name: string, version: string): string {
  const m = /^\d+\.\d+\.(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(version);
  if (!m) throw new Error(`${name}@${version}: expected a version 2.3.YYYYMMDDHH, which dates the data`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:00:00Z`;
}

/** Builds the whole folder: both data files, the metadata (JSON text, not yet formatted) and the licence files. */
export function buildGeoData(country: PackageInput, asn: PackageInput): { files: GeoOutput; meta: GeoDataMeta } {
  if (endianness() !== 'LE') throw new Error('the geo data is written little-endian, as typed arrays on this machine must be');
  const c = buildCountry(country);
  const a = buildAsn(asn);
  const files: GeoOutput = [
    [`${OUTPUT_DIR}/${GEO_FILES.country}`, c.bytes],
    [`${OUTPUT_DIR}/${GEO_FILES.asn}`, a.bytes],
  ];
  for (const input of [country, asn])
    for (const [name, text] of input.licenseTexts) files.push([`${OUTPUT_DIR}/${licenseCopyName(input.spec, name)}`, text]);
  const meta: GeoDataMeta = {
    format: GEO_FORMAT_VERSION,
    generatedBy: `${COMMAND} (tools/generate-geo-db.ts); do not edit`,
    sources: [c.source, a.source],
    countries: c.codes,
    files: {
      [GEO_FILES.country]: { bytes: c.bytes.length, sections: c.sections },
      [GEO_FILES.asn]: { bytes: a.bytes.length, sections: a.sections },
    },
  };
  return { files, meta };
}

/** A licence file's name in the geo-data folder: `<package name without scope>-<file>`. */
export function licenseCopyName(spec: PackageSpec, file: string): string {
  return `${spec.name.replace(/^@[^/]+\//, '')}-${file}`;
}

function sourceOf(input: PackageInput, rows: GeoSource['rows'], overlapsResolved: number, file: string): GeoSource {
  return {
    package: input.spec.name,
    version: input.version,
    license: input.license,
    built: builtFromVersion(input.spec.name, input.version),
    data: input.spec.data,
    attribution: input.spec.attribution,
    licenseFiles: input.spec.licenseFiles.map((f) => licenseCopyName(input.spec, f)),
    rows,
    overlapsResolved,
    file,
  };
}

function buildCountry(input: PackageInput) {
  const v4Rows = parseCountryCsv(input.ipv4Csv, `${input.spec.name} IPv4`);
  const v6Rows = parseCountryCsv(input.ipv6Csv, `${input.spec.name} IPv6`);
  const overlaps = resolveOverlaps(v4Rows, IPV4_END, 'IPv4') + resolveOverlaps(v6Rows, IPV6_END, 'IPv6');
  const codes = [...new Set([...v4Rows, ...v6Rows].map((r) => r.value))].sort();
  if (codes.length >= FINE_U8) throw new Error(`${codes.length} country codes do not fit the u8 values (at most ${FINE_U8 - 1})`);
  const index = new Map(codes.map((code, i) => [code, i + 1]));
  const indexOf = (code: string): number => index.get(code)!;
  const w = new SectionWriter();
  addTables(w, toEntries(v4Rows, IPV4_END, indexOf), splitV6(toEntries(v6Rows, IPV6_END, indexOf), FINE_U8), (v) => Uint8Array.from(v));
  const rows = { ipv4: v4Rows.length, ipv6: v6Rows.length };
  return { bytes: w.bytes(), sections: w.sections, codes, source: sourceOf(input, rows, overlaps, GEO_FILES.country) };
}

function buildAsn(input: PackageInput) {
  const v4Rows = parseAsnCsv(input.ipv4Csv, `${input.spec.name} IPv4`);
  const v6Rows = parseAsnCsv(input.ipv6Csv, `${input.spec.name} IPv6`);
  const overlaps = resolveOverlaps(v4Rows, IPV4_END, 'IPv4') + resolveOverlaps(v6Rows, IPV6_END, 'IPv6');
  const orgs = new Map<number, string>();
  for (const { value } of [...v4Rows, ...v6Rows]) {
    const known = orgs.get(value.asn);
    if (known !== undefined && known !== value.org)
      throw new Error(`AS${value.asn} has two organisation names: ${JSON.stringify(known)} and ${JSON.stringify(value.org)}`);
    orgs.set(value.asn, value.org);
  }
  const numbers = [...orgs.keys()].sort((x, y) => x - y);
  const index = new Map(numbers.map((n, i) => [n, i + 1]));
  const indexOf = (v: AsValue): number => index.get(v.asn)!;
  const w = new SectionWriter();
  addTables(w, toEntries(v4Rows, IPV4_END, indexOf), splitV6(toEntries(v6Rows, IPV6_END, indexOf), FINE_U32), u32);
  const names = numbers.map((n) => Buffer.from(orgs.get(n)!, 'utf8'));
  const offsets = [0, 0]; // index 0, unknown: no name
  for (const name of names) offsets.push(offsets.at(-1)! + name.length);
  w.add(SECTIONS.asNumber, u32([0, ...numbers]));
  w.add(SECTIONS.orgOffset, u32(offsets));
  w.add(SECTIONS.orgText, Buffer.concat(names));
  const rows = { ipv4: v4Rows.length, ipv6: v6Rows.length };
  return { bytes: w.bytes(), sections: w.sections, source: sourceOf(input, rows, overlaps, GEO_FILES.asn) };
}
