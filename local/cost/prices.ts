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
    putPer1000: 0.005,
    /**
     * The archive's storage classes (S3 API names): storage per GB-month, lifecycle transition requests per
     * 1,000, and retrieval per GB (Instant Retrieval: charged when Athena reads; the others: a standard restore,
     * plus its requests per 1,000). The Instant Retrieval, Deep Archive and request figures were not re-read
     * from the pricing page on this machine (no access to it here): check them before relying on a figure.
     */
    archiveClasses: {
      GLACIER_IR: { gbMonth: 0.004, transitionPer1000: 0.02, retrievalGb: 0.03, restorePer1000: 0 },
      GLACIER: { gbMonth: 0.0036, transitionPer1000: 0.03, retrievalGb: 0.01, restorePer1000: 0.05 },
      DEEP_ARCHIVE: { gbMonth: 0.00099, transitionPer1000: 0.05, retrievalGb: 0.02, restorePer1000: 0.1 },
    },
    /** Objects under this size stay in Standard (the bucket's lifecycle default, all_storage_classes_128K). */
    minTransitionBytes: 128 * 1024,
    /** Metadata S3 keeps per object archived to Flexible Retrieval or Deep Archive: 8 KB at Standard, 32 KB at the class. */
    archivedObjectOverheadStandardBytes: 8 * 1024,
    archivedObjectOverheadClassBytes: 32 * 1024,
  },
  cloudwatch: {
    source: 'aws.amazon.com/cloudwatch/pricing',
    alarmMonth: 0.1,
    customMetricMonth: 0.3,
    logsIngestionGb: 0.5,
    /** The first three dashboards of an account are free. */
    dashboardMonth: 3,
  },
  apiGateway: {
    source: 'aws.amazon.com/api-gateway/pricing',
    /** REST API calls, first 333 million a month. */
    restRequestsPerMillion: 3.5,
  },
  kms: {
    source: 'aws.amazon.com/kms/pricing',
    keyMonth: 1,
  },
} as const;

export const HOURS_PER_MONTH = 730;
