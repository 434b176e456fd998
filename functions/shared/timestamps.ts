/**
 * Event-time parsing: epoch seconds, epoch milliseconds and ISO-8601, all normalised to epoch milliseconds.
 * Digits below the millisecond are dropped (truncated) in every form, as `Date.parse` does for ISO-8601, so
 * that one instant written two ways is one millisecond for the session rule and for storage alike.
 */

/** Numbers below this are epoch seconds (1e11 s is the year 5138; 1e11 ms is March 1973). */
const SECONDS_BELOW = 1e11;

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;
const NUMERIC = /^\d{1,16}(\.\d{1,9})?$/;

/**
 * The first and last instants the archive's `timestamp` columns hold (Athena's and Parquet's timestamps, written
 * as `yyyy-MM-dd HH:mm:ss.SSS`, have four-digit years; DuckDB refuses any other text). Epoch milliseconds of up to
 * 16 digits reach the year 318857, past what a Date holds; `0000-01-01T00:30+01:00` is in the year -1.
 * (Date.UTC reads the year 0 as 1900, so the first is parsed.)
 */
export const FIRST_ARCHIVE_MS = Date.parse('0000-01-01T00:00:00.000Z');
export const LAST_ARCHIVE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Epoch milliseconds for a producer timestamp, or undefined when it is none of the accepted forms or lies
 * outside {@link FIRST_ARCHIVE_MS} to {@link LAST_ARCHIVE_MS}, in UTC.
 */
export function parseTimestamp(value: number | string): number | undefined {
  const ms = typeof value === 'number' ? fromEpochNumber(value) : parseText(value);
  return ms !== undefined && ms >= FIRST_ARCHIVE_MS && ms <= LAST_ARCHIVE_MS ? ms : undefined;
}

function parseText(value: string): number | undefined {
  if (NUMERIC.test(value)) return fromEpochText(value);
  const m = ISO_8601.exec(value);
  return m ? fromIsoParts(m) : undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The instant of a matched ISO-8601 text, as `Date.parse` reads it (a test holds them equal), from the parts the
 * pattern has already split rather than by parsing the text again. Date.parse rolls impossible dates over
 * (February 31st becomes March); these are refused instead.
 */
function fromIsoParts(m: RegExpExecArray): number | undefined {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const offsetHour = Number(m[9]);
    const offsetMinute = Number(m[10]);
    if (offsetHour > 23 || offsetMinute > 59) return undefined;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  }
  // Date.UTC reads the years 0 to 99 as 1900 to 1999: those few are left to Date.parse.
  if (year < 100) {
    const ms = Date.parse(m[0]);
    return Number.isFinite(ms) ? ms : undefined;
  }
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

function fromEpochNumber(n: number): number | undefined {
  // A whole number of at most 16 digits is exact as it is: the text path below would give the same.
  if (Number.isInteger(n) && n > 0 && n < 1e16) {
    const ms = n < SECONDS_BELOW ? n * 1000 : n;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  // Seconds with at most three decimals (milliseconds divided by 1000): the nearest whole millisecond divides
  // back to the same number exactly then, and is what the text below would give, without writing the text.
  if (n > 0 && n < SECONDS_BELOW) {
    const ms = Math.round(n * 1000);
    if (ms / 1000 === n) return ms;
  }
  if (!Number.isFinite(n) || n <= 0) return undefined;
  // The shortest decimal form of the number is what the producer wrote; read it as text, exactly.
  const text = String(n);
  if (NUMERIC.test(text)) return fromEpochText(text);
  const ms = Math.trunc(n < SECONDS_BELOW ? n * 1000 : n);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}

/** Epoch seconds or milliseconds written in decimal digits, truncated to the millisecond without binary rounding. */
function fromEpochText(text: string): number | undefined {
  const dot = text.indexOf('.');
  const whole = Number(dot < 0 ? text : text.slice(0, dot));
  const fraction = dot < 0 ? '' : text.slice(dot + 1);
  const ms = whole < SECONDS_BELOW ? whole * 1000 + Number(fraction.slice(0, 3).padEnd(3, '0')) : whole;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}
