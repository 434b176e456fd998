/**
 * The whole pipeline as one construct: the collector API in front of the ingest stream, the stream fanned
 * out to session processing and the archive, the catalog, monitoring, and the cdk-nag findings it accepts. Add it to any stack (README, "Use the
 * pipeline in your own CDK app"); {@link ClickstreamStack} is this app's stack around it.
 */
import { Construct } from 'constructs';
import type { ClickstreamConfig } from './config';
import { DEFAULT_CONFIG, needsRestore, validateConfig } from './config';
import { AnalyticsCatalog } from './constructs/analytics-catalog';
import { ArchiveDelivery } from './constructs/archive-delivery';
import { ArchiveStorage } from './constructs/archive-storage';
import { CollectorApi } from './constructs/collector-api';
import { IngestStream } from './constructs/ingest-stream';
import { Monitoring } from './constructs/monitoring';
import { accessLogBucket } from './constructs/secure-bucket';
import { SessionProcessing } from './constructs/session-processing';
import { UserIdKey } from './constructs/user-id-key';
import { acknowledgeCollectorFindings, acknowledgeFindings, acknowledgeUserIdKeyFindings } from './nag-acknowledgements';

/**
 * The pipeline's settings, every one optional: each is documented, with its `@default`, where it is
 * declared (`stacks/config.ts` for the stack's, `functions/*\/config.ts` for those the functions read).
 */
export type ClickstreamPipelineProps = Partial<ClickstreamConfig>;

export class ClickstreamPipeline extends Construct {
  /** The settings in force: the props over the defaults, checked. */
  readonly config: ClickstreamConfig;
  /** `clickstream-<stageName>`: the prefix of every resource name. */
  readonly namePrefix: string;
  /** The Glue database of the archive table (the name prefix with underscores). */
  readonly glueDatabaseName: string;
  readonly ingest: IngestStream;
  /** `POST /collect` and its URL (`collector.api`, `collector.url`); absent when the `collector` setting is off. */
  readonly collector?: CollectorApi;
  readonly sessions: SessionProcessing;
  readonly storage: ArchiveStorage;
  readonly catalog: AnalyticsCatalog;
  readonly archive: ArchiveDelivery;
  readonly monitoring: Monitoring;
  /** The secret holding the key of hashed user ids; present only with `userIdMode` hash. */
  readonly userIdKey?: UserIdKey;

  /** Throws an error naming the setting, the value and what is allowed when a prop is out of range. */
  constructor(scope: Construct, id: string, props: ClickstreamPipelineProps = {}) {
    super(scope, id);
    const c = validateConfig({ ...DEFAULT_CONFIG, ...props });
    this.config = c;
    const namePrefix = `clickstream-${c.stageName}`;
    this.namePrefix = namePrefix;
    this.glueDatabaseName = namePrefix.replace(/-/g, '_');
    const accessLogs = accessLogBucket(this, 'AccessLogs');

    this.ingest = new IngestStream(this, 'Ingest', {
      streamName: `${namePrefix}-events`,
      shardCount: c.shardCount,
      retentionHours: c.streamRetentionHours,
    });
    if (c.collector) {
      this.collector = new CollectorApi(this, 'Collector', {
        stream: this.ingest.stream,
        namePrefix,
        stageName: c.stageName,
        allowedOrigins: c.collectorAllowedOrigins,
        setsAccountLogRole: c.collectorSetsAccountLogRole,
        rateLimit: c.collectorRateLimit,
        burstLimit: c.collectorBurstLimit,
        ...(c.collectorWafRateLimit !== undefined ? { wafRateLimit: c.collectorWafRateLimit } : {}),
      });
    }
    this.sessions = new SessionProcessing(this, 'SessionProcessing', {
      stream: this.ingest.stream,
      accessLogs,
      namePrefix,
      settings: c,
      batchSize: c.batchSize,
      maxBatchingWindowSeconds: c.maxBatchingWindowSeconds,
      retryAttempts: c.retryAttempts,
      maxRecordAgeHours: c.maxRecordAgeHours,
      parallelizationFactor: c.parallelizationFactor,
      deletionProtection: c.deletionProtection,
      failureRetentionDays: c.failureRetentionDays,
    });
    this.storage = new ArchiveStorage(this, 'ArchiveStorage', {
      accessLogs,
      glacierTransitionDays: c.glacierTransitionDays,
      storageClass: c.archiveStorageClass,
      failureRetentionDays: c.failureRetentionDays,
      ...(c.archiveExpirationDays !== undefined ? { expirationDays: c.archiveExpirationDays } : {}),
    });
    this.catalog = new AnalyticsCatalog(this, 'AnalyticsCatalog', {
      archiveBucket: this.storage.bucket,
      accessLogs,
      databaseName: this.glueDatabaseName,
      tableName: 'events',
      workGroupName: namePrefix,
      format: c.archiveFormat,
      bytesScannedLimitGb: c.athenaBytesScannedLimitGb,
      readRestoredGlacierObjects: needsRestore(c.archiveStorageClass),
      sessionTimeoutMinutes: c.sessionTimeoutMinutes,
    });
    this.archive = new ArchiveDelivery(this, 'ArchiveDelivery', {
      stream: this.ingest.stream,
      bucket: this.storage.bucket,
      namePrefix,
      format: c.archiveFormat,
      table: this.catalog.table,
      bufferingIntervalSeconds: c.bufferingIntervalSeconds,
      bufferingSizeMb: c.bufferingSizeMb,
      transformSettings: c,
    });
    if (c.userIdMode === 'hash')
      this.userIdKey = new UserIdKey(this, 'UserIdKey', { readers: [this.sessions.function, this.archive.transform] });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      namePrefix,
      stream: this.ingest.stream,
      sessionProcessor: this.sessions.function,
      sessionProcessorLogs: this.sessions.function.logGroup,
      transform: this.archive.transform,
      transformLogs: this.archive.transform.logGroup,
      deliveryStream: this.archive.deliveryStream,
      tables: [this.sessions.sessionsTable, this.sessions.metricsTable],
      failureBucket: this.sessions.failureBucket,
      failureMetricsFilter: SessionProcessing.FAILURE_METRICS_FILTER,
      maxRecordAgeHours: c.maxRecordAgeHours,
      ...(this.collector ? { collectorApi: this.collector.api } : {}),
      ...(c.alarmEmail ? { alarmEmail: c.alarmEmail } : {}),
    });

    acknowledgeFindings(this.archive, this.storage, this.sessions, c.archiveFormat);
    if (this.collector) acknowledgeCollectorFindings(this.collector);
    if (this.userIdKey) acknowledgeUserIdKeyFindings(this.userIdKey);
  }
}
