/** Decoding and validating one user record against the event contract. Pure: no I/O, no clock. */
import { EVENT_TYPES, LIMITS, UNSAFE_KEYS } from './event-contract';
import type { ClickEvent, ProducerEvent, SchemaIssue } from './event-contract';
import { isProducerEvent } from './event-contract.validator';
import { fingerprint } from './fingerprint';
import { KEEP_USER_IDS } from './pseudonym';
import type { UserIdPolicy } from './pseudonym';
import { wholeNumber } from './settings';
import { asProperties, checkProperties } from './properties';
import { preview, refuse, withheld } from './reasons';
import type { ReasonCode, Refusal } from './reasons';
import { parseTimestamp } from './timestamps';
import { cutText } from './text';

/** How far an event may lie from its record's arrival time. */
export interface EventTimeBounds {
  /** Oldest accepted event, as milliseconds before arrival. */
  readonly maxAgeMs: number;
  /** Latest accepted event, as milliseconds after arrival. */
  readonly maxFutureMs: number;
}

/** Events more than 5 minutes after their arrival time are refused: producer clocks are wrong by more. */
export const DEFAULT_MAX_FUTURE_MS = 5 * 60_000;

/** The oldest event both functions accept, in hours before its record's arrival. */
export const MAX_EVENT_AGE_HOURS = wholeNumber({
  env: 'MAX_EVENT_AGE_HOURS',
  default: 72,
  min: 1,
  max: 24 * 365,
  reason: "GA4's Measurement Protocol accepts events up to 72 hours old; so do we",
});

export type Validation = { readonly ok: true; readonly event: ClickEvent } | { readonly ok: false; readonly refusal: Refusal };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Validates one producer payload. Event-time bounds are measured against `arrivalMs` (the record's
 * approximateArrivalTimestamp), never the wall clock, so that a replay decides as the original run did.
 * `userIds` says what the valid event carries as its user id and fingerprint (the raw id by default); the
 * hash is applied here, as the event is built, because the fingerprint of a producer's `eventId` combines it
 * with the user id and only this step sees the producer's `eventId`.
 */
export function validateRecord(
  payload: Buffer,
  arrivalMs: number,
  bounds: EventTimeBounds,
  userIds: UserIdPolicy = KEEP_USER_IDS,
): Validation {
  if (payload.length === 0) return fail(refuse('empty_record', '', 'a JSON object', 'zero bytes'));
  if (payload.length > LIMITS.recordBytes) {
    return fail(refuse('record_too_large', '', `at most ${LIMITS.recordBytes} bytes`, `${payload.length} bytes`));
  }
  const text = decodeUtf8(payload);
  if (text === undefined) return fail(refuse('invalid_utf8', '', 'UTF-8 text', 'bytes that are not UTF-8'));

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // The parser quotes the text around the error; that text could hold an address, so only the rest is kept.
    const why = cutText((err as Error).message.replace(/"[^]*"/, '…'), 80);
    return fail(refuse('malformed_json', '', 'one JSON object', why));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail(refuse('not_an_object', '', 'a JSON object', withheld(parsed)));
  }
  for (const key of Object.keys(parsed)) {
    if (UNSAFE_KEYS.has(key)) return fail(refuse('unsafe_key', key, 'a field of the event contract', preview(key)));
  }

  // The checks generated from the arktype declaration: arktype's issues, without arktype's import at cold start.
  const issues: SchemaIssue[] = [];
  if (!isProducerEvent(parsed, issues)) return fail(schemaRefusal(issues, parsed as Record<string, unknown>));
  return checkSemantics(parsed, payload, arrivalMs, bounds, userIds);
}

/** Fields whose text must be well-formed Unicode: JSON can carry a lone surrogate escape that no store accepts. */
const TEXT_FIELDS = [
  'userId',
  'sessionId',
  'eventName',
  'url',
  'referrer',
  'userAgent',
  'ip',
  'timestamp',
  'eventId',
  'sentAt',
  'receivedAt',
] as const;

function checkSemantics(e: ProducerEvent, payload: Buffer, arrivalMs: number, bounds: EventTimeBounds, userIds: UserIdPolicy): Validation {
  for (const field of TEXT_FIELDS) {
    const v = e[field];
    if (typeof v === 'string' && !v.isWellFormed())
      return fail(refuse('invalid_value', field, 'well-formed Unicode text', 'a string with a lone surrogate'));
  }
  if (e.properties !== undefined && e.properties !== null) {
    const refusal = checkProperties(e.properties);
    if (refusal) return fail(refusal);
    const revenue: unknown = (e.properties as Record<string, unknown>)['revenue'];
    if (typeof revenue === 'number' && Math.abs(revenue) > LIMITS.revenue) {
      return fail(refuse('invalid_value', 'properties.revenue', `a number within ±${LIMITS.revenue}`, withheld(revenue)));
    }
  }
  const deviceTimestampMs = parseTimestamp(e.timestamp);
  if (deviceTimestampMs === undefined) return fail(badTime('timestamp', e.timestamp));
  const corrected = correctForClockSkew(e, deviceTimestampMs);
  if (typeof corrected === 'object') return fail(corrected);
  const timestampMs = corrected;
  if (timestampMs > arrivalMs + bounds.maxFutureMs) {
    return fail(outsideBounds('timestamp_in_future', e.timestamp, bounds.maxFutureMs, timestampMs - arrivalMs, 'after'));
  }
  if (timestampMs < arrivalMs - bounds.maxAgeMs) {
    return fail(outsideBounds('timestamp_too_old', e.timestamp, bounds.maxAgeMs, arrivalMs - timestampMs, 'before'));
  }
  // An eventId's fingerprint takes the stored id: both functions compute the same one (the archive's event_id
  // is what the sessions de-duplicate by), and in hash mode no unkeyed hash of a raw id is stored, against
  // which a guessed id and a guessable eventId could be tested.
  const userId = userIds.storedUserId(e.userId);
  return {
    ok: true,
    event: {
      userId,
      clientSessionId: e.sessionId ?? undefined,
      eventName: e.eventName ?? e.eventType,
      eventType: e.eventType,
      timestampMs,
      deviceTimestampMs,
      url: e.url,
      referrer: e.referrer ?? undefined,
      userAgent: e.userAgent ?? undefined,
      ip: e.ip ?? undefined,
      properties: asProperties(e.properties),
      eventId: e.eventId ? fingerprint(Buffer.from(`${userId}\u0000${e.eventId}`)) : userIds.payloadFingerprint(payload),
      receivedAtMs: arrivalMs,
    },
  };
}

const TIME_FORMS = 'epoch seconds, epoch milliseconds or ISO-8601 with a zone, from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z';

function badTime(field: 'timestamp' | 'sentAt' | 'receivedAt', value: unknown): Refusal {
  return refuse('invalid_timestamp', field, TIME_FORMS, preview(value));
}

/**
 * The event time on the collector's clock: `receivedAt − (sentAt − timestamp)` when the event carries both, else
 * `timestamp`. A send time before the event's own time (the device's clock was set back in between) counts as
 * no wait.
 */
function correctForClockSkew(e: ProducerEvent, deviceMs: number): number | Refusal {
  if (e.sentAt === undefined || e.sentAt === null || e.receivedAt === undefined || e.receivedAt === null) {
    for (const field of ['sentAt', 'receivedAt'] as const) {
      const v = e[field];
      if (v !== undefined && v !== null && parseTimestamp(v) === undefined) return badTime(field, v);
    }
    return deviceMs;
  }
  const sentMs = parseTimestamp(e.sentAt);
  if (sentMs === undefined) return badTime('sentAt', e.sentAt);
  const receivedMs = parseTimestamp(e.receivedAt);
  if (receivedMs === undefined) return badTime('receivedAt', e.receivedAt);
  return receivedMs - Math.max(0, sentMs - deviceMs);
}

/** A refusal of an event time that lies `offsetMs` before or after arrival, past the bound of `boundMs`. */
function outsideBounds(reason: ReasonCode, timestamp: unknown, boundMs: number, offsetMs: number, side: 'before' | 'after'): Refusal {
  const expected = `at most ${boundMs / 1000}s ${side} arrival`;
  return refuse(reason, 'timestamp', expected, `${preview(timestamp)}, ${Math.round(offsetMs / 1000)}s ${side} arrival`);
}

function decodeUtf8(payload: Buffer): string | undefined {
  const text = payload.toString('utf8');
  // Only text with a replacement character can hide invalid bytes; check those strictly.
  if (!text.includes('\uFFFD')) return text;
  try {
    return strictUtf8.decode(payload);
  } catch {
    return undefined;
  }
}

/**
 * Contract fields whose values a refusal may quote (escaped, at most 64 characters): they say which producer
 * and which page sent the record, which is what a person needs to fix it. Nothing else is quoted: not the
 * value of a field outside the contract, nor `ip`, `userAgent` or `properties` (see {@link withheld}).
 */
const QUOTABLE_FIELDS: ReadonlySet<string> = new Set([
  'userId',
  'sessionId',
  'eventName',
  'eventType',
  'timestamp',
  'url',
  'referrer',
  'eventId',
  'sentAt',
  'receivedAt',
]);

const EXPECTED_TYPE: Readonly<Record<string, string>> = {
  eventType: `one of ${EVENT_TYPES.join(', ')}`,
  timestamp: 'epoch seconds, epoch milliseconds or an ISO-8601 string',
  sentAt: 'epoch seconds, epoch milliseconds or an ISO-8601 string',
  receivedAt: 'epoch seconds, epoch milliseconds or an ISO-8601 string',
  properties: 'a JSON object',
};

/** Translates the first of an event's schema issues into a refusal with one of the contract's reason codes. */
export function schemaRefusal(issues: readonly SchemaIssue[], event: Record<string, unknown>): Refusal {
  const issue = issues[0];
  if (!issue) throw new Error('schemaRefusal needs at least one issue');
  const issueCount = issues.length;
  const field = issue.path.map(String).join('.');
  const seen: unknown = field === '' ? event : event[field];
  const more = issueCount > 1 ? ` (and ${issueCount - 1} more issue${issueCount > 2 ? 's' : ''})` : '';
  const expected = EXPECTED_TYPE[field] ?? issue.expected ?? 'a value of the contract';
  const [reason, what] = classify(issue, field, seen, expected);
  const refusal = refuse(reason, field, what, QUOTABLE_FIELDS.has(field) ? preview(seen) : withheld(seen));
  return { ...refusal, message: refusal.message + more };
}

function classify(issue: SchemaIssue, field: string, seen: unknown, expected: string): [ReasonCode, string] {
  if (issue.code === 'required') return ['missing_field', expected];
  if (issue.expected === 'removed') return ['unknown_field', `no field named ${preview(field)} (custom data goes in properties)`];
  if (issue.code === 'maxLength') return ['too_long', `a string of ${issue.expected ?? 'bounded length'}`];
  if (issue.code === 'minLength') return ['invalid_value', 'a non-empty string'];
  if (typeof seen === 'string' && field === 'eventType') return ['invalid_value', expected];
  return ['wrong_type', expected];
}

function fail(refusal: Refusal): Validation {
  return { ok: false, refusal };
}
