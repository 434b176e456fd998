/** The workload's records as Lambda's Kinesis event carries them, for the benches that call the handlers. */
import type { KinesisStreamRecord } from 'aws-lambda';
import type { WorkloadRecord } from '../local/workload/synthetic';

/** Kinesis records of one shard, in the workload's order, as Lambda gives them; the first at position `firstIndex`. */
export function shardRecords(records: readonly WorkloadRecord[], arrivalSeconds: number, firstIndex = 0): KinesisStreamRecord[] {
  return records.map((r, k) => ({
    eventID: `shardId-000000000000:${String(1e20 + firstIndex + k)}`,
    eventName: 'aws:kinesis:record',
    eventVersion: '1.0',
    eventSource: 'aws:kinesis',
    awsRegion: 'us-east-1',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/bench',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/bench',
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: r.partitionKey,
      sequenceNumber: String(1e20 + firstIndex + k),
      data: r.data.toString('base64'),
      approximateArrivalTimestamp: arrivalSeconds,
    },
  }));
}
