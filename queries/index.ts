/**
 * The named queries: one `.sql` file each, its first comment line saying what it answers. Each refers to the
 * archive table as `${events}`, the one substitution between engines: Athena binds it to the Glue table,
 * the local runtime to a DuckDB view over the local archive. The queries that rebuild sessions read the
 * session timeout as `${sessionTimeoutMs}`, bound from the setting where the query is bound (the stack's
 * `sessionTimeoutMinutes`), so that they keep the session-processor's rule; the session attribution's lookback
 * as `${lastNonDirectLookbackMs}`, bound from the one constant the session-processor applies. Everything else is
 * SQL both engines accept.
 *
 * Every query reads one range of event dates: {@link DATE_RANGE_FILTER} on the table scan, two `?`
 * parameters (first and last day, inclusive). On the partition column `dt` it lets Athena's partition
 * projection and DuckDB's hive-partition filter read only those days' objects. Athena fills the `?` from
 * execution parameters ("Use execution parameters",
 * https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements-querying-using-execution-parameters.html;
 * a string is passed quoted, as `EXECUTE … USING 'usa'` in "EXECUTE",
 * https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements-execute.html); the local
 * runtime binds them with {@link bindDateRange}.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LAST_NON_DIRECT_LOOKBACK_MS } from '../functions/shared/traffic/session-attribution';

export const QUERIES_DIR = __dirname;
export const TABLE_PLACEHOLDER = '${events}';
export const SESSION_TIMEOUT_PLACEHOLDER = '${sessionTimeoutMs}';
export const LOOKBACK_PLACEHOLDER = '${lastNonDirectLookbackMs}';

export interface NamedQuery {
  readonly name: string;
  /** The first comment line: what the query answers. */
  readonly description: string;
  readonly sql: string;
}

/** Every shipped query, by file name without `.sql`, sorted. */
export function loadNamedQueries(dir = QUERIES_DIR): NamedQuery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => readQuery(join(dir, f)));
}

/** One query file. */
export function readQuery(path: string): NamedQuery {
  const sql = readFileSync(path, 'utf8');
  const first = sql.split('\n').find((l) => l.startsWith('--')) ?? '-- (no description)';
  return { name: basename(path, '.sql'), description: first.replace(/^--\s*/, ''), sql };
}

/** What a query's placeholders are bound to. */
export interface QueryBindings {
  /** The archive table: `"db"."table"` in Athena, a view name in DuckDB. */
  readonly table: string;
  /** A gap longer than this between two events of a user starts a new session (the session-processor's rule). */
  readonly sessionTimeoutMinutes: number;
}

/** Binds the table, session-timeout and attribution-lookback placeholders. */
export function bindQuery(sql: string, bindings: QueryBindings): string {
  return sql
    .split(TABLE_PLACEHOLDER)
    .join(bindings.table)
    .split(SESSION_TIMEOUT_PLACEHOLDER)
    .join(String(bindings.sessionTimeoutMinutes * 60_000))
    .split(LOOKBACK_PLACEHOLDER)
    .join(String(LAST_NON_DIRECT_LOOKBACK_MS));
}

/** The range predicate every shipped query applies to the table scan: first and last event date, inclusive. */
export const DATE_RANGE_FILTER = 'e.dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)';

/** What the two parameters are, for the named queries' descriptions and error messages. */
export const DATE_RANGE_PARAMETERS = "parameters: first and last event date (UTC), quoted, e.g. '2026-11-01' '2026-11-07'";

/** An inclusive range of event dates, `yyyy-MM-dd` (UTC). */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/** Throws unless `range` holds two real dates in order, naming the wrong one. */
export function checkDateRange(range: DateRange): DateRange {
  for (const [name, value] of [
    ['from', range.from],
    ['to', range.to],
  ] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
      throw new Error(`--${name} must be a date yyyy-MM-dd (UTC); got ${JSON.stringify(value)}`);
    }
  }
  if (range.from > range.to) throw new Error(`--from (${range.from}) must not be after --to (${range.to})`);
  return range;
}

/** The last `days` days up to and including the day of `now` (UTC). */
export function lastDays(days: number, now: Date = new Date()): DateRange {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(now.getTime() - (days - 1) * 86_400_000), to: day(now.getTime()) };
}

/**
 * Positions of the `?` parameters of a query, skipping string literals, quoted identifiers and comments
 * (a `?` in a comment is not a parameter).
 */
export function parameterPositions(sql: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < sql.length; i += 1) {
    const ch = sql[i];
    if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 1;
    } else if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch ? 2 : 1;
      i = j;
    } else if (ch === '?') out.push(i);
  }
  return out;
}

/**
 * Binds the date range to a query's two `?` as date literals, as Athena does with execution parameters. A
 * query without parameters (a SQL file of one's own) is returned as it is; any other count is refused.
 */
export function bindDateRange(sql: string, range: DateRange): string {
  const at = parameterPositions(sql);
  if (at.length === 0) return sql;
  if (at.length !== 2) throw new Error(`a query takes no parameters or exactly two (${DATE_RANGE_PARAMETERS}); this one has ${at.length}`);
  const { from, to } = checkDateRange(range);
  return `${sql.slice(0, at[0])}'${from}'${sql.slice(at[0]! + 1, at[1])}'${to}'${sql.slice(at[1]! + 1)}`;
}
