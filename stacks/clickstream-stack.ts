/** The whole pipeline in one stack: the ingest stream fanned out to session processing and the archive. */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ClickstreamConfig } from './config';
import { DEFAULT_CONFIG, needsRestore, validateConfig } from './config';
import { AnalyticsCatalog } from './constructs/analytics-catalog';
import { ArchiveDelivery } from './constructs/archive-delivery';
import { ArchiveStorage } from './constructs/archive-storage';
import { IngestStream } from './constructs/ingest-stream';
import { Monitoring } from './constructs/monitoring';
import { accessLogBucket } from './constructs/secure-bucket';
import { SessionProcessing } from './constructs/session-processing';
import { acknowledgeFindings } from './nag-acknowledgements';

export interface ClickstreamStackProps extends StackProps {
  /** Settings; anything left out takes {@link DEFAULT_CONFIG}. */
  readonly config?: Partial<ClickstreamConfig>;
}

export class ClickstreamStack extends Stack {
  readonly ingest: IngestStream;
  readonly sessions: SessionProcessing;
  readonly storage: ArchiveStorage;
  readonly catalog: AnalyticsCatalog;
  readonly archive: ArchiveDelivery;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: ClickstreamStackProps = {}) {
    super(scope, id, props);
    const c = validateConfig({ ...DEFAULT_CONFIG, ...props.config });
    const namePrefix = `clickstream-${c.stageName}`;
    const accessLogs = accessLogBucket(this, 'AccessLogs');

    this.ingest = new IngestStream(this, 'Ingest', { streamName: `${namePrefix}-events`, shardCount: c.shardCount, retentionHours: c.streamRetentionHours });
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
    const glueName = namePrefix.replace(/-/g, '_');
    this.catalog = new AnalyticsCatalog(this, 'AnalyticsCatalog', {
      archiveBucket: this.storage.bucket,
      accessLogs,
      databaseName: glueName,
      tableName: 'events',
      workGroupName: namePrefix,
      format: c.archiveFormat,
      bytesScannedLimitGb: c.athenaBytesScannedLimitGb,
      readRestoredGlacierObjects: needsRestore(c.archiveStorageClass),
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
    this.monitoring = new Monitoring(this, 'Monitoring', {
      namePrefix,
      stream: this.ingest.stream,
      sessionProcessor: this.sessions.function,
      transform: this.archive.transform,
      deliveryStream: this.archive.deliveryStream,
      tables: [this.sessions.sessionsTable, this.sessions.metricsTable],
      failureBucket: this.sessions.failureBucket,
      failureMetricsFilter: SessionProcessing.FAILURE_METRICS_FILTER,
      maxRecordAgeHours: c.maxRecordAgeHours,
      ...(c.alarmEmail ? { alarmEmail: c.alarmEmail } : {}),
    });

    acknowledgeFindings(this.archive, this.storage, this.sessions, c.archiveFormat);

    const out = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    out('StreamName', this.ingest.stream.streamName, 'Kinesis stream producers write to (partition key: userId)');
    out('StreamArn', this.ingest.stream.streamArn, 'ARN of the ingest stream');
    out('SessionsTableName', this.sessions.sessionsTable.tableName, 'DynamoDB table of sessions and user state');
    out('MetricsTableName', this.sessions.metricsTable.tableName, 'DynamoDB table of 5-minute window metrics');
    out('ArchiveBucketName', this.storage.bucket.bucketName, 'S3 bucket of the event archive');
    out('FailureBucketName', this.sessions.failureBucket.bucketName, 'S3 bucket of batches the session-processor could not process');
    out('GlueDatabaseName', glueName, 'Glue database of the archive table');
    out('GlueTableName', 'events', 'Glue table over the archive');
    out('AthenaWorkGroupName', this.catalog.workGroup.ref, 'Athena workgroup with the named queries');
    out('DashboardUrl', `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${namePrefix}-pipeline`, 'CloudWatch dashboard of the pipeline');
  }
}
