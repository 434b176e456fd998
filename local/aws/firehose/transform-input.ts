/** What Firehose hands its transform for records read from a Kinesis stream: KPL aggregates unpacked, one event record per user record. */
import type { _Record } from '@aws-sdk/client-kinesis';
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import { unpackRecord } from '../../../functions/shared/kinesis-records';

/**
 * The transform's input records for one GetRecords of a shard. Firehose de-aggregates what it can; a
 * corrupt aggregate reaches the transform as it is. A recordId is the sequence number then the sub-sequence
 * number: a position that only grows in a shard.
 */
export function transformInput(shardId: string, records: readonly _Record[]): FirehoseTransformationEventRecord[] {
  const input: FirehoseTransformationEventRecord[] = [];
  for (const r of records) {
    const arrival = r.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
    const data = Buffer.from(r.Data ?? new Uint8Array()).toString('base64');
    const unpacked = unpackRecord({
      data,
      sequenceNumber: r.SequenceNumber!,
      partitionKey: r.PartitionKey!,
      approximateArrivalTimestamp: arrival / 1000,
    });
    const users = unpacked.ok
      ? unpacked.records
      : [
          {
            sequenceNumber: r.SequenceNumber!,
            subSequenceNumber: 0,
            partitionKey: r.PartitionKey!,
            arrivalMs: arrival,
            payload: Buffer.from(data, 'base64'),
          },
        ];
    for (const u of users) {
      input.push({
        recordId: `${u.sequenceNumber}${String(u.subSequenceNumber).padStart(8, '0')}`,
        approximateArrivalTimestamp: arrival,
        data: u.payload.toString('base64'),
        kinesisRecordMetadata: {
          shardId,
          partitionKey: u.partitionKey,
          approximateArrivalTimestamp: arrival,
          sequenceNumber: u.sequenceNumber,
          subsequenceNumber: String(u.subSequenceNumber),
        },
      });
    }
  }
  return input;
}
