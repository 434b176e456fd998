/** DuckDB over the local archive: the shipped named queries, run on the files Firehose's model wrote. */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from './folder-files';
import { ARCHIVE_COLUMNS, ARCHIVE_TIMESTAMP_FORMAT, DUCKDB_TYPES } from '../../functions/shared/archive-schema';
import { DATE_RANGE_PARAMETERS, bindDateRange, bindQuery, parameterPositions } from '../../queries';
import type { DateRange } from '../../queries';
import { ARCHIVE_DATA_ROOT } from '../../functions/shared/firehose-prefixes';
import { DEFAULT_CONFIG } from '../../stacks/config';

export interface ArchiveDb {
  readonly connection: DuckDBConnection;
  /** Every event date the archive holds (today when it is empty): the range of a whole-archive report. */
  readonly fullRange: DateRange;
  /**
   * Rows of a query with `${events}` bound to the local archive, the session timeout to the local runtime's
   * (the stack's default), and its date-range parameters to `range`
   * (a query with parameters needs one).
   */
  query(sql: string, range?: DateRange): Promise<Array<Record<string, unknown>>>;
  /** The SQL DuckDB runs for {@link query}. */
  bind(sql: string, range?: DateRange): string;
  close(): void;
}

/**
 * Opens an in-memory DuckDB with a view `events` over `<archive>/events/dt=…/hour=…/*` (gzip NDJSON or
 * Parquet), typed from the archive schema. Extensions are never downloaded: json and parquet are built in.
 */
export async function openArchive(archiveDir: string, scratchDir: string): Promise<ArchiveDb> {
  const extensions = join(scratchDir, 'duckdb-extensions');
  mkdirSync(extensions, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', extension_directory: extensions });
  const connection = await instance.connect();
  const files = listFiles(join(archiveDir, ARCHIVE_DATA_ROOT));
  await connection.run(viewSql(files, await parquetColumns(connection, files)));
  const bind = (sql: string, range?: DateRange) => {
    const bound = bindQuery(sql, { table: 'events', sessionTimeoutMinutes: DEFAULT_CONFIG.sessionTimeoutMinutes });
    if (range) return bindDateRange(bound, range);
    if (parameterPositions(bound).length > 0) throw new Error(`this query reads a range of dates; give one (${DATE_RANGE_PARAMETERS})`);
    return bound;
  };
  return {
    connection,
    fullRange: dateRangeOf(files),
    bind,
    async query(sql, range) {
      const reader = await connection.runAndReadAll(bind(sql, range));
      return reader.getRowObjectsJson();
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The first and last `dt=` of the archive's objects. */
function dateRangeOf(files: readonly string[]): DateRange {
  const days = files
    .map((f) => /[\\/]dt=(\d{4}-\d{2}-\d{2})[\\/]/.exec(f)?.[1])
    .filter((d): d is string => d !== undefined)
    .sort();
  const today = new Date().toISOString().slice(0, 10);
  return { from: days[0] ?? today, to: days[days.length - 1] ?? today };
}

/**
 * The columns any of the archive's Parquet objects holds (from their footers, not their data): objects written
 * before a column was added lack it, and the view reads it as null there, as Athena does by name.
 */
async function parquetColumns(connection: DuckDBConnection, files: readonly string[]): Promise<ReadonlySet<string>> {
  const parquet = files.filter((f) => f.endsWith('.parquet'));
  if (parquet.length === 0) return new Set();
  const reader = await connection.runAndReadAll(`SELECT DISTINCT name FROM parquet_schema([${parquet.map(quote).join(', ')}])`);
  return new Set(reader.getRowObjectsJson().map((r) => r['name'] as string));
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The view over the archive's objects. Each reader takes the hive layout (`dt=…/hour=…/`) with typed
 * partition columns, so a filter on `dt` skips other days' files before they are opened. Columns are read by
 * name: JSON objects without a key read it as null, and Parquet objects of different schemas are unified by
 * name (`union_by_name`), a column none of them holds being null.
 */
function viewSql(files: readonly string[], parquetHas: ReadonlySet<string>): string {
  const empty = `SELECT ${ARCHIVE_COLUMNS.map((c) => `CAST(NULL AS ${DUCKDB_TYPES[c.type]}) AS ${c.name}`).join(', ')}, CAST(NULL AS DATE) AS dt, CAST(NULL AS INTEGER) AS hour WHERE false`;
  if (files.length === 0) return `CREATE VIEW events AS ${empty}`;
  const parquet = files.filter((f) => f.endsWith('.parquet'));
  const json = files.filter((f) => !f.endsWith('.parquet'));
  const parts: string[] = [];
  if (json.length > 0) {
    const columns = `{${ARCHIVE_COLUMNS.map((c) => `${quote(c.name)}: ${quote(DUCKDB_TYPES[c.type])}`).join(', ')}}`;
    parts.push(
      `SELECT ${ARCHIVE_COLUMNS.map((c) => c.name).join(', ')}, dt, hour FROM read_json([${json.map(quote).join(', ')}], format = 'newline_delimited', compression = 'gzip', columns = ${columns}, timestampformat = '${ARCHIVE_TIMESTAMP_FORMAT.strftime}', hive_partitioning = true, hive_types = {'dt': 'DATE', 'hour': 'INTEGER'})`,
    );
  }
  if (parquet.length > 0) {
    const columns = ARCHIVE_COLUMNS.map((c) => `CAST(${parquetHas.has(c.name) ? c.name : 'NULL'} AS ${DUCKDB_TYPES[c.type]}) AS ${c.name}`);
    parts.push(
      `SELECT ${columns.join(', ')}, dt, hour FROM read_parquet([${parquet.map(quote).join(', ')}], union_by_name = true, hive_partitioning = true, hive_types = {'dt': 'DATE', 'hour': 'INTEGER'})`,
    );
  }
  return `CREATE VIEW events AS ${parts.join(' UNION ALL ')}`;
}
