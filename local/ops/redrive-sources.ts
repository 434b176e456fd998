/**
 * The two places `redrive` reads failed records from, each with the objects to read for a range of arrival
 * dates and the reader of its format:
 *
 * - **Firehose's processing-failed output** (archive store, `errors/processing-failed/dt=…/`). Only this kind:
 *   its records are the producer's records, as the transform received them; the other kinds hold what the
 *   transform made of them (format-conversion-failed keeps the transform's row), which is not a producer
 *   record and cannot be put back.
 * - **The on-failure destination** (failure store, `aws/lambda/<ESM-UUID>/<shardId>/yyyy/MM/dd/`): the batches
 *   the session-processor gave up on, whole.
 */
import { archiveErrorDatePrefix } from '../../functions/shared/firehose-prefixes';
import { FAILURE_PREFIXES, readErrorOutput, readFailedBatch } from './failure-objects';
import type { FailureObject } from './failure-objects';
import type { ListedObject, ObjectStore } from './object-store';
import { addDays, inRange } from './redrive-decision';
import type { ArrivalRange } from './redrive-decision';

export interface FailureSource {
  /** The source in words, for the report. */
  readonly name: string;
  readonly store: ObjectStore;
  readonly prefix: string;
  /** The objects that may hold records that arrived in `range`. */
  objects(range: ArrivalRange): AsyncIterable<ListedObject>;
  read(body: Buffer): FailureObject;
}

/** Error kind whose records redrive puts back (Firehose names the kinds: `!{firehose:error-output-type}`). */
const PROCESSING_FAILED = 'processing-failed';

/** A per-day listing is used for ranges up to this many days; longer or open ranges list the whole prefix. */
const MAX_DAYS_LISTED_ONE_BY_ONE = 366;

/**
 * Firehose's processing-failed output. Its `dt=` folder is the arrival date of the oldest record in the object
 * ("Firehose uses the approximate arrival timestamp of the oldest record that's contained in the Amazon S3
 * object being written", https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html): an object dated
 * after `--to` holds nothing that arrived by then, and one dated before `--from` can still hold records of
 * the next day (Firehose reads a record within the stream's retention, 24 hours by default, and writes it
 * within a buffering interval), so the day before `--from` is read too.
 */
export function processingFailedSource(store: ObjectStore): FailureSource {
  const prefix = FAILURE_PREFIXES.processingFailed;
  return {
    name: 'archive error output (processing-failed)',
    store,
    prefix,
    async *objects(range) {
      const days = range.from !== undefined && range.to !== undefined ? datesFrom(addDays(range.from, -1), range.to) : undefined;
      if (days !== undefined && days.length <= MAX_DAYS_LISTED_ONE_BY_ONE) {
        for (const day of days) yield* store.list(archiveErrorDatePrefix(PROCESSING_FAILED, day));
        return;
      }
      const dated = {
        ...(range.from !== undefined ? { from: addDays(range.from, -1) } : {}),
        ...(range.to !== undefined ? { to: range.to } : {}),
      };
      for await (const o of store.list(prefix)) {
        const dt = /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(o.key)?.[1];
        if (dt === undefined || inRange(dt, dated)) yield o;
      }
    },
    read: readErrorOutput,
  };
}

/**
 * The on-failure destination. Its date folders are when the batch failed, never before its records arrived
 * ("Retain discarded batch records…", https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html):
 * an object dated before `--from` holds nothing that arrived since. The mapping's UUID and the shard come
 * before the date in the key, so the whole prefix is listed and the dates read from the keys.
 */
export function onFailureSource(store: ObjectStore): FailureSource {
  const prefix = FAILURE_PREFIXES.onFailure;
  return {
    name: 'on-failure destination',
    store,
    prefix,
    async *objects(range) {
      for await (const o of store.list(prefix)) {
        const m = /\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+$/.exec(o.key);
        if (m === null || range.from === undefined || `${m[1]}-${m[2]}-${m[3]}` >= range.from) yield o;
      }
    },
    read: readFailedBatch,
  };
}

/** Every date from `from` to `to`, inclusive. */
function datesFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length <= MAX_DAYS_LISTED_ONE_BY_ONE; d = addDays(d, 1)) out.push(d);
  return out;
}
