/** The IP data packages' CSV files, read as they are installed, for tests that check the lookup against them. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const COUNTRY_PACKAGE = '@ip-location-db/dbip-country';
export const ASN_PACKAGE = '@ip-location-db/asn';

/** A CSV file of an installed package, as text. */
export function packageCsv(pkg: string, file: string): string {
  return readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file), 'utf8');
}

/** One row of a `-num` file: inclusive range, and the rest of the line (country code, or `asn,org`). */
export interface CsvRow {
  readonly start: bigint;
  readonly end: bigint;
  readonly value: string;
}

/** The rows of a `-num` file in file order. */
export function numericRows(pkg: string, file: string): CsvRow[] {
  return packageCsv(pkg, file)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const a = line.indexOf(',');
      const b = line.indexOf(',', a + 1);
      return { start: BigInt(line.slice(0, a)), end: BigInt(line.slice(a + 1, b)), value: line.slice(b + 1) };
    });
}

/**
 * The row a plain reading of the CSV gives an address: the last row starting at or below it, if the address is
 * within its end (rows are sorted by start; where two overlap, the later one holds from its start). No merging,
 * no /64 blocks, no gap entries: an independent answer to compare the generated tables with.
 */
export function rowAt(rows: readonly CsvRow[], address: bigint): CsvRow | undefined {
  let lo = -1;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rows[mid]!.start <= address) lo = mid;
    else hi = mid - 1;
  }
  const row = rows[lo];
  return row && address <= row.end ? row : undefined;
}

/** An ASN row's value `asn,org` (the org quoted when it holds a comma) as the lookup reports it. */
export function asnOf(value: string): { asn: number; asOrg: string | null } {
  const comma = value.indexOf(',');
  let org = value.slice(comma + 1);
  if (org.startsWith('"')) org = org.slice(1, -1).replaceAll('""', '"');
  org = org.trim();
  return { asn: Number(value.slice(0, comma)), asOrg: org === '' ? null : org };
}

/** An address as dotted IPv4 text. */
export function v4Text(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}

/** An address as IPv6 text: all eight groups, or compressed as RFC 5952 has it (through the URL parser). */
export function v6Text(n: bigint, compressed: boolean): string {
  const full = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => ((n >> s) & 0xffffn).toString(16)).join(':');
  return compressed ? new URL(`http://[${full}]/`).hostname.slice(1, -1) : full;
}
