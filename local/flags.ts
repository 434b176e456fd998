/** Checking numeric flags against their ranges (see limits.ts), with messages that name the flag. */
import { UsageError } from './errors';

export interface Range {
  readonly min: number;
  readonly max?: number;
}

/** Parses a whole number within `range`, or throws a UsageError naming the flag, the value and the range. */
export function wholeNumber(flag: string, raw: string, range: Range): number {
  const n = /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  checkRange(flag, n, range, JSON.stringify(raw));
  return n;
}

/** Throws a UsageError unless `n` is a whole number within `range`. */
export function checkRange(flag: string, n: number, range: Range, seen = String(n)): void {
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(n) || n < range.min || n > max) {
    const expected =
      range.max === undefined ? `a whole number of at least ${range.min}` : `a whole number from ${range.min} to ${range.max}`;
    throw new UsageError(`${flag} must be ${expected}; got ${seen}`);
  }
}
