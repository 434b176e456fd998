/** Reading the cells of a named query's rows (`QueryRow`), whose columns the SQL names. */
import type { QueryRow } from '../api';

/** A cell as a number; 0 when missing or not a number (an engine may send big integers as text). */
export function num(row: QueryRow, column: string): number {
  const value = row[column];
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : 0;
}

/** A cell as text; `(none)` when null or missing. */
export function str(row: QueryRow, column: string): string {
  const value = row[column];
  return value === null || value === undefined || value === '' ? '(none)' : String(value);
}
