/**
 * `clickstream query NAME|FILE.sql [--from DATE] [--to DATE]`: a shipped named query, or a SQL file, over the
 * local archive with DuckDB, for a range of event dates (default: the last 7 days, today included, UTC).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkDateRange, lastDays, loadNamedQueries, readQuery } from '../../queries';
import type { DateRange } from '../../queries';
import { openArchive } from '../runtime/archive-sql';
import { openExistingDataDir } from '../runtime/data-dir';
import { table } from '../runtime/report';

/** Days a query covers when no range is given. */
export const DEFAULT_QUERY_DAYS = 7;

/** The range from `--from` and `--to`: either may be left out (to: today; from: 6 days before to). */
export function queryRange(from: string | undefined, to: string | undefined, now: Date = new Date()): DateRange {
  const end = to ?? lastDays(1, now).to;
  if (to !== undefined) checkDateRange({ from: to, to });
  const start = from ?? lastDays(DEFAULT_QUERY_DAYS, new Date(`${end}T00:00:00Z`)).from;
  return checkDateRange({ from: start, to: end });
}

/** Rows of the query over `range`; throws with the list of names when the name is unknown. */
export async function runNamedQuery(
  nameOrFile: string,
  dataDirPath: string,
  range: DateRange = queryRange(undefined, undefined),
): Promise<Array<Record<string, unknown>>> {
  const sql = resolveSql(nameOrFile);
  // The archive is plain files, readable while a run writes more: no lock.
  const dataDir = openExistingDataDir(dataDirPath, false);
  const db = await openArchive(dataDir.archive, join(dataDir.root, 'tmp'));
  try {
    return await db.query(sql, range);
  } finally {
    db.close();
  }
}

function resolveSql(nameOrFile: string): string {
  if (nameOrFile.endsWith('.sql')) {
    if (!existsSync(nameOrFile)) throw new Error(`no SQL file at ${nameOrFile}`);
    return readQuery(nameOrFile).sql;
  }
  const named = loadNamedQueries();
  const q = named.find((n) => n.name === nameOrFile);
  if (!q)
    throw new Error(
      `no named query ${JSON.stringify(nameOrFile)}; the shipped ones are: ${named.map((n) => n.name).join(', ')} (or give a path ending in .sql)`,
    );
  return q.sql;
}

/** Rows as a terminal table; numbers right-aligned. */
export function formatRows(rows: ReadonlyArray<Record<string, unknown>>): string {
  if (rows.length === 0) return '  (no rows)';
  const headers = Object.keys(rows[0]!);
  return table(
    headers,
    rows.map((r) => headers.map((h) => cell(r[h]))),
  );
}

function cell(v: unknown): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && v.length < 16) return Number(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The shipped queries with what each answers. */
export function listQueries(): string {
  return loadNamedQueries()
    .map((q) => `  ${q.name.padEnd(26)} ${q.description}`)
    .join('\n');
}
