/**
 * One invocation's work, in terms of what it needs rather than Lambda's types: decode and validate the
 * batch, sessionize per user, write metrics then users, and decide which record must be retried from.
 *
 * Write order is what makes retries safe without transactions:
 * 1. every metrics window item, each guarded by its watermark (a record at or below it is never re-counted);
 * 2. a pending-metrics marker: the fingerprints of the events the batch counted;
 * 3. each user's touched sessions, then the user's state with its new watermark;
 * 4. the marker is deleted, or cut to the events of the users whose writes failed.
 * A failure in step 1 or 2 retries the whole batch: windows already written skip their records by watermark,
 * users are unchanged and recompute the same effects. A failure in step 3 retries from that user's lowest
 * record: users already written skip by watermark, the failed user recomputes from its unchanged state.
 * When the retries run out, the batch goes to the on-failure destination with its events counted and its
 * failed users' events not applied; the marker remembers which, so that when they come back (redriven, with
 * new positions past every watermark) they are applied to the sessions and not counted again. An event of a
 * marker that is applied (or found a duplicate or late) by a batch whose users are written leaves the marker.
 */
import type { UserIdPolicy } from '../shared/pseudonym';
import { preview } from '../shared/reasons';
import type { ReasonCode } from '../shared/reasons';
import type { EventTimeBounds } from '../shared/validate-event';
import { cutText } from '../shared/text';
import { decodeBatch } from './decode-batch';
import type { DecodedBatch, RefusedUserRecord, StreamRecord } from './decode-batch';
import { RetryableStoreError } from './errors';
import { sessionFingerprint } from './model';
import type { EventEffect } from './model';
import type { Log, PendingMarker, SessionStore, UserWrite } from './ports';
import { windowStart } from './sessionize';
import type { SessionRules, UserOutcome } from './sessionize';
import { lowestPosition, sessionizeUsers } from './sessionize-batch';
import { aggregateEffects } from './window-metrics';

export interface BatchDeps {
  readonly store: SessionStore;
  readonly log: Log;
  readonly rules: SessionRules;
  readonly bounds: EventTimeBounds;
  /** What the stores hold as a user's id; the raw id when absent. */
  readonly userIds?: UserIdPolicy;
}

/** Counts for one invocation; the handler turns them into CloudWatch metrics. */
export interface BatchReport {
  /** User records after KPL de-aggregation; an aggregate that fails to decode counts as one. */
  readonly recordsIn: number;
  readonly valid: number;
  readonly refused: number;
  readonly refusedByReason: Partial<Record<ReasonCode, number>>;
  readonly applied: number;
  readonly duplicates: number;
  readonly late: number;
  /** Records at or below their user's watermark: applied by an earlier attempt. */
  readonly alreadyApplied: number;
  readonly sessionsStarted: number;
  /** The sequence number Lambda will retry from, when any record is reported. */
  readonly retryFrom: string | undefined;
}

/** Lambda's partial-batch response (`KinesisStreamBatchResponse`): the record to retry from, if any. */
export interface BatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

export interface BatchResult {
  readonly response: BatchResponse;
  readonly report: BatchReport;
}

type Counts = Omit<BatchReport, 'retryFrom'>;

const NOTHING: Counts = {
  recordsIn: 0,
  valid: 0,
  refused: 0,
  refusedByReason: {},
  applied: 0,
  duplicates: 0,
  late: 0,
  alreadyApplied: 0,
  sessionsStarted: 0,
};

/** Processes one batch from one shard and returns the partial-batch response with the report. */
export async function processBatch(records: readonly StreamRecord[], deps: BatchDeps): Promise<BatchResult> {
  const first = records[0];
  if (!first) return result(NOTHING, undefined);
  const shardId = shardOf(first.eventID);
  const batch = decodeBatch(records, deps.bounds, deps.userIds);
  for (const refused of batch.refused) logRefusal(deps.log, shardId, refused);
  const decoded: Counts = { ...NOTHING, ...decodeCounts(batch) };
  const retryWholeBatch = (counts: Counts) => result(counts, first.kinesis.sequenceNumber);

  const userIds = [...batch.byUser.keys()].sort();
  const loaded = await orRetry(
    () => deps.store.load(shardId, userIds, windowsOf(batch, deps.rules.windowMs)),
    deps.log,
    shardId,
    'could not read state; retrying the batch',
  );
  if (!loaded) return retryWholeBatch(decoded);

  const { outcomes, cutoff, failures } = sessionizeUsers(batch.byUser, loaded.value.states, shardId, deps.rules);
  for (const { userId, error } of failures)
    deps.log.error('user processing failed; retrying from its first record', { shardId, userId: preview(userId), error: describe(error) });
  const effects = [...outcomes.values()].flatMap((o) => o.effects);
  const counts: Counts = { ...decoded, ...countEffects(effects) };

  const committedRefusals = cutoff === undefined ? batch.refused : batch.refused.filter((r) => r.position < cutoff);
  const alreadyCounted = new Set(loaded.value.pending.flatMap((m) => m.fingerprints));
  const windowItems = aggregateEffects(effects, committedRefusals, shardId, deps.rules.windowMs, loaded.value.metrics, alreadyCounted);
  const metricsWritten = await orRetry(
    () => deps.store.putMetrics(windowItems, loaded.value.metrics),
    deps.log,
    shardId,
    'could not write metrics; retrying the batch',
  );
  if (!metricsWritten) return retryWholeBatch(counts);

  const counted = effects.filter((e) => e.kind !== 'already_applied');
  const marker: PendingMarker = {
    shardId,
    firstSequenceNumber: first.kinesis.sequenceNumber,
    fingerprints: unique(counted.map((e) => sessionFingerprint(e.event.eventId))),
  };
  if (marker.fingerprints.length > 0) {
    const markerWritten = await orRetry(
      () => deps.store.putPending(marker),
      deps.log,
      shardId,
      'could not write the pending-metrics marker; retrying the batch',
    );
    if (!markerWritten) return retryWholeBatch(counts);
  }

  const { lowest: lowestFailed, failedUserIds } = await writeUsers(deps, shardId, outcomes);
  await settleMarkers(deps, shardId, marker, loaded.value.pending, outcomes, failedUserIds);
  const retryPosition = lowestFailed !== undefined && (cutoff === undefined || lowestFailed < cutoff) ? lowestFailed : cutoff;
  const retryFrom = retryPosition === undefined ? undefined : batch.positions.find((p) => p.position === retryPosition)?.sequenceNumber;
  return result(counts, retryFrom);
}

/** The metrics windows a batch touches: its events' by event time, its refused records' by arrival. */
function windowsOf(batch: DecodedBatch, windowMs: number): number[] {
  const windows = new Set<number>();
  for (const events of batch.byUser.values()) for (const e of events) windows.add(windowStart(e.event.timestampMs, windowMs));
  for (const r of batch.refused) windows.add(windowStart(r.arrivalMs, windowMs));
  return [...windows];
}

/**
 * Runs a store call; undefined when it failed in a way a retry of the batch can fix. Throttling, 5xx and
 * timeouts are retried from the first record; anything else (a missing table or grant) is thrown, so that
 * the invocation shows as an error and Lambda bisects and retries it.
 */
async function orRetry<T>(call: () => Promise<T>, log: Log, shardId: string, message: string): Promise<{ readonly value: T } | undefined> {
  try {
    return { value: await call() };
  } catch (err) {
    if (!(err instanceof RetryableStoreError)) throw err;
    log.warn(message, { shardId, error: describe(err) });
    return undefined;
  }
}

/** Writes every user the batch changed; returns the users whose writes failed and the lowest of their records. */
async function writeUsers(
  deps: BatchDeps,
  shardId: string,
  outcomes: ReadonlyMap<string, UserOutcome>,
): Promise<{ lowest: bigint | undefined; failedUserIds: readonly string[] }> {
  const writes: UserWrite[] = [];
  for (const outcome of outcomes.values()) {
    if (outcome.effects.some((e) => e.kind !== 'already_applied')) writes.push({ state: outcome.state, sessions: outcome.closedSessions });
  }
  const { failedUserIds } = await deps.store.putUsers(writes);
  if (failedUserIds.length === 0) return { lowest: undefined, failedUserIds };
  deps.log.warn('could not write some users; retrying from the lowest', { shardId, users: failedUserIds.length });
  const lowest = lowestPosition(failedUserIds.map((userId) => ({ position: lowestPosition(outcomes.get(userId)!.effects) })));
  return { lowest, failedUserIds };
}

/**
 * After the users' writes: this batch's marker keeps only the events of the users that could not be written
 * (deleted when there are none), and every other marker loses the events of the users written now. A marker
 * that cannot be changed now stays as it was: it errs towards not counting an event a second time, and its
 * items expire with the metrics.
 */
async function settleMarkers(
  deps: BatchDeps,
  shardId: string,
  own: PendingMarker,
  loaded: readonly PendingMarker[],
  outcomes: ReadonlyMap<string, UserOutcome>,
  failedUserIds: readonly string[],
): Promise<void> {
  const failed = new Set(failedUserIds);
  const unwritten = new Set<string>();
  const written = new Set<string>();
  for (const [userId, outcome] of outcomes) {
    for (const e of outcome.effects)
      if (e.kind !== 'already_applied') (failed.has(userId) ? unwritten : written).add(sessionFingerprint(e.event.eventId));
  }
  const ownKey = `${own.shardId}#${own.firstSequenceNumber}`;
  const changes: Array<Promise<void>> = [];
  const settle = (m: PendingMarker, keep: (f: string) => boolean) => {
    const left = m.fingerprints.filter(keep);
    if (left.length === m.fingerprints.length) return;
    // Another shard's marker may be deleted by its own batch meanwhile: a trim must not bring it back.
    const others = m !== own;
    changes.push(left.length === 0 ? deps.store.deletePending(m) : deps.store.putPending({ ...m, fingerprints: left }, others));
  };
  if (own.fingerprints.length > 0) settle(own, (f) => unwritten.has(f));
  for (const m of loaded) if (`${m.shardId}#${m.firstSequenceNumber}` !== ownKey) settle(m, (f) => !written.has(f));
  const results = await Promise.allSettled(changes);
  const failures = results.filter((r) => r.status === 'rejected').length;
  if (failures > 0) deps.log.warn('could not update some pending-metrics markers; they stay as they were', { shardId, markers: failures });
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * A refused record is counted and logged with its reason and position, and not reported to Lambda:
 * retrying cannot fix it and would block the shard. It is counted once in the metrics window of its arrival
 * (by the same watermark as events); the archive path keeps its bytes under the error prefix.
 */
function logRefusal(log: Log, shardId: string, r: RefusedUserRecord): void {
  log.warn('record refused', {
    reason: r.refusal.reason,
    field: r.refusal.field,
    detail: r.refusal.message,
    shardId,
    sequenceNumber: r.sequenceNumber,
    subSequenceNumber: r.subSequenceNumber,
  });
}

function decodeCounts(batch: DecodedBatch): Pick<Counts, 'recordsIn' | 'valid' | 'refused' | 'refusedByReason'> {
  const refusedByReason: Partial<Record<ReasonCode, number>> = {};
  for (const { refusal } of batch.refused) refusedByReason[refusal.reason] = (refusedByReason[refusal.reason] ?? 0) + 1;
  let valid = 0;
  for (const events of batch.byUser.values()) valid += events.length;
  return { recordsIn: batch.positions.length, valid, refused: batch.refused.length, refusedByReason };
}

function countEffects(
  effects: readonly EventEffect[],
): Pick<Counts, 'applied' | 'duplicates' | 'late' | 'alreadyApplied' | 'sessionsStarted'> {
  const counts = { applied: 0, duplicates: 0, late: 0, alreadyApplied: 0, sessionsStarted: 0 };
  for (const e of effects) {
    if (e.kind === 'applied') counts.applied += 1;
    else if (e.kind === 'duplicate') counts.duplicates += 1;
    else if (e.kind === 'late') counts.late += 1;
    else counts.alreadyApplied += 1;
    if (e.sessionStarted) counts.sessionsStarted += 1;
  }
  return counts;
}

function result(counts: Counts, retryFrom: string | undefined): BatchResult {
  return {
    response: { batchItemFailures: retryFrom === undefined ? [] : [{ itemIdentifier: retryFrom }] },
    report: { ...counts, retryFrom },
  };
}

/** The shard id from a Lambda Kinesis eventID (`shardId-000000000000:4959…`). */
export function shardOf(eventID: string): string {
  const colon = eventID.indexOf(':');
  return colon < 0 ? eventID : eventID.slice(0, colon);
}

function describe(err: unknown): string {
  return cutText(err instanceof Error ? `${err.name}: ${err.message}` : String(err), 200);
}
