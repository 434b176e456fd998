/**
 * Monthly cost of the pipeline and of the per-event design it replaces (one session read, one session
 * write, one metrics write and one S3 PUT per event), from {@link PRICES} and per-event rates. Traffic is
 * taken as steady over the month; the stream is sized for three times the average rate.
 */
import { SESSION_PROCESSOR_METRICS } from '../../functions/shared/metric-names';
import { DEFAULT_CONFIG } from '../../stacks/config';
import type { ArchiveStorageClass } from '../../stacks/config';
import { HOURS_PER_MONTH, PRICES } from './prices';

const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const MB = 1024 * 1024;
const GB = 1024 ** 3;

/** What one event costs in requests and bytes; defaults are the figures of the last `npm run bench`. */
export interface Rates {
  /** Producer payload size. */
  readonly eventBytes: number;
  /** Archive bytes per event after GZIP. */
  readonly archiveBytesPerEvent: number;
  /** Enriched row size (what Firehose delivers, before compression). */
  readonly enrichedBytesPerEvent: number;
  /** Capacity units of one user's state write and read; of a closed session's write; of a metrics write and read. */
  readonly stateWriteUnits: number;
  readonly stateReadUnits: number;
  readonly sessionWriteUnits: number;
  readonly windowWriteUnits: number;
  readonly windowReadUnits: number;
  /**
   * The pending-metrics marker: 8 bytes per event of an invocation, Put and Deleted (each charged by the
   * item's size, 1 KB a unit), and one Query of the markers' partition.
   */
  readonly markerBytesPerEvent: number;
  readonly markerReadUnits: number;
  /** Events per session (closed sessions are written once each). */
  readonly eventsPerSession: number;
  /** Lambda time per session-processor invocation: fixed part (DynamoDB round trips) and per event. */
  readonly invocationMs: number;
  readonly perEventMs: number;
  /**
   * Events per collector request. The tracker sends at most 10 at once, after a second of quiet or when the
   * page is hidden: a page view with its scroll marks, or a click that leaves the page, travel together.
   */
  readonly eventsPerCollectorRequest: number;
}

export const DEFAULT_RATES: Rates = {
  eventBytes: 383,
  archiveBytesPerEvent: 54,
  enrichedBytesPerEvent: 870,
  stateWriteUnits: 1.03,
  stateReadUnits: 1,
  sessionWriteUnits: 1.03,
  windowWriteUnits: 1.02,
  windowReadUnits: 1,
  markerBytesPerEvent: 8,
  // A strongly consistent Query of an empty partition.
  markerReadUnits: 1,
  eventsPerSession: 5.72,
  invocationMs: 40,
  perEventMs: 0.15,
  // An assumption, not a measurement: a page view and a scroll mark or a click per request.
  eventsPerCollectorRequest: 2,
};

export interface CostSettings {
  /** Where archive objects go after `transitionDays` (the stack's `archiveStorageClass`). */
  readonly archiveStorageClass: ArchiveStorageClass;
  readonly transitionDays: number;
  /** Months of archive the model keeps (the bill of a pipeline that has run this long): the rest is expired. */
  readonly archiveMonthsKept: number;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly memoryGb: number;
  readonly bufferIntervalSeconds: number;
  /** Metrics the alarms read: CloudWatch charges an alarm per metric it reads, a math expression's each. */
  readonly alarmMetrics: number;
  readonly customMetrics: number;
  /** Whether every event comes through the collector API (the stack's `collector`), rather than straight to the stream. */
  readonly collector: boolean;
}

/**
 * Metrics read by the stack's alarms (stacks/constructs/monitoring.ts): the session-processor's iterator age,
 * errors and throttles; Firehose's freshness, delivery and transform success; the on-failure bucket's writes;
 * read and write throttles of both tables; the refused share's two metrics; and the collector's 4XX and 5XX.
 * test/stacks/alarm-metrics.test.ts holds this to the synthesized template.
 */
export function alarmMetricsOf(collector: boolean): number {
  return 13 + (collector ? 2 : 0);
}

/** The stack's default settings, and what the model counts of the deployment. */
export const DEPLOYED_SETTINGS: CostSettings = {
  archiveStorageClass: DEFAULT_CONFIG.archiveStorageClass,
  transitionDays: DEFAULT_CONFIG.glacierTransitionDays,
  archiveMonthsKept: 12,
  batchSize: DEFAULT_CONFIG.batchSize,
  batchingWindowSeconds: DEFAULT_CONFIG.maxBatchingWindowSeconds,
  memoryGb: 1,
  bufferIntervalSeconds: DEFAULT_CONFIG.bufferingIntervalSeconds,
  alarmMetrics: alarmMetricsOf(DEFAULT_CONFIG.collector),
  customMetrics: Object.keys(SESSION_PROCESSOR_METRICS).length,
  collector: DEFAULT_CONFIG.collector,
};

/**
 * Log bytes of one invocation of either function: the session-processor's EMF line and counts line, or the
 * transform's counts line, and Lambda's START, END and REPORT lines. (The dashboard's Logs Insights widgets
 * are charged by the bytes they scan when it is opened: not modelled, a few cents a month at these sizes.)
 */
const LOG_BYTES_PER_INVOCATION = 1000;

/** Bytes of one access-log line of the collector (a JSON object of 15 fields). */
const ACCESS_LOG_LINE_BYTES = 400;

export interface CostLine {
  readonly item: string;
  readonly usd: number;
}

export interface Estimate {
  readonly eventsPerMonth: number;
  readonly shards: number;
  readonly lines: CostLine[];
  readonly total: number;
}

/** Shards for three times the average rate: 1,000 records/s and 1 MB/s of writes per shard. */
export function shardsFor(eventsPerMonth: number, eventBytes: number): number {
  const peak = (3 * eventsPerMonth) / SECONDS_PER_MONTH;
  return Math.max(1, Math.ceil(peak / 1000), Math.ceil((peak * eventBytes) / MB));
}

/** The pipeline as this stack deploys it. */
export function pipelineCost(eventsPerMonth: number, r: Rates = DEFAULT_RATES, s: CostSettings = DEPLOYED_SETTINGS): Estimate {
  const n = eventsPerMonth;
  const shards = shardsFor(n, r.eventBytes);
  const p = PRICES;
  // Each shard invokes at most once per batching window while records trickle in, or once per full batch.
  const invocations = Math.max(n / s.batchSize, Math.min(n, (shards * SECONDS_PER_MONTH) / Math.max(1, s.batchingWindowSeconds)));
  // At these rates a batch rarely holds two events of one user: one state read and write per event.
  const markerUnits = 2 * Math.max(1, Math.ceil(((n / invocations) * r.markerBytesPerEvent + 100) / 1024));
  const wru = n * (r.stateWriteUnits + r.sessionWriteUnits / r.eventsPerSession) + invocations * (r.windowWriteUnits + markerUnits);
  const rru = n * r.stateReadUnits + invocations * (r.windowReadUnits + r.markerReadUnits);
  const lambdaSeconds = (invocations * r.invocationMs + n * r.perEventMs) / 1000;
  const transformInvocations = Math.max((n * r.eventBytes) / MB, SECONDS_PER_MONTH / s.bufferIntervalSeconds);
  const objects = Math.min(n, SECONDS_PER_MONTH / s.bufferIntervalSeconds) * 1.05;
  const rounded = Math.ceil(r.eventBytes / p.firehose.recordRoundingBytes) * p.firehose.recordRoundingBytes;
  const standardMonths = s.transitionDays / 30;
  const lines: CostLine[] = [
    { item: 'Kinesis shards', usd: shards * HOURS_PER_MONTH * p.kinesis.shardHour },
    { item: 'Kinesis PUT payload units', usd: (n * Math.ceil(r.eventBytes / 25_600) * p.kinesis.putPayloadUnitsPerMillion) / 1e6 },
    {
      item: 'Lambda (both functions)',
      usd:
        ((invocations + transformInvocations) * p.lambda.requestsPerMillion) / 1e6 +
        (lambdaSeconds + transformInvocations * 0.05) * s.memoryGb * p.lambda.gbSecondArm,
    },
    { item: 'DynamoDB writes', usd: (wru * p.dynamodb.writeRequestUnitsPerMillion) / 1e6 },
    { item: 'DynamoDB reads', usd: (rru * p.dynamodb.readRequestUnitsPerMillion) / 1e6 },
    { item: 'DynamoDB storage and PITR', usd: 0.5 * (p.dynamodb.storageGbMonth + p.dynamodb.pitrGbMonth) },
    { item: 'Firehose ingestion (5 KB rounding)', usd: ((n * rounded) / GB) * p.firehose.ingestionGb },
    {
      item: 'Firehose dynamic partitioning',
      usd:
        ((n * r.enrichedBytesPerEvent) / GB) * p.firehose.dynamicPartitioningGb +
        (objects / 1000) * p.firehose.dynamicPartitioningPer1000Objects,
    },
    {
      item: `S3 PUTs and storage (${s.transitionDays} days Standard)`,
      usd: (objects / 1000) * p.s3.putPer1000 + ((standardMonths * n * r.archiveBytesPerEvent) / GB) * p.s3.standardGbMonth,
    },
    archiveLine(n * r.archiveBytesPerEvent, objects, standardMonths, s),
    {
      item: 'CloudWatch alarms, metrics, logs',
      usd:
        s.alarmMetrics * p.cloudwatch.alarmMonth +
        s.customMetrics * p.cloudwatch.customMetricMonth +
        (((invocations + transformInvocations) * LOG_BYTES_PER_INVOCATION) / GB) * p.cloudwatch.logsIngestionGb,
    },
    { item: 'KMS key (alarm topic)', usd: p.kms.keyMonth },
    ...(s.collector ? [collectorLine(n, r)] : []),
  ];
  return { eventsPerMonth: n, shards, lines, total: lines.reduce((t, l) => t + l.usd, 0) };
}

/** The collector API: a REST API call per request and its access-log line. */
function collectorLine(eventsPerMonth: number, r: Rates): CostLine {
  const requests = eventsPerMonth / r.eventsPerCollectorRequest;
  return {
    item: `API Gateway collector (${r.eventsPerCollectorRequest} events a request) and its access log`,
    usd:
      (requests * PRICES.apiGateway.restRequestsPerMillion) / 1e6 +
      ((requests * ACCESS_LOG_LINE_BYTES) / GB) * PRICES.cloudwatch.logsIngestionGb,
  };
}

/** The per-event design: the same stream and functions, but one read, two writes and one S3 PUT per event. */
export function perEventCost(eventsPerMonth: number, r: Rates = DEFAULT_RATES, s: CostSettings = DEPLOYED_SETTINGS): Estimate {
  const n = eventsPerMonth;
  const shards = shardsFor(n, r.eventBytes);
  const p = PRICES;
  const invocations = Math.max(n / s.batchSize, Math.min(n, (shards * SECONDS_PER_MONTH) / Math.max(1, s.batchingWindowSeconds)));
  const lambdaSeconds = (invocations * r.invocationMs + n * (r.perEventMs + 8)) / 1000;
  const lines: CostLine[] = [
    { item: 'Kinesis shards', usd: shards * HOURS_PER_MONTH * p.kinesis.shardHour },
    { item: 'Kinesis PUT payload units', usd: (n * Math.ceil(r.eventBytes / 25_600) * p.kinesis.putPayloadUnitsPerMillion) / 1e6 },
    { item: 'Lambda', usd: (invocations * p.lambda.requestsPerMillion) / 1e6 + lambdaSeconds * s.memoryGb * p.lambda.gbSecondArm },
    { item: 'DynamoDB writes (session + metrics per event)', usd: (2 * n * p.dynamodb.writeRequestUnitsPerMillion) / 1e6 },
    { item: 'DynamoDB reads (session per event)', usd: (n * p.dynamodb.readRequestUnitsPerMillion) / 1e6 },
    { item: 'S3 PUT per event', usd: (n / 1000) * p.s3.putPer1000 },
    {
      item: `S3 storage (${s.transitionDays} days Standard)`,
      usd: (((s.transitionDays / 30) * n * r.enrichedBytesPerEvent) / GB) * p.s3.standardGbMonth,
    },
    archiveLine(n * r.enrichedBytesPerEvent, n, s.transitionDays / 30, s),
    {
      item: 'CloudWatch alarms, metrics, logs',
      usd: s.alarmMetrics * p.cloudwatch.alarmMonth + s.customMetrics * p.cloudwatch.customMetricMonth,
    },
  ];
  return { eventsPerMonth: n, shards, lines, total: lines.reduce((t, l) => t + l.usd, 0) };
}

/**
 * The archive older than the transition, up to `archiveMonthsKept` months: in the chosen class, with a
 * transition request per object each month and, for Flexible Retrieval and Deep Archive, 40 KB of metadata
 * per object. Objects under 128 KB do not transition (the bucket's lifecycle default) and stay in Standard;
 * the model judges by the average object.
 */
export function archiveLine(bytesPerMonth: number, objectsPerMonth: number, standardMonths: number, s: CostSettings): CostLine {
  const months = Math.max(0, s.archiveMonthsKept - standardMonths);
  const cls = PRICES.s3.archiveClasses[s.archiveStorageClass];
  const label = `S3 archive after ${s.transitionDays} days, to month ${s.archiveMonthsKept}`;
  if (objectsPerMonth === 0 || bytesPerMonth / objectsPerMonth < PRICES.s3.minTransitionBytes) {
    return { item: `${label} (objects under 128 KB: Standard)`, usd: ((months * bytesPerMonth) / GB) * PRICES.s3.standardGbMonth };
  }
  const archived = s.archiveStorageClass !== 'GLACIER_IR';
  const overheadStandard = archived ? months * objectsPerMonth * PRICES.s3.archivedObjectOverheadStandardBytes : 0;
  const overheadClass = archived ? months * objectsPerMonth * PRICES.s3.archivedObjectOverheadClassBytes : 0;
  const usd =
    ((months * bytesPerMonth + overheadClass) / GB) * cls.gbMonth +
    (overheadStandard / GB) * PRICES.s3.standardGbMonth +
    (objectsPerMonth / 1000) * cls.transitionPer1000;
  return { item: `${label} (${s.archiveStorageClass})`, usd };
}
