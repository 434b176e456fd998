/** Turning Kinesis records into user records: base64 decoding and KPL de-aggregation (aws-kinesis-agg). */
import type * as Kpl from 'aws-kinesis-agg';
import { refuse } from './reasons';
import type { Refusal } from './reasons';
import { cutText } from './text';

/** The first four bytes of a KPL aggregated record. */
const KPL_MAGIC = [0xf3, 0x89, 0x9a, 0xc2] as const;

/** The fields of a Kinesis record that both consumers read. */
export interface KinesisRecordInput {
  readonly data: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  /** Epoch seconds, as Lambda's Kinesis event gives it. */
  readonly approximateArrivalTimestamp: number;
}

/** One producer payload: a plain Kinesis record, or one user record of a KPL aggregate. */
export interface UserRecord {
  readonly sequenceNumber: string;
  /** Position inside a KPL aggregate; 0 for a plain record. */
  readonly subSequenceNumber: number;
  readonly partitionKey: string;
  readonly arrivalMs: number;
  readonly payload: Buffer;
}

export type Unpacked = { readonly ok: true; readonly records: UserRecord[] } | { readonly ok: false; readonly refusal: Refusal };

let kpl: typeof Kpl | undefined;

/**
 * aws-kinesis-agg, loaded on the first aggregate: it brings protobufjs and some 20 ms of a cold start
 * (`npm run bench:cold-start`), which a function whose producers do not aggregate would pay for nothing.
 * `require` keeps `unpackRecord` synchronous; esbuild bundles the module and runs it on that first call.
 */
function loadKpl(): typeof Kpl {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, see above
  kpl ??= require('aws-kinesis-agg') as typeof Kpl;
  return kpl;
}

/** True when the bytes carry the KPL aggregate header. */
export function isAggregate(bytes: Buffer): boolean {
  // Compared byte by byte: a subarray and equals() per record cost more than the rest of this check.
  return (
    bytes.length >= 4 && bytes[0] === KPL_MAGIC[0] && bytes[1] === KPL_MAGIC[1] && bytes[2] === KPL_MAGIC[2] && bytes[3] === KPL_MAGIC[3]
  );
}

/**
 * The user records inside one Kinesis record. A record with the KPL header whose checksum or protobuf body
 * is wrong is refused as a whole with `invalid_aggregate`; nothing here throws on bad input.
 */
export function unpackRecord(record: KinesisRecordInput): Unpacked {
  const arrivalMs = Math.round(record.approximateArrivalTimestamp * 1000);
  const bytes = Buffer.from(record.data, 'base64');
  if (!isAggregate(bytes)) {
    return {
      ok: true,
      records: [
        { sequenceNumber: record.sequenceNumber, subSequenceNumber: 0, partitionKey: record.partitionKey, arrivalMs, payload: bytes },
      ],
    };
  }
  let failure: Error | undefined;
  let inner: Array<{ partitionKey: string; data: string; subSequenceNumber?: number }> = [];
  try {
    loadKpl().deaggregateSync(
      { data: record.data, sequenceNumber: record.sequenceNumber, partitionKey: record.partitionKey } as never,
      true,
      (err, userRecords) => {
        if (err) failure ??= err;
        else inner = userRecords ?? [];
      },
    );
  } catch (err) {
    failure = err as Error;
  }
  if (failure || inner.length === 0) {
    const why = failure ? cutText(failure.message, 80) : 'no user records';
    return { ok: false, refusal: refuse('invalid_aggregate', '', 'a KPL aggregate with a valid checksum', why) };
  }
  return {
    ok: true,
    records: inner.map((u, i) => ({
      sequenceNumber: record.sequenceNumber,
      subSequenceNumber: u.subSequenceNumber ?? i,
      partitionKey: u.partitionKey,
      arrivalMs,
      payload: Buffer.from(u.data, 'base64'),
    })),
  };
}
