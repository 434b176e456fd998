/** Factories for Firehose transformation events with a Kinesis Data Streams source. */
import type { FirehoseTransformationEvent, FirehoseTransformationEventRecord } from 'aws-lambda';
import { T0, sequenceNumber } from './events';

/** A transformation record carrying `payload` (objects are JSON-encoded; strings and Buffers are sent as is). */
export function firehoseRecord(payload: unknown, index: number, arrivalMs = T0 + 60_000): FirehoseTransformationEventRecord {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return {
    recordId: `4960${String(index).padStart(8, '0')}000000000000000000000000000000000000000000000000000000`,
    approximateArrivalTimestamp: arrivalMs,
    data: bytes.toString('base64'),
    kinesisRecordMetadata: {
      shardId: 'shardId-000000000000',
      partitionKey: 'user-1',
      approximateArrivalTimestamp: arrivalMs,
      sequenceNumber: sequenceNumber(index),
      subsequenceNumber: '0',
    },
  };
}

export function firehoseEvent(payloads: readonly unknown[], arrivalMs?: number): FirehoseTransformationEvent {
  return {
    invocationId: 'invocation-1',
    deliveryStreamArn: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/clickstream-archive',
    sourceKinesisStreamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/clickstream',
    region: 'eu-west-1',
    records: payloads.map((p, i) => firehoseRecord(p, i, arrivalMs)),
  };
}

/** The decoded row of an Ok answer. */
export function rowOf(data: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(data ?? '', 'base64').toString('utf8')) as Record<string, unknown>;
}
