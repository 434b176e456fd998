/**
 * One Lambda invocation's work, independent of Lambda: decode and validate the batch, sessionize per user,
 * write metrics then users, and decide which record Lambda must retry from.
 *
 * Write order is what makes retries safe without transactions:
 * 1. every metrics window item, each guarded by its watermark (a record at or below it is never re-counted);
 * 2. each user's touched sessions, then the user's state with its new watermark.
 * A failure in step 1 retries the whole batch: windows already written skip their records by watermark,
 * users are unchanged and recompute the same effects. A failure in step 2 retries from that user's lowest
 * record: users already written skip by watermark, the failed user recomputes from its unchanged state.
 */
import type { KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';
import { unpackRecord } from '../shared/kinesis-records';
import { preview } from '../shared/reasons';
import type { ReasonCode, Refusal } from '../shared/reasons';
import { validateRecord } from '../shared/validate-event';
import type { EventTimeBounds } from '../shared/validate-event';
import { cutText } from '../shared/text';
import { RetryableStoreError } from './errors';
import { recordPosition } from './model';
import type { EventEffect, PositionedEvent, RefusedRecord } from './model';
import type { Log, SessionStore, UserWrite } from './ports';
import { applyUserEvents, emptyState, windowStart } from './sessionize';
import type { SessionRules, UserOutcome } from './sessionize';
import { aggregateEffects } from './window-metrics';

export interface BatchDeps {
  readonly store: SessionStore;
  readonly log: Log;
  readonly rules: SessionRules;
  readonly bounds: EventTimeBounds;
}

/** Counts for one invocation; the handler turns them into CloudWatch metrics and the local runtime sums them. */
export interface BatchReport {
  /** User records after KPL de-aggregation; an aggregate that fails to decode counts as one. */
  recordsIn: number;
  valid: number;
  refused: number;
  refusedByReason: Partial<Record<ReasonCode, number>>;
  applied: number;
  duplicates: number;
  late: number;
  /** Records at or below their user's watermark: applied by an earlier attempt. */
  alreadyApplied: number;
  sessionsStarted: number;
  /** Users whose processing threw; their records are retried. */
  userErrors: number;
  /** The sequence number Lambda will retry from, when any record is reported. */
  retryFrom: string | undefined;
}

interface Decoded {
  readonly position: bigint;
  readonly sequenceNumber: string;
}

/** Processes one batch from one shard and returns Lambda's partial-batch response with the report. */
export async function processBatch(
  records: readonly KinesisStreamRecord[],
  deps: BatchDeps,
): Promise<{ response: KinesisStreamBatchResponse; report: BatchReport }> {
  const report = emptyReport();
  const first = records[0];
  if (!first) return { response: { batchItemFailures: [] }, report };
  const shardId = shardOf(first.eventID);
  const { byUser, decoded, refusals } = decodeBatch(records, shardId, deps, report);
  const retryWholeBatch = () => done(report, first.kinesis.sequenceNumber);

  const userIds = [...byUser.keys()].sort();
  const windows = new Set<number>();
  for (const events of byUser.values()) for (const e of events) windows.add(windowStart(e.event.timestampMs, deps.rules.windowMs));
  for (const r of refusals) windows.add(windowStart(r.arrivalMs, deps.rules.windowMs));

  let loaded;
  try {
    loaded = await deps.store.load(shardId, userIds, [...windows]);
  } catch (err) {
    // Throttling, 5xx and timeouts are retried from the first record; anything else (a missing table or
    // grant) fails the invocation, so that it shows as an error and Lambda bisects and retries it.
    if (!(err instanceof RetryableStoreError)) throw err;
    deps.log.warn('could not read state; retrying the batch', { shardId, error: describe(err) });
    return retryWholeBatch();
  }

  // Sessionize every user; a user whose processing throws is cut off with everything after its first record.
  let cutoff: bigint | undefined;
  let outcomes: Map<string, UserOutcome>;
  for (;;) {
    outcomes = new Map();
    let lowered = false;
    for (const userId of userIds) {
      const all = byUser.get(userId)!;
      const events = cutoff === undefined ? all : all.filter((e) => e.position < cutoff!);
      if (events.length === 0) continue;
      try {
        const prior = loaded.states.get(userId) ?? emptyState(userId);
        outcomes.set(userId, applyUserEvents(prior, shardId, events, deps.rules));
      } catch (err) {
        const lowest = minPosition(events);
        deps.log.error('user processing failed; retrying from its first record', { shardId, userId: preview(userId), error: describe(err) });
        report.userErrors += 1;
        if (cutoff === undefined || lowest < cutoff) {
          cutoff = lowest;
          lowered = true;
        }
      }
    }
    if (!lowered) break;
  }

  const effects: EventEffect[] = [];
  for (const outcome of outcomes.values()) effects.push(...outcome.effects);
  countEffects(effects, report);

  const committedRefusals = cutoff === undefined ? refusals : refusals.filter((r) => r.position < cutoff!);
  const windowItems = aggregateEffects(effects, committedRefusals, shardId, deps.rules.windowMs, loaded.metrics);
  try {
    await deps.store.putMetrics(windowItems, loaded.metrics);
  } catch (err) {
    if (!(err instanceof RetryableStoreError)) throw err;
    deps.log.warn('could not write metrics; retrying the batch', { shardId, error: describe(err) });
    return retryWholeBatch();
  }

  const writes: UserWrite[] = [];
  for (const outcome of outcomes.values()) {
    if (outcome.effects.some((e) => e.kind !== 'already_applied')) writes.push({ state: outcome.state, sessions: outcome.closedSessions });
  }
  const { failedUserIds } = await deps.store.putUsers(writes);
  for (const userId of failedUserIds) {
    const lowest = minPosition(outcomes.get(userId)!.effects);
    if (cutoff === undefined || lowest < cutoff) cutoff = lowest;
  }
  if (failedUserIds.length > 0) deps.log.warn('could not write some users; retrying from the lowest', { shardId, users: failedUserIds.length });
  const retryFrom = cutoff === undefined ? undefined : decoded.find((d) => d.position === cutoff)?.sequenceNumber;
  return done(report, retryFrom);
}

function decodeBatch(records: readonly KinesisStreamRecord[], shardId: string, deps: BatchDeps, report: BatchReport) {
  const byUser = new Map<string, PositionedEvent[]>();
  const decoded: Decoded[] = [];
  const refusals: RefusedRecord[] = [];
  for (const record of records) {
    const { sequenceNumber } = record.kinesis;
    const unpacked = unpackRecord(record.kinesis);
    if (!unpacked.ok) {
      report.recordsIn += 1;
      refuseRecord(unpacked.refusal, shardId, sequenceNumber, 0, deps.log, report);
      const position = recordPosition(sequenceNumber, 0);
      decoded.push({ position, sequenceNumber });
      refusals.push({ position, arrivalMs: Math.round(record.kinesis.approximateArrivalTimestamp * 1000), reason: unpacked.refusal.reason });
      continue;
    }
    for (const user of unpacked.records) {
      report.recordsIn += 1;
      const position = recordPosition(user.sequenceNumber, user.subSequenceNumber);
      decoded.push({ position, sequenceNumber });
      const result = validateRecord(user.payload, user.arrivalMs, deps.bounds);
      if (!result.ok) {
        refuseRecord(result.refusal, shardId, sequenceNumber, user.subSequenceNumber, deps.log, report);
        refusals.push({ position, arrivalMs: user.arrivalMs, reason: result.refusal.reason });
        continue;
      }
      report.valid += 1;
      const list = byUser.get(result.event.userId);
      const item: PositionedEvent = { position, sequenceNumber, event: result.event };
      if (list) list.push(item);
      else byUser.set(result.event.userId, [item]);
    }
  }
  return { byUser, decoded, refusals };
}

/**
 * A refused record is counted and logged with its reason and position, and not reported to Lambda:
 * retrying cannot fix it and would block the shard. It is counted once in the metrics window of its arrival
 * (by the same watermark as events); the archive path keeps its bytes under the error prefix.
 */
function refuseRecord(refusal: Refusal, shardId: string, sequenceNumber: string, subSequenceNumber: number, log: Log, report: BatchReport): void {
  report.refused += 1;
  report.refusedByReason[refusal.reason] = (report.refusedByReason[refusal.reason] ?? 0) + 1;
  log.warn('record refused', { reason: refusal.reason, field: refusal.field, detail: refusal.message, shardId, sequenceNumber, subSequenceNumber });
}

function countEffects(effects: readonly EventEffect[], report: BatchReport): void {
  for (const e of effects) {
    if (e.kind === 'applied') report.applied += 1;
    else if (e.kind === 'duplicate') report.duplicates += 1;
    else if (e.kind === 'late') report.late += 1;
    else report.alreadyApplied += 1;
    if (e.sessionStarted) report.sessionsStarted += 1;
  }
}

function done(report: BatchReport, retryFrom: string | undefined): { response: KinesisStreamBatchResponse; report: BatchReport } {
  report.retryFrom = retryFrom;
  return { response: { batchItemFailures: retryFrom === undefined ? [] : [{ itemIdentifier: retryFrom }] }, report };
}

function minPosition(items: ReadonlyArray<{ readonly position: bigint }>): bigint {
  let lowest = items[0]!.position;
  for (const item of items) if (item.position < lowest) lowest = item.position;
  return lowest;
}

/** The shard id from a Lambda Kinesis eventID (`shardId-000000000000:4959…`). */
export function shardOf(eventID: string): string {
  const colon = eventID.indexOf(':');
  return colon < 0 ? eventID : eventID.slice(0, colon);
}

function emptyReport(): BatchReport {
  return {
    recordsIn: 0, valid: 0, refused: 0, refusedByReason: {}, applied: 0, duplicates: 0, late: 0, alreadyApplied: 0,
    sessionsStarted: 0, userErrors: 0, retryFrom: undefined,
  };
}

function describe(err: unknown): string {
  return cutText(err instanceof Error ? `${err.name}: ${err.message}` : String(err), 200);
}
