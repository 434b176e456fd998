/**
 * Builds the firehose-transform Lambda handler. Wiring only: configuration, the user-agent cache and the logger
 * live for the execution environment; the work is {@link transformBatch}.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { loadConfig } from './config';
import { loadGeoDatabase } from './enrich/geo';
import { UserAgentCache } from './enrich/user-agent';
import { transformBatch } from './transform-batch';
import type { TransformLog } from './transform-batch';
import { ConfigError } from './errors';
import { SERVICES, TRANSFORM_LOG_FIELDS as F } from '../shared/metric-names';
import { userIdPolicy } from '../shared/user-id-key';
import type { UserIdKeySource } from '../shared/user-id-key';

export const SERVICE_NAME = SERVICES.firehoseTransform;

export interface TransformHandlerOverrides {
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: TransformLog;
  /** The user-id key in `hash` mode (the local runtime's key file); defaults to the secret USER_ID_KEY_SECRET_ARN names. */
  readonly userIdKey?: UserIdKeySource;
}

/** The handler; Lambda passes the context, whose request id the Powertools logger adds to every line. */
export type FirehoseTransformHandler = (event: FirehoseTransformationEvent, context?: Context) => Promise<FirehoseTransformationResult>;

export function createHandler(overrides: TransformHandlerOverrides = {}): FirehoseTransformHandler {
  const settings = loadConfig(overrides.env);
  const powertools = overrides.logger ? undefined : new Logger({ serviceName: SERVICE_NAME });
  const logger: TransformLog = overrides.logger ?? powertools!;
  const agents = new UserAgentCache();
  // The address tables, read once per execution environment; which data and from when, logged once.
  const geo = loadGeoDatabase();
  logger.info('geo data loaded', { ...geo.summary });
  const userIds = userIdPolicy(
    settings.userIdMode,
    settings.userIdKeySecretArn,
    overrides.userIdKey,
    (variable, message) => new ConfigError(variable, message),
  );

  return async (event, context) => {
    // As Powertools' injectLambdaContext does: the request id, function name and cold start on every line.
    if (context) powertools?.addContext(context);
    // Without the key in hash mode the invocation fails: Firehose retries it, then writes the records whole to
    // its processing-failed output ("Handle failure in data transformation",
    // https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-failure-handling.html); a raw id
    // never reaches an archive row instead.
    const batchSettings = { ...settings, userIds: await userIds() };
    const { result, report } = transformBatch(event, agents, batchSettings, logger);
    // Firehose publishes records in and out itself, and ExecuteProcessing.Success when an invocation fails; these
    // counts only the transform knows are fields of one line, not metrics (functions/shared/metric-names.ts).
    logger.info('batch transformed', {
      [F.processingFailed]: report.processingFailed,
      [F.dropped]: report.dropped,
      [F.overBudget]: report.overBudget,
    });
    return result;
  };
}
