/** Factories for producer events and the Kinesis events that carry them; no hand-edited JSON fixtures. */
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

export const T0 = Date.parse('2026-11-27T10:00:00.000Z');
export const MINUTE = 60_000;

/** A valid producer event; override any field, or set it to undefined to leave it out. */
export function producerEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    userId: 'user-1',
    eventName: 'page_view',
    eventType: 'page_view',
    timestamp: new Date(T0).toISOString(),
    url: 'https://shop.example.com/products/42?utm_source=news&utm_medium=email&utm_campaign=winter',
    referrer: 'https://www.google.com/',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    ip: '203.0.113.7',
    properties: { plan: 'free' },
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

const SEQ_BASE = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n;

/** The sequence number of the i-th record of a shard, rising as Kinesis's do. */
export function sequenceNumber(i: number): string {
  return (SEQ_BASE + BigInt(i) * 1_000_000n).toString();
}

export interface RecordOptions {
  readonly index: number;
  readonly shardId?: string;
  readonly partitionKey?: string;
  /** Epoch milliseconds; defaults to an hour after the event time base, so events up to then are not in the future. */
  readonly arrivalMs?: number;
}

/** A Lambda Kinesis record carrying `payload` (an object is JSON-encoded, a string or Buffer is sent as is). */
export function kinesisRecord(payload: unknown, o: RecordOptions): KinesisStreamRecord {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const shardId = o.shardId ?? 'shardId-000000000000';
  const seq = sequenceNumber(o.index);
  return {
    eventID: `${shardId}:${seq}`,
    eventName: 'aws:kinesis:record',
    eventVersion: '1.0',
    eventSource: 'aws:kinesis',
    awsRegion: 'eu-west-1',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/session-processor',
    eventSourceARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/clickstream',
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: o.partitionKey ?? 'user-1',
      sequenceNumber: seq,
      data: bytes.toString('base64'),
      approximateArrivalTimestamp: (o.arrivalMs ?? T0 + 60 * MINUTE) / 1000,
    },
  };
}

/** A Kinesis event of payloads with rising sequence numbers starting at `firstIndex`. */
export function kinesisEvent(payloads: readonly unknown[], firstIndex = 0, shardId?: string): KinesisStreamEvent {
  return { Records: payloads.map((p, i) => kinesisRecord(p, { index: firstIndex + i, ...(shardId ? { shardId } : {}) })) };
}
