/**
 * What `redrive` does with one kept record, decided by today's validation, as the functions would decide:
 *
 * - against the record's **original arrival**: a record refused then is refused now for the same reason
 *   (the contract's code), so an event that was too old when it arrived stays too old: redriving does not
 *   make old events young;
 * - against **now**, the arrival a record put back would get: one that passes the first check but is older
 *   than the bound now would only be refused again by both functions (and land in the error output again),
 *   so it is not put; loading it is a backfill, run on purpose with a higher bound.
 */
import { isAggregate } from '../../functions/shared/kinesis-records';
import type { ReasonCode } from '../../functions/shared/reasons';
import { validateRecord } from '../../functions/shared/validate-event';
import type { EventTimeBounds } from '../../functions/shared/validate-event';
import type { KeptRecord } from './failure-objects';

/** Arrival dates to redrive, `yyyy-MM-dd` UTC, inclusive; an end left out is open. */
export interface ArrivalRange {
  readonly from?: string;
  readonly to?: string;
}

export type RedriveDecision =
  /** Put back on the stream with this partition key. */
  | { readonly kind: 'put'; readonly partitionKey: string }
  /** Refused by today's validation at its original arrival, with the contract's reason code. */
  | { readonly kind: 'refused'; readonly reason: ReasonCode }
  /** Valid when it arrived, older than the bound now. */
  | { readonly kind: 'too-old-now' }
  /** Arrived outside the range asked for: left as it is. */
  | { readonly kind: 'outside-range' };

const TOO_OLD: ReasonCode = 'timestamp_too_old';

/** Decides one record. The partition key is the one the store kept, else the event's user id (as producers key it). */
export function decide(record: KeptRecord, bounds: EventTimeBounds, nowMs: number, range: ArrivalRange): RedriveDecision {
  if (!inRange(arrivalDate(record.arrivalMs), range)) return { kind: 'outside-range' };
  // A KPL aggregate the session-processor could not unpack is kept whole; the transform refuses it by this code.
  if (isAggregate(record.payload)) return { kind: 'refused', reason: 'invalid_aggregate' };
  const then = validateRecord(record.payload, record.arrivalMs, bounds);
  if (!then.ok) return { kind: 'refused', reason: then.refusal.reason };
  const now = validateRecord(record.payload, nowMs, bounds);
  if (!now.ok) return now.refusal.reason === TOO_OLD ? { kind: 'too-old-now' } : { kind: 'refused', reason: now.refusal.reason };
  return { kind: 'put', partitionKey: record.partitionKey ?? then.event.userId };
}

/** The UTC date of an epoch-milliseconds time, `yyyy-MM-dd`. */
export function arrivalDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function inRange(date: string, range: ArrivalRange): boolean {
  return (range.from === undefined || date >= range.from) && (range.to === undefined || date <= range.to);
}

/** The date `days` after (or before, when negative) a `yyyy-MM-dd` date. */
export function addDays(date: string, days: number): string {
  return arrivalDate(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);
}
