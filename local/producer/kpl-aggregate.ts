/** Packing payloads into KPL aggregated records (aws-kinesis-agg), as the Kinesis Producer Library does. */
import * as agg from 'aws-kinesis-agg';

/** One aggregated Kinesis record: its partition key and its bytes (magic, protobuf, MD5). */
export interface AggregatedRecord {
  readonly partitionKey: string;
  readonly data: Buffer;
}

interface Aggregator {
  aggregateRecords(records: unknown[], forceFlush: boolean, cb: (err: Error | null, encoded?: AggregatedRecord) => void): void;
}

/** Aggregates payloads into as few Kinesis records as the 1 MB limit allows. */
export function aggregate(payloads: ReadonlyArray<{ partitionKey: string; data: Buffer }>): AggregatedRecord[] {
  const out: AggregatedRecord[] = [];
  let failure: Error | undefined;
  // The package ships RecordAggregator without a type declaration.
  const { RecordAggregator } = agg as unknown as { RecordAggregator: new () => Aggregator };
  const aggregator = new RecordAggregator();
  aggregator.aggregateRecords(
    payloads.map((p) => ({ partitionKey: p.partitionKey, data: p.data })),
    true,
    (err, encoded) => {
      if (err) failure ??= err;
      else if (encoded) out.push({ partitionKey: encoded.partitionKey, data: Buffer.from(encoded.data) });
    },
  );
  if (failure) throw failure;
  return out;
}
