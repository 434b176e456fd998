/**
 * Builds the session-processor's Lambda handler. Wiring only: configuration, the DynamoDB client, logger and
 * metrics are built once per execution environment; the work is {@link processBatch}.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { loadConfig } from './config';
import { DynamoSessionStore } from './dynamodb-store';
import { processBatch } from './process-batch';
import type { BatchReport } from './process-batch';
import type { Log } from './ports';
import { ConfigError } from './errors';
import { METRICS_NAMESPACE, SERVICES, SESSION_PROCESSOR_LOG_FIELDS as F, SESSION_PROCESSOR_METRICS as M } from '../shared/metric-names';
import { userIdPolicy } from '../shared/user-id-key';
import type { UserIdKeySource } from '../shared/user-id-key';

export const SERVICE_NAME = SERVICES.sessionProcessor;

/** Injection points; everything defaults to what the deployed function uses. */
export interface HandlerOverrides {
  /** Environment to read the configuration from; defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** A client pointed elsewhere (the local emulator); defaults to one from the environment. */
  readonly dynamoDb?: DynamoDBClient;
  /** Structured logs; defaults to Powertools Logger (CloudWatch Logs in AWS). */
  readonly logger?: Log;
  readonly metrics?: Metrics;
  /** The user-id key in `hash` mode (the local runtime's key file); defaults to the secret USER_ID_KEY_SECRET_ARN names. */
  readonly userIdKey?: UserIdKeySource;
}

/** The handler; Lambda passes the context, whose request id the Powertools logger adds to every line. */
export type SessionProcessorHandler = (event: KinesisStreamEvent, context?: Context) => Promise<KinesisStreamBatchResponse>;

/** A handler for the Kinesis event source mapping (ReportBatchItemFailures on). */
export function createHandler(overrides: HandlerOverrides = {}): SessionProcessorHandler {
  const config = loadConfig(overrides.env);
  const powertools = overrides.logger ? undefined : new Logger({ serviceName: SERVICE_NAME });
  const logger: Log = overrides.logger ?? powertools!;
  const metrics = overrides.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  const store = new DynamoSessionStore({ ...config, ...(overrides.dynamoDb ? { client: overrides.dynamoDb } : {}) });
  const userIds = userIdPolicy(
    config.userIdMode,
    config.userIdKeySecretArn,
    overrides.userIdKey,
    (variable, message) => new ConfigError(variable, message),
  );
  const deps = { store, log: logger, rules: config.rules, bounds: config.bounds };

  return async (event, context) => {
    // As Powertools' injectLambdaContext does: the request id, function name and cold start on every line.
    if (context) powertools?.addContext(context);
    // Without the key in hash mode the invocation fails (and Lambda retries it): a raw id is never stored instead.
    const batchDeps = { ...deps, userIds: await userIds() };
    const retriesBefore = store.stats.retries;
    try {
      const { response, report } = await processBatch(event.Records, batchDeps);
      publish(metrics, logger, report, store.stats.retries - retriesBefore);
      if (report.retryFrom !== undefined)
        logger.info('batch partly retried', { retryFrom: report.retryFrom, records: event.Records.length });
      return response;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

/**
 * Each custom metric costs $0.30 a month, so only what an alarm reads is a metric. The other counts are fields
 * of one log line per invocation, free beyond its bytes, which the pipeline dashboard sums with Logs Insights.
 * Refusals by reason are counted exactly once in the metrics table and logged per record instead.
 */
function publish(metrics: Metrics, logger: Log, report: BatchReport, ddbRetries: number): void {
  metrics.addMetric(M.recordsIn, MetricUnit.Count, report.recordsIn);
  metrics.addMetric(M.recordsRefused, MetricUnit.Count, report.refused);
  logger.info('batch processed', {
    [M.recordsIn]: report.recordsIn,
    [M.recordsRefused]: report.refused,
    [F.eventsApplied]: report.applied,
    [F.eventsDuplicate]: report.duplicates,
    [F.eventsLate]: report.late,
    [F.eventsAlreadyApplied]: report.alreadyApplied,
    [F.sessionsStarted]: report.sessionsStarted,
    [F.dynamoDbRetries]: ddbRetries,
  });
}
