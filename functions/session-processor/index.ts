/**
 * session-processor Lambda: Kinesis batch in, sessions and window metrics out, partial-batch response back.
 * Wiring only: configuration, clients, logger and metrics are built once per execution environment; the
 * work is {@link processBatch}.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { loadConfig } from './config';
import { DynamoSessionStore } from './dynamodb-store';
import { processBatch } from './process-batch';
import type { BatchReport } from './process-batch';

const SERVICE = 'session-processor';
const config = loadConfig();
const logger = new Logger({ serviceName: SERVICE });
const metrics = new Metrics({ namespace: 'Clickstream', serviceName: SERVICE });
const store = new DynamoSessionStore(config);

/** Lambda entry point for the Kinesis event source mapping (ReportBatchItemFailures on). */
export async function handler(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  const retriesBefore = store.stats.retries;
  try {
    const { response, report } = await processBatch(event.Records, { store, log: logger, rules: config.rules, bounds: config.bounds });
    publish(report, store.stats.retries - retriesBefore);
    if (report.retryFrom !== undefined) logger.info('batch partly retried', { retryFrom: report.retryFrom, records: event.Records.length });
    return response;
  } finally {
    metrics.publishStoredMetrics();
  }
}

function publish(report: BatchReport, ddbRetries: number): void {
  metrics.addMetric('RecordsIn', MetricUnit.Count, report.recordsIn);
  metrics.addMetric('RecordsValid', MetricUnit.Count, report.valid);
  metrics.addMetric('RecordsRefused', MetricUnit.Count, report.refused);
  metrics.addMetric('EventsApplied', MetricUnit.Count, report.applied);
  metrics.addMetric('EventsDuplicate', MetricUnit.Count, report.duplicates);
  metrics.addMetric('EventsLate', MetricUnit.Count, report.late);
  metrics.addMetric('EventsAlreadyApplied', MetricUnit.Count, report.alreadyApplied);
  metrics.addMetric('SessionsStarted', MetricUnit.Count, report.sessionsStarted);
  metrics.addMetric('DynamoDBRetries', MetricUnit.Count, ddbRetries);
  if (report.retryFrom !== undefined) metrics.addMetric('BatchesRetried', MetricUnit.Count, 1);
  for (const [reason, count] of Object.entries(report.refusedByReason)) {
    const single = metrics.singleMetric();
    single.addDimension('reason', reason);
    single.addMetric('RecordsRefusedByReason', MetricUnit.Count, count);
  }
}
