/**
 * The named queries: one `.sql` file each, its first comment line saying what it answers. Each refers to the
 * archive table as `${events}`, the one substitution between engines: Athena binds it to the Glue table,
 * the local runtime to a DuckDB view over the local archive. Everything else is SQL both engines accept.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

export const QUERIES_DIR = __dirname;
export const TABLE_PLACEHOLDER = '${events}';

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

/** Binds the table placeholder to a table expression (`"db"."table"` in Athena, a view name in DuckDB). */
export function bindTable(sql: string, table: string): string {
  return sql.split(TABLE_PLACEHOLDER).join(table);
}
