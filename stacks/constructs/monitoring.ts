/**
 * Monitoring: an SNS topic for alarms (with an e-mail subscription when configured), the alarms that say the
 * pipeline is falling behind or losing its footing, and a dashboard of the pipeline's key figures.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  LogQueryVisualizationType,
  LogQueryWidget,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { DeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';
import {
  METRICS_NAMESPACE,
  SERVICE_DIMENSION,
  SERVICES,
  SESSION_PROCESSOR_LOG_FIELDS as SPF,
  SESSION_PROCESSOR_METRICS as SP,
  TRANSFORM_LOG_FIELDS as TF,
} from '../../functions/shared/metric-names';

export interface MonitoringProps {
  readonly namePrefix: string;
  readonly stream: IStream;
  readonly sessionProcessor: IFunction;
  /** The session-processor's log group, whose per-invocation counts the dashboard sums. */
  readonly sessionProcessorLogs: ILogGroup;
  readonly transform: IFunction;
  /** The transform's log group, likewise. */
  readonly transformLogs: ILogGroup;
  readonly deliveryStream: DeliveryStream;
  readonly tables: readonly ITableV2[];
  readonly failureBucket: IBucket;
  readonly failureMetricsFilter: string;
  /** The event source's record-age budget; the iterator-age alarm fires well inside it. */
  readonly maxRecordAgeHours: number;
  /** The collector API, when there is one. */
  readonly collectorApi?: RestApi;
  readonly alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    // CloudWatch cannot publish to a topic under the AWS managed SNS key, so the topic has its own key.
    // Kept on delete like the data (a key cannot be deleted at once anyway), scheduled for deletion if the first deploy rolls back.
    const key = new Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts the clickstream alarm topic',
      removalPolicy: STATEFUL_REMOVAL_POLICY,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', { topicName: `${props.namePrefix}-alarms`, masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const sp = props.sessionProcessor;
    const budgetMs = props.maxRecordAgeHours * 3_600_000;
    // A quarter of the record-age budget: records this old still have three quarters of it to be processed.
    this.alarm(
      'IteratorAge',
      sp.metric('IteratorAge', { statistic: 'Maximum', period: FIVE_MINUTES }),
      budgetMs / 4,
      'session-processor is behind the stream by a quarter of its record-age budget',
      3,
    );
    // Any thrown invocation is a bug or an outage: the handler reports ordinary failures per record instead.
    this.alarm('SessionProcessorErrors', sp.metricErrors({ period: FIVE_MINUTES }), 1, 'session-processor invocations threw');
    // Throttling stops the shard: a concurrency limit is in the way.
    this.alarm(
      'SessionProcessorThrottles',
      sp.metricThrottles({ period: FIVE_MINUTES }),
      1,
      'session-processor invocations were throttled',
    );
    const fh = props.deliveryStream;
    // Buffering is 60 s; 15 minutes of age means delivery has stalled, not merely batched.
    this.alarm(
      'ArchiveFreshness',
      fh.metric('DeliveryToS3.DataFreshness', { statistic: 'Maximum', period: FIVE_MINUTES }),
      900,
      'the oldest record in Firehose is 15 minutes old',
      2,
    );
    // Any failed delivery to S3 is retried by Firehose, but a sustained share below 1 means records wait or fail.
    this.alarm(
      'ArchiveDeliveryFailures',
      fh.metric('DeliveryToS3.Success', { statistic: 'Average', period: FIVE_MINUTES }),
      1,
      'Firehose could not write to the archive bucket',
      1,
      ComparisonOperator.LESS_THAN_THRESHOLD,
    );
    // A failed or throttled transform invocation is an unsuccessful ExecuteProcessing ("the sum of successful Lambda
    // function invocations over the sum of total Lambda function invocations",
    // https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html): this alarm
    // covers the transform's own Errors and Throttles, and so they have none of their own ($0.10 a month each).
    this.alarm(
      'ArchiveTransformFailures',
      fh.metric('ExecuteProcessing.Success', { statistic: 'Average', period: FIVE_MINUTES }),
      1,
      'Firehose could not run the transform',
      1,
      ComparisonOperator.LESS_THAN_THRESHOLD,
    );
    // Every object here is a batch that exhausted retries or record age: someone must look at it.
    const failedWrites = new Metric({
      namespace: 'AWS/S3',
      metricName: 'PutRequests',
      dimensionsMap: { BucketName: props.failureBucket.bucketName, FilterId: props.failureMetricsFilter },
      statistic: 'Sum',
      period: FIVE_MINUTES,
    });
    this.alarm('OnFailureDestinationWrites', failedWrites, 1, 'records were written to the on-failure bucket');
    for (const table of props.tables) {
      const throttles = new MathExpression({
        expression: 'r + w',
        usingMetrics: {
          r: table.metric('ReadThrottleEvents', { statistic: 'Sum', period: FIVE_MINUTES }),
          w: table.metric('WriteThrottleEvents', { statistic: 'Sum', period: FIVE_MINUTES }),
        },
        period: FIVE_MINUTES,
      });
      // On-demand tables throttle only past their previous peak's doubling or on a hot key: worth knowing at once.
      this.alarm(`${table.node.id}Throttles`, throttles, 1, `DynamoDB throttled requests on ${table.node.id}`);
    }
    // The names and the dimension the handler publishes with (functions/shared/metric-names.ts).
    const custom = (name: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: { [SERVICE_DIMENSION]: SERVICES.sessionProcessor },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      });
    const refusedShare = new MathExpression({
      expression: 'IF(total > 0, refused / total, 0)',
      usingMetrics: { refused: custom(SP.recordsRefused), total: custom(SP.recordsIn) },
      period: FIVE_MINUTES,
    });
    // A few refused records are normal; 5% means a producer broke the contract.
    this.alarm('RefusedShare', refusedShare, 0.05, 'more than 5% of records were refused by the event contract', 2);

    const api = props.collectorApi;
    if (api) {
      // API Gateway's 5XXError and 4XXError average to the share of requests that got one.
      // A 5XX stored nothing of its request: Kinesis failed, or the integration itself is broken (role, template).
      this.alarm(
        'Collector5XX',
        api.metricServerError({ statistic: 'Average', period: FIVE_MINUTES }),
        0.01,
        'more than 1% of collector requests failed (5XX): their events were not stored',
      );
      // Refusals (bad body, unsupported type, throttled, WAF) are normal now and then; 5% means a tracker broke the contract or a limit is too low.
      this.alarm(
        'Collector4XX',
        api.metricClientError({ statistic: 'Average', period: FIVE_MINUTES }),
        0.05,
        'more than 5% of collector requests were refused (4XX)',
        2,
      );
    }

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${props.namePrefix}-pipeline` });
    this.dashboard.addWidgets(
      graph('Stream: records in', [props.stream.metricIncomingRecords({ statistic: 'Sum', period: FIVE_MINUTES })]),
      graph('session-processor: iterator age (ms)', [sp.metric('IteratorAge', { statistic: 'Maximum', period: FIVE_MINUTES })]),
      // The handlers' counts that no alarm reads are log fields, not custom metrics ($0.30 a month each); Logs
      // Insights sums them when the dashboard is opened, charged by the bytes it scans.
      logSums(
        'session-processor: events applied, duplicate, late, counted before; refused; sessions started; retries',
        props.sessionProcessorLogs,
        [
          SPF.eventsApplied,
          SPF.eventsDuplicate,
          SPF.eventsLate,
          SPF.eventsAlreadyApplied,
          SP.recordsRefused,
          SPF.sessionsStarted,
          SPF.dynamoDbRetries,
        ],
      ),
      logSums('firehose-transform: refused, dropped, over budget', props.transformLogs, [TF.processingFailed, TF.dropped, TF.overBudget]),
    );
    this.dashboard.addWidgets(
      graph('session-processor errors and throttles', [sp.metricErrors(), sp.metricThrottles()]),
      graph('Archive: records in and freshness (s)', [
        fh.metric('IncomingRecords', { statistic: 'Sum', period: FIVE_MINUTES }),
        fh.metric('DeliveryToS3.DataFreshness', { statistic: 'Maximum', period: FIVE_MINUTES }),
      ]),
      graph(
        'DynamoDB: consumed write units',
        props.tables.map((t) => t.metric('ConsumedWriteCapacityUnits', { statistic: 'Sum', period: FIVE_MINUTES })),
      ),
      graph('Archive: transform invocations succeeded (share)', [
        fh.metric('ExecuteProcessing.Success', { statistic: 'Average', period: FIVE_MINUTES }),
      ]),
    );
    if (api) {
      const sum = { statistic: 'Sum', period: FIVE_MINUTES };
      this.dashboard.addWidgets(
        graph('Collector: requests, 4XX, 5XX', [api.metricCount(sum), api.metricClientError(sum), api.metricServerError(sum)]),
      );
    }
  }

  private alarm(
    id: string,
    metric: IMetric,
    threshold: number,
    description: string,
    evaluationPeriods = 1,
    comparison = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  ): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: comparison,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}

/** Five-minute sums of numeric fields of a function's log lines, as lines. */
function logSums(title: string, logs: ILogGroup, fields: readonly string[]): LogQueryWidget {
  return new LogQueryWidget({
    title,
    logGroupNames: [logs.logGroupName],
    queryLines: [`filter ispresent(${fields[0]})`, `stats ${fields.map((f) => `sum(${f}) as ${f}`).join(', ')} by bin(5m)`],
    view: LogQueryVisualizationType.LINE,
    width: 6,
  });
}

function graph(title: string, metrics: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left: metrics, width: 6 });
}
