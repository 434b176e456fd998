/**
 * Redriving failed records: every object of each failure source is read, each of its records decided with
 * today's validation (see redrive-decision.ts), and the records that now pass are moved back onto the stream
 * in three steps per object:
 *
 * 1. the records about to be put are written to `redriven/<original key>` in the same store and format;
 * 2. they are put on the stream, the original bytes each (a KPL aggregate's user records one by one, each
 *    with its own bytes, so that both functions give it the event id it had);
 * 3. the original object is rewritten with only the records that stay (refused, too old now, or outside the
 *    dates asked for), or deleted when none stays.
 *
 * A second run therefore finds only records that stay and puts nothing. A crash between steps 2 and 3 leaves
 * the object whole, and the next run puts its records again: the session path counts the second copy as a
 * duplicate or late event (its fingerprint), and the archive gets a second row, which
 * `queries/deduplicated_events.sql` removes by event_id.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { EventTimeBounds } from '../../functions/shared/validate-event';
import { putAll } from '../producer/producer';
import type { FailureObject } from './failure-objects';
import { FAILURE_PREFIXES } from './failure-objects';
import type { ListedObject, ObjectContent, ObjectStore } from './object-store';
import { decide } from './redrive-decision';
import type { ArrivalRange, RedriveDecision } from './redrive-decision';
import type { FailureSource } from './redrive-sources';

/** A record to put back: its bytes as first sent, and its partition key. */
export interface RedriveRecord {
  readonly partitionKey: string;
  readonly data: Buffer;
}

/** Puts records on the stream; resolves once Kinesis has accepted every one, throws otherwise. */
export type PutBack = (records: readonly RedriveRecord[]) => Promise<void>;

export interface RedriveSettings {
  readonly bounds: EventTimeBounds;
  /** The arrival a record put back gets: its event time must still be within the bound of it. */
  readonly nowMs: number;
  readonly range: ArrivalRange;
  /** Decide and count only: write nothing, put nothing. */
  readonly dryRun: boolean;
}

/** What redrive found and did in one source. */
export interface SourceReport {
  readonly source: string;
  /** The prefix and the store: `errors/processing-failed/ in bucket B`. */
  readonly location: string;
  objectsRead: number;
  recordsRead: number;
  /** Records put back on the stream (in a dry run: that would be). */
  put: number;
  /** Records refused by today's validation at their original arrival, by the contract's reason code. */
  readonly refusedByReason: Record<string, number>;
  /** Records valid when they arrived and older than the bound now; left in place. */
  tooOldNow: number;
  /** Records that arrived outside `--from`/`--to`; left in place. */
  outsideRange: number;
  /** Objects all of whose records were put: moved whole to `redriven/`. */
  objectsMoved: number;
  /** Objects some of whose records were put: those moved, the others left in the rewritten object. */
  objectsSplit: number;
  /** Objects in an archived storage class that has not been restored: not read. */
  readonly notReadable: string[];
  /** Objects not in the source's format: not read. */
  readonly malformed: string[];
}

/**
 * Redrives every source. All of them are listed first: while records are put back, the consumers may write
 * new failures, which this run leaves for the next.
 */
export async function redrive(sources: readonly FailureSource[], settings: RedriveSettings, putBack: PutBack): Promise<SourceReport[]> {
  const listed: ListedObject[][] = [];
  for (const source of sources) listed.push(await collect(source.objects(settings.range)));
  const reports: SourceReport[] = [];
  for (const [i, source] of sources.entries()) {
    const report = emptyReport(source);
    for (const object of listed[i]!) await redriveObject(source, object, settings, putBack, report);
    reports.push(report);
  }
  return reports;
}

/**
 * Records put back through PutRecords: batches of at most 500 records and 5 MiB (`local/limits.ts`); an entry
 * Kinesis refuses comes back with ErrorCode ProvisionedThroughputExceededException or InternalFailure and no
 * sequence number ("PutRecordsResultEntry", https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecordsResultEntry.html),
 * and is put again with backoff.
 */
export function kinesisPutBack(client: KinesisClient, streamName: string): PutBack {
  return async (records) => {
    // Each record has its own order key, so that only the entries Kinesis refused are put again: the
    // producer's rule (re-put every later record of a refused record's key, to keep a live user's order)
    // would add copies to the archive, and redriven events are past events whose order among themselves
    // the session path does not need (each is applied, a duplicate or late by its own event time).
    await putAll(
      client,
      streamName,
      records.map((r, i) => ({ partitionKey: r.partitionKey, data: r.data, orderKey: String(i) })),
    );
  };
}

async function redriveObject(
  source: FailureSource,
  object: ListedObject,
  settings: RedriveSettings,
  putBack: PutBack,
  report: SourceReport,
): Promise<void> {
  const { store } = source;
  if (!(await store.readable(object))) {
    report.notReadable.push(object.key);
    return;
  }
  const content = await store.get(object.key);
  let parsed: FailureObject;
  try {
    parsed = source.read(content.body);
  } catch {
    report.malformed.push(object.key);
    return;
  }
  report.objectsRead += 1;
  report.recordsRead += parsed.records.length;
  const decisions = parsed.records.map((r) => decide(r, settings.bounds, settings.nowMs, settings.range));
  tally(report, decisions);
  const toPut = decisions.flatMap((d, i) => (d.kind === 'put' ? [{ partitionKey: d.partitionKey, data: parsed.records[i]!.payload }] : []));
  if (toPut.length === 0) return;
  if (toPut.length === decisions.length) report.objectsMoved += 1;
  else report.objectsSplit += 1;
  if (settings.dryRun) {
    report.put += toPut.length;
    return;
  }
  const putNow = (_r: unknown, i: number) => decisions[i]!.kind === 'put';
  const moved = parsed.keeping(putNow)!;
  await store.put(await redrivenKey(store, object.key, moved), moved, { ...content, version: undefined });
  await putBack(toPut);
  report.put += toPut.length;
  await rewrite(
    store,
    object.key,
    parsed.keeping((r, i) => !putNow(r, i)),
    content,
  );
}

function tally(report: SourceReport, decisions: readonly RedriveDecision[]): void {
  for (const d of decisions) {
    if (d.kind === 'refused') report.refusedByReason[d.reason] = (report.refusedByReason[d.reason] ?? 0) + 1;
    else if (d.kind === 'too-old-now') report.tooOldNow += 1;
    else if (d.kind === 'outside-range') report.outsideRange += 1;
  }
}

/** The original object with only the records that stay, in place (conditional on its version in S3), or deleted. */
async function rewrite(store: ObjectStore, key: string, rest: Buffer | undefined, content: ObjectContent): Promise<void> {
  if (rest === undefined) await store.delete(key);
  else await store.put(key, rest, content);
}

/**
 * Where the moved records go: `redriven/<original key>`, or, when an earlier run moved other records of the
 * same object there (a second fix redrives what the first left), the first of `<key>.2`, `<key>.3`, … that is
 * free. A key that already holds these very bytes (a run that stopped after step 1 or 2) is written again.
 */
async function redrivenKey(store: ObjectStore, key: string, body: Buffer): Promise<string> {
  const base = `${FAILURE_PREFIXES.redriven}${key}`;
  const taken = new Set<string>();
  for await (const o of store.list(base)) taken.add(o.key);
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? base : `${base}.${n}`;
    if (!taken.has(candidate) || (await store.get(candidate)).body.equals(body)) return candidate;
  }
}

function emptyReport(source: FailureSource): SourceReport {
  return {
    source: source.name,
    location: `${source.prefix} in ${source.store.description}`,
    objectsRead: 0,
    recordsRead: 0,
    put: 0,
    refusedByReason: {},
    tooOldNow: 0,
    outsideRange: 0,
    objectsMoved: 0,
    objectsSplit: 0,
    notReadable: [],
    malformed: [],
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Records that stay, summed over the reasons. */
export function stillRefused(report: SourceReport): number {
  return Object.values(report.refusedByReason).reduce((n, v) => n + v, 0);
}
