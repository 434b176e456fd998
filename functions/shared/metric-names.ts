/**
 * The custom CloudWatch metrics the handlers publish (EMF, through Powertools Metrics), declared once: the
 * handlers import these names to publish, the stack imports them to build alarms and the dashboard. A rename
 * then changes both, or breaks the build, instead of leaving an alarm on a metric nobody publishes.
 */

/** The namespace of every custom metric (`POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'Clickstream';

/** Powertools Metrics adds the service name as this dimension to every metric it publishes. */
export const SERVICE_DIMENSION = 'service';

/** Service names: the Powertools `serviceName` of each function, and so the value of {@link SERVICE_DIMENSION}. */
export const SERVICES = {
  sessionProcessor: 'session-processor',
  firehoseTransform: 'firehose-transform',
} as const;

/**
 * The custom metrics the session-processor publishes per invocation (dimension `service=session-processor`):
 * only what an alarm reads, since each costs $0.30 a month (the refused share, stacks/constructs/monitoring.ts).
 * The cost model counts these.
 */
export const SESSION_PROCESSOR_METRICS = {
  recordsIn: 'RecordsIn',
  recordsRefused: 'RecordsRefused',
} as const;

/**
 * Counts the session-processor writes on the same per-invocation line as fields, not metrics: free beyond the
 * log's bytes, read by the pipeline dashboard's Logs Insights widget.
 */
export const SESSION_PROCESSOR_LOG_FIELDS = {
  eventsApplied: 'EventsApplied',
  eventsDuplicate: 'EventsDuplicate',
  eventsLate: 'EventsLate',
  eventsAlreadyApplied: 'EventsAlreadyApplied',
  sessionsStarted: 'SessionsStarted',
  dynamoDbRetries: 'DynamoDBRetries',
} as const;

/**
 * What the firehose-transform logs per invocation, as fields of one line: no alarm needs them (Firehose's own
 * `ExecuteProcessing.Success` says when the transform fails), the dashboard's Logs Insights widget reads them.
 */
export const TRANSFORM_LOG_FIELDS = {
  processingFailed: 'TransformProcessingFailed',
  dropped: 'TransformDropped',
  overBudget: 'TransformOverBudget',
} as const;
