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

/** What the session-processor publishes per invocation (dimension `service=session-processor`). */
export const SESSION_PROCESSOR_METRICS = {
  recordsIn: 'RecordsIn',
  recordsRefused: 'RecordsRefused',
  eventsApplied: 'EventsApplied',
  eventsDuplicate: 'EventsDuplicate',
  eventsLate: 'EventsLate',
  eventsAlreadyApplied: 'EventsAlreadyApplied',
  sessionsStarted: 'SessionsStarted',
  dynamoDbRetries: 'DynamoDBRetries',
} as const;

/** What the firehose-transform publishes per invocation (dimension `service=firehose-transform`). */
export const TRANSFORM_METRICS = {
  processingFailed: 'TransformProcessingFailed',
  dropped: 'TransformDropped',
  overBudget: 'TransformOverBudget',
} as const;
