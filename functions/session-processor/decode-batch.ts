/** Decoding one batch: Kinesis records to valid events by user and refused records, in record order. Pure. */
import { unpackRecord } from '../shared/kinesis-records';
import type { KinesisRecordInput } from '../shared/kinesis-records';
import { KEEP_USER_IDS } from '../shared/pseudonym';
import type { UserIdPolicy } from '../shared/pseudonym';
import type { Refusal } from '../shared/reasons';
import { validateRecord } from '../shared/validate-event';
import type { EventTimeBounds } from '../shared/validate-event';
import { recordPosition } from './model';
import type { PositionedEvent, RefusedRecord } from './model';

/** What processing reads of a Kinesis record; Lambda's `KinesisStreamRecord` is one. */
export interface StreamRecord {
  /** `shardId-…:sequenceNumber`, as Lambda's Kinesis event gives it. */
  readonly eventID: string;
  readonly kinesis: KinesisRecordInput;
}

/** A refused record, with what its log line needs besides what its metrics window needs. */
export interface RefusedUserRecord extends RefusedRecord {
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly refusal: Refusal;
}

export interface DecodedBatch {
  /** Valid events by user id (as stored: the keyed hash in `hash` mode), each user's in record order. */
  readonly byUser: ReadonlyMap<string, readonly PositionedEvent[]>;
  /** Each user record's position and the sequence number of the Kinesis record holding it, in record order. */
  readonly positions: ReadonlyArray<{ readonly position: bigint; readonly sequenceNumber: string }>;
  readonly refused: readonly RefusedUserRecord[];
}

/**
 * Unpacks (KPL) and validates every record; an aggregate that fails to decode is one refused record. Each valid
 * event carries its user id as `userIds` stores it, before events are grouped by user.
 */
export function decodeBatch(
  records: readonly StreamRecord[],
  bounds: EventTimeBounds,
  userIds: UserIdPolicy = KEEP_USER_IDS,
): DecodedBatch {
  const byUser = new Map<string, PositionedEvent[]>();
  const positions: Array<{ position: bigint; sequenceNumber: string }> = [];
  const refused: RefusedUserRecord[] = [];
  for (const record of records) {
    const { sequenceNumber } = record.kinesis;
    const unpacked = unpackRecord(record.kinesis);
    if (!unpacked.ok) {
      const position = recordPosition(sequenceNumber, 0);
      positions.push({ position, sequenceNumber });
      const arrivalMs = Math.round(record.kinesis.approximateArrivalTimestamp * 1000);
      refused.push({
        position,
        arrivalMs,
        reason: unpacked.refusal.reason,
        sequenceNumber,
        subSequenceNumber: 0,
        refusal: unpacked.refusal,
      });
      continue;
    }
    for (const user of unpacked.records) {
      const position = recordPosition(user.sequenceNumber, user.subSequenceNumber);
      positions.push({ position, sequenceNumber });
      const result = validateRecord(user.payload, user.arrivalMs, bounds, userIds);
      if (!result.ok) {
        refused.push({
          position,
          arrivalMs: user.arrivalMs,
          reason: result.refusal.reason,
          sequenceNumber,
          subSequenceNumber: user.subSequenceNumber,
          refusal: result.refusal,
        });
        continue;
      }
      const item: PositionedEvent = { position, sequenceNumber, event: result.event };
      const list = byUser.get(result.event.userId);
      if (list) list.push(item);
      else byUser.set(result.event.userId, [item]);
    }
  }
  return { byUser, positions, refused };
}
