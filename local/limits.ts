/**
 * AWS limits the local runtime checks its flags and records against, declared once. Each names its source.
 */

/**
 * A Kinesis record: data blob (before base64) plus partition key, at most 1 MiB; a partition key is 1–256
 * Unicode characters. https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecordsRequestEntry.html
 */
export const KINESIS_RECORD_MAX_BYTES = 1024 * 1024;
export const KINESIS_PARTITION_KEY_MAX_CHARS = 256;

/**
 * PutRecords: at most 500 records and 5 MiB per request, partition keys included.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
 */
export const PUT_RECORDS_MAX_RECORDS = 500;
export const PUT_RECORDS_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Lambda's event source mapping BatchSize: 1 to 10,000 (and GetRecords' Limit is at most 10,000, so one
 * poll can fill a batch). https://docs.aws.amazon.com/lambda/latest/dg/API_EventSourceMappingConfiguration.html,
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html
 */
export const BATCH_SIZE_RANGE = { min: 1, max: 10_000 } as const;

/**
 * Shards of the local stream. AWS sets no upper limit per stream, only an account quota (20,000 shards in
 * us-east-1 by default: https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html); the
 * local emulator runs one poller per shard and per consumer on this machine, so it is started with this limit.
 */
export const LOCAL_SHARD_RANGE = { min: 1, max: 64 } as const;

/**
 * Firehose BufferingHints: IntervalInSeconds 0–900, SizeInMBs 1–128.
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html
 */
export const BUFFER_SECONDS_RANGE = { min: 0, max: 900 } as const;
export const BUFFER_MB_RANGE = { min: 1, max: 128 } as const;

/** Kinesis stream names: 1–128 characters of [a-zA-Z0-9_.-] (same API reference, CreateStream). */
export const STREAM_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,128}$/;

/** `clickstream up` takes the Kinesis port and the next four: DynamoDB, the collector, the demo site and the dashboard. */
export const PORT_RANGE = { min: 1, max: 65_531 } as const;

/** Bytes a record counts against the Kinesis limit: its data plus its partition key in UTF-8. */
export function kinesisRecordBytes(data: Uint8Array, partitionKey: string): number {
  return data.length + Buffer.byteLength(partitionKey, 'utf8');
}
