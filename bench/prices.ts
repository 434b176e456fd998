/**
 * The price table every cost figure is computed from: AWS list prices, US East (N. Virginia), on-demand,
 * without free tier, in USD. Read on 2026-11-27 from the AWS pricing pages named beside each entry (the
 * DynamoDB on-demand rates are those after the November 2024 reduction). Check them before relying on a
 * figure: prices change, and other regions differ.
 */
export const PRICES = {
  region: 'us-east-1',
  readOn: '2026-11-27',
  kinesis: {
    source: 'aws.amazon.com/kinesis/data-streams/pricing',
    shardHour: 0.015,
    /** Per million PUT payload units (25 KB each). */
    putPayloadUnitsPerMillion: 0.014,
  },
  lambda: {
    source: 'aws.amazon.com/lambda/pricing',
    requestsPerMillion: 0.2,
    /** Arm (Graviton), per GB-second. */
    gbSecondArm: 0.0000133334,
  },
  dynamodb: {
    source: 'aws.amazon.com/dynamodb/pricing/on-demand',
    writeRequestUnitsPerMillion: 0.625,
    readRequestUnitsPerMillion: 0.125,
    storageGbMonth: 0.25,
    pitrGbMonth: 0.2,
  },
  firehose: {
    source: 'aws.amazon.com/firehose/pricing',
    /** Ingestion with a Kinesis Data Streams source, first 500 TB/month; each record rounded up to 5 KB. */
    ingestionGb: 0.029,
    recordRoundingBytes: 5 * 1024,
    dynamicPartitioningGb: 0.02,
    dynamicPartitioningPer1000Objects: 0.005,
    formatConversionGb: 0.018,
  },
  s3: {
    source: 'aws.amazon.com/s3/pricing',
    standardGbMonth: 0.023,
    glacierFlexibleGbMonth: 0.0036,
    putPer1000: 0.005,
  },
  cloudwatch: {
    source: 'aws.amazon.com/cloudwatch/pricing',
    alarmMonth: 0.1,
    customMetricMonth: 0.3,
    logsIngestionGb: 0.5,
    /** The first three dashboards of an account are free. */
    dashboardMonth: 3,
  },
  kms: {
    source: 'aws.amazon.com/kms/pricing',
    keyMonth: 1,
  },
} as const;

export const HOURS_PER_MONTH = 730;
