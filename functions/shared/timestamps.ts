/** Event-time parsing: epoch seconds, epoch milliseconds and ISO-8601, all normalised to epoch milliseconds. */

/** Numbers below this are epoch seconds (1e11 s is the year 5138; 1e11 ms is March 1973). */
const SECONDS_BELOW = 1e11;

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;
const NUMERIC = /^\d{1,16}(\.\d{1,9})?$/;

/** Epoch milliseconds for a producer timestamp, or undefined when it is none of the accepted forms. */
export function parseTimestamp(value: number | string): number | undefined {
  if (typeof value === 'number') return fromEpochNumber(value);
  if (NUMERIC.test(value)) return fromEpochNumber(Number(value));
  const m = ISO_8601.exec(value);
  if (!m || !validParts(m)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Date.parse rolls impossible dates over (February 31st becomes March); these are refused instead. */
function validParts(m: RegExpExecArray): boolean {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > days || Number(m[4]) > 23 || Number(m[5]) > 59) return false;
  if (m[6] !== undefined && Number(m[6]) > 59) return false;
  return m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59);
}

function fromEpochNumber(n: number): number | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const ms = n < SECONDS_BELOW ? Math.round(n * 1000) : Math.round(n);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** ISO-8601 UTC with milliseconds, the one textual form the pipeline writes. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
