/**
 * Session processing: the sessions and metrics tables, the session-processor function, and its Kinesis
 * event source with partial-batch responses, bisection, bounded retries and an S3 on-failure destination.
 */
import { Duration } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { DlqDestinationConfig, IEventSourceDlq, IEventSourceMapping, IFunction } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { sessionProcessorEnvironment } from '../../functions/session-processor/config';
import type { SessionProcessorSettings } from '../../functions/session-processor/config';
import { METRICS_TABLE_KEYS, SESSIONS_TABLE_KEYS, TTL_ATTRIBUTE } from '../../functions/session-processor/table-schema';
import { SERVICES } from '../../functions/shared/metric-names';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';
import { pipelineFunction } from './pipeline-function';
import { secureBucket } from './secure-bucket';

export interface SessionProcessingProps {
  readonly stream: IStream;
  readonly accessLogs: IBucket;
  readonly namePrefix: string;
  /** The function's settings, passed as its environment variables. */
  readonly settings: SessionProcessorSettings;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly retryAttempts: number;
  readonly maxRecordAgeHours: number;
  /** Keep at 1 unless every user's events share one partition key (see README, effectively-once). */
  readonly parallelizationFactor: number;
  readonly deletionProtection: boolean;
  /** Days the on-failure bucket keeps a failed batch (whole records, raw payloads included). */
  readonly failureRetentionDays: number;
}

export class SessionProcessing extends Construct {
  readonly sessionsTable: TableV2;
  readonly metricsTable: TableV2;
  readonly function: NodejsFunction;
  /** Where batches that exhausted their retries or record age are kept whole. */
  readonly failureBucket: Bucket;
  /** The S3 request-metrics filter that counts objects written to the failure bucket. */
  static readonly FAILURE_METRICS_FILTER = 'OnFailureWrites';

  constructor(scope: Construct, id: string, props: SessionProcessingProps) {
    super(scope, id);
    const tableDefaults = {
      billing: Billing.onDemand(),
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: props.deletionProtection,
      removalPolicy: STATEFUL_REMOVAL_POLICY,
    };
    this.sessionsTable = new TableV2(this, 'SessionsTable', {
      ...tableDefaults,
      tableName: `${props.namePrefix}-sessions`,
      partitionKey: { name: SESSIONS_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: SESSIONS_TABLE_KEYS.sortKey, type: AttributeType.STRING },
    });
    this.metricsTable = new TableV2(this, 'MetricsTable', {
      ...tableDefaults,
      tableName: `${props.namePrefix}-metrics`,
      partitionKey: { name: METRICS_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: METRICS_TABLE_KEYS.sortKey, type: AttributeType.STRING },
    });

    this.failureBucket = secureBucket(this, 'FailureBucket', props.accessLogs, {
      metrics: [{ id: SessionProcessing.FAILURE_METRICS_FILTER }],
      // Failed batches hold raw payloads (full client addresses included): kept long enough to redrive, no longer.
      // The rule has no prefix, so it also expires what `clickstream redrive` moved under REDRIVEN_PREFIX.
      lifecycleRules: [{ id: 'ExpireFailedBatches', expiration: Duration.days(props.failureRetentionDays) }],
    });

    this.function = pipelineFunction(this, {
      service: SERVICES.sessionProcessor,
      functionName: `${props.namePrefix}-session-processor`,
      description: 'Sessionizes click events from Kinesis into DynamoDB sessions and 5-minute metrics',
      ids: { function: 'Function', logs: 'Logs', role: 'Role' },
      environment: sessionProcessorEnvironment(
        { sessionsTable: this.sessionsTable.tableName, metricsTable: this.metricsTable.tableName },
        props.settings,
      ),
    });
    // Only the calls the store makes: batched reads and writes of both tables, conditional puts of metrics.
    this.sessionsTable.grant(this.function, 'dynamodb:BatchGetItem', 'dynamodb:PutItem');
    // Query and DeleteItem: the pending-metrics markers (functions/session-processor/process-batch.ts).
    this.metricsTable.grant(this.function, 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:DeleteItem');

    this.function.addEventSource(
      new KinesisEventSource(props.stream, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize,
        maxBatchingWindow: Duration.seconds(props.maxBatchingWindowSeconds),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: props.retryAttempts,
        maxRecordAge: Duration.hours(props.maxRecordAgeHours),
        // One invocation per shard at a time: a user's STATE item is never written by two invocations at once.
        parallelizationFactor: props.parallelizationFactor,
        // S3 keeps the whole failed batch; an SQS or SNS destination would keep only its metadata.
        onFailure: new PutOnlyS3Destination(this.failureBucket),
      }),
    );
  }
}

/**
 * The S3 on-failure destination with only what Lambda needs to write failed batches (PutObject on the
 * bucket's objects, ListBucket on the bucket); the stock S3OnFailureDestination grants read, write and delete.
 */
class PutOnlyS3Destination implements IEventSourceDlq {
  constructor(private readonly bucket: IBucket) {}

  bind(_target: IEventSourceMapping, fn: IFunction): DlqDestinationConfig {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }));
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    return { destination: this.bucket.bucketArn };
  }
}
