/** Machine-readable reasons for refusing a record, shared by both Lambdas and by the archive's error output. */
import { cutText } from './text';

export const REASONS = {
  empty_record: 'the record has no bytes',
  record_too_large: 'the record is larger than the contract allows',
  invalid_utf8: 'the record is not valid UTF-8',
  malformed_json: 'the record is not valid JSON',
  invalid_aggregate: 'the record carries the KPL aggregate header but does not decode as an aggregate',
  not_an_object: 'the event is not a JSON object',
  missing_field: 'a required field is missing',
  unknown_field: 'a field that the contract does not define',
  wrong_type: 'a field has the wrong JSON type',
  invalid_value: 'a field has a value outside its allowed set',
  too_long: 'a string is longer than the contract allows',
  too_many_properties: '`properties` has too many entries',
  too_deep: '`properties` is nested too deeply',
  unsafe_key: 'a key such as __proto__ or constructor',
  invalid_timestamp: 'the timestamp is not epoch seconds, epoch milliseconds or ISO-8601 with a zone',
  timestamp_in_future: 'the event time is too far after the arrival time',
  timestamp_too_old: 'the event time is older than the maximum event age',
  response_too_large:
    "archive path only: the transform response would pass Firehose's 6 MB limit; the record is kept whole under the error prefix",
} as const;

export type ReasonCode = keyof typeof REASONS;

/** Why a record was refused: a stable code, the field concerned and a message a person can act on. */
export interface Refusal {
  readonly reason: ReasonCode;
  /** Dotted path of the offending field, or '' for the record as a whole. */
  readonly field: string;
  readonly message: string;
}

const PREVIEW_CHARS = 64;
const FIELD_CHARS = 128;

/** A short, escaped rendering of an untrusted value for messages and logs. */
export function preview(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > PREVIEW_CHARS ? `${cutText(value, PREVIEW_CHARS)}…` : value;
    const suffix = value.length > PREVIEW_CHARS ? ` (${value.length} chars)` : '';
    return JSON.stringify(cut) + suffix;
  }
  if (value === undefined) return 'nothing';
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `non-finite number ${String(value)}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/**
 * What a message may say of a value it must not quote: its type and size. Used for the values of fields the
 * contract does not define (a producer may send anything there), of `ip` and `userAgent` (they identify a
 * client) and of everything inside `properties` (free-form data that can hold anything personal).
 */
export function withheld(value: unknown): string {
  if (typeof value === 'string') return `a string of ${value.length} chars (value withheld)`;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length} (value withheld)`;
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`} (value withheld)`;
}

/** Builds a refusal whose message names the field, the value seen and what was expected. */
export function refuse(reason: ReasonCode, field: string, expected: string, seen: string): Refusal {
  // A field path comes from the producer's keys: bounded like any other untrusted text.
  const name = field.length > FIELD_CHARS ? `${cutText(field, FIELD_CHARS)}…` : field;
  const subject = name === '' ? 'record' : name;
  return { reason, field: name, message: `${subject}: expected ${expected}, got ${seen}` };
}
