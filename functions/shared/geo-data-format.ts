/**
 * The layout of the transform's offline IP database (`functions/firehose-transform/enrich/geo-data/`), declared once
 * for the generator that writes it (`tools/generate-geo-db.ts`) and the module that reads it (`enrich/geo.ts`).
 *
 * Each data file is a run of little-endian typed arrays ("sections"), each starting on an 8-byte boundary; the
 * metadata file gives every section's byte offset and element count. A range table is a sorted array of range
 * starts with a value array beside it: an address takes the value of the last start at or below it. Gaps in the
 * data are ranges of their own with value {@link UNKNOWN}; adjacent ranges with equal values are merged.
 */

/** The folder's name, next to the module that reads it in the source tree and at the root of the Lambda asset. */
export const GEO_DATA_DIR = 'geo-data';
/** The metadata file in that folder. */
export const GEO_META_FILE = 'geo-data.json';
/** Bumped when the layout changes; the reader refuses any other. */
export const GEO_FORMAT_VERSION = 1;

/** A value index meaning "no data for this range". */
export const UNKNOWN = 0;
/** The country values' marker for a /64 that the data splits further: look it up in the `v6fine` table. */
export const FINE_U8 = 0xff;
/** The same marker for the ASN values (u32). */
export const FINE_U32 = 0xffffffff;

/**
 * The sections of a data file. IPv4 starts are u32. IPv6 starts are kept by their first 64 bits (`hi`: bits
 * 127–96, `lo`: bits 95–64) in `v6`; the few /64 blocks the data splits into smaller ranges carry the FINE
 * marker there and are looked up in `v6fine`, whose starts are whole 128-bit addresses (`w0`…`w3`, most
 * significant first).
 */
export const SECTIONS = {
  v4Start: 'v4.start',
  v4Value: 'v4.value',
  v6Hi: 'v6.hi',
  v6Lo: 'v6.lo',
  v6Value: 'v6.value',
  fineW0: 'v6fine.w0',
  fineW1: 'v6fine.w1',
  fineW2: 'v6fine.w2',
  fineW3: 'v6fine.w3',
  fineValue: 'v6fine.value',
  /** ASN file only: the AS number of each value index (index 0, unknown, holds 0). */
  asNumber: 'as.number',
  /** ASN file only: byte offsets into `as.org` of each index's organisation name (one more than the indexes). */
  orgOffset: 'as.org-offset',
  /** ASN file only: the organisation names, UTF-8, back to back. */
  orgText: 'as.org',
} as const;

/** The two data files. */
export const GEO_FILES = { country: 'dbip-country.bin', asn: 'asn.bin' } as const;

/** Where a section lies in its file: byte offset and element count. */
export type SectionPlace = readonly [offset: number, count: number];

/** One npm package the data comes from. */
export interface GeoSource {
  readonly package: string;
  readonly version: string;
  /** The package's declared licence, verbatim. */
  readonly license: string;
  /** When the package's data was built, from its version (`2.3.YYYYMMDDHH`), as ISO 8601 UTC. */
  readonly built: string;
  /** What the data is, and whom CC BY 4.0 requires to be credited. */
  readonly data: string;
  readonly attribution: string;
  /** The package's licence files, copied beside the data as `<package name>-<file>`. */
  readonly licenseFiles: readonly string[];
  /** Rows read from the package's CSV files. */
  readonly rows: { readonly ipv4: number; readonly ipv6: number };
  /** Rows that began inside the previous row's range: the later row wins from its start. */
  readonly overlapsResolved: number;
  /** The data file made from it. */
  readonly file: string;
}

/** The metadata file's content. */
export interface GeoDataMeta {
  readonly format: number;
  readonly generatedBy: string;
  readonly sources: readonly GeoSource[];
  /** ISO 3166-1 alpha-2 codes; country value index i is `countries[i - 1]`. */
  readonly countries: readonly string[];
  readonly files: Readonly<Record<string, { readonly bytes: number; readonly sections: Readonly<Record<string, SectionPlace>> }>>;
}
