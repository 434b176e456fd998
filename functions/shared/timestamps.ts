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

/** Date.parse rolls impossible dates over (February 31st becomes March); these are refused instead. */
function validParts(m: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m.slice(1).map((v): number => (v === undefined ? 0 : Number(v)));
  const daysInMonth = new Date(Date.UTC(year!, month, 0)).getUTCDate();
  return month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour! <= 23 && minute! <= 59 && second! <= 59 && offsetHours! <= 23 && offsetMinutes! <= 59;
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
