/**
 * `npm run bench:cold-start`: what each part of the functions' bundles costs to load and initialise. Each
 * probe is a bundle of one import (with what the handler builds from it at module scope), built and timed
 * as `npm run bench` section 3 times the functions, beside the functions themselves.
 */
import { parseArgs } from 'node:util';
import { table } from '../local/runtime/report';
import { FUNCTION_NODE_OPTIONS } from '../stacks/function-bundling';
import { measureLoads } from './cold-start';
import type { LoadProbe } from './cold-start';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SDK_OUTSIDE: readonly string[] = ['@aws-sdk/*'];
const DYNAMODB = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));`;
const SECRETS = `import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export const client = new SecretsManagerClient({});`;
const SESSION_ENV = { SESSIONS_TABLE: 'sessions', METRICS_TABLE: 'metrics' };

const PROBES: LoadProbe[] = [
  { name: 'arktype, imported', source: `export { type } from 'arktype';` },
  { name: 'the contract declared with arktype', source: `export { producerEvent } from './functions/shared/event-contract.schema';` },
  { name: 'the check generated from it', source: `export { isProducerEvent } from './functions/shared/event-contract.validator';` },
  {
    name: 'Powertools Logger and Metrics, built',
    source: `import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
export const made = [new Logger({ serviceName: 's' }), new Metrics({ namespace: 'n', serviceName: 's' })];`,
  },
  { name: 'DynamoDB document client, built: the SDK outside the bundle', source: DYNAMODB, external: SDK_OUTSIDE },
  { name: 'DynamoDB document client, built: the SDK bundled', source: DYNAMODB, external: [] },
  {
    name: 'DynamoDB document client, built: the SDK bundled from its CommonJS build',
    source: DYNAMODB,
    external: [],
    mainFields: ['main', 'module'],
  },
  { name: 'Secrets Manager client, built: the SDK outside the bundle', source: SECRETS, external: SDK_OUTSIDE },
  { name: 'Secrets Manager client, built: the SDK bundled', source: SECRETS, external: [] },
  { name: 'aws-kinesis-agg (KPL de-aggregation)', source: `export { deaggregateSync } from 'aws-kinesis-agg';` },
  { name: 'ua-parser-js and isbot (enrichment)', source: `export { UAParser } from 'ua-parser-js';\nexport { isbot } from 'isbot';` },
  {
    name: 'session-processor: the SDK outside the bundle',
    entry: 'functions/session-processor/index.ts',
    env: SESSION_ENV,
    external: SDK_OUTSIDE,
  },
  {
    name: 'session-processor: as the stack bundles it, without its NODE_OPTIONS',
    entry: 'functions/session-processor/index.ts',
    env: SESSION_ENV,
  },
  {
    name: `session-processor: with NODE_OPTIONS as the stack sets it (${FUNCTION_NODE_OPTIONS.join(' ')})`,
    entry: 'functions/session-processor/index.ts',
    env: SESSION_ENV,
    nodeArgs: FUNCTION_NODE_OPTIONS,
  },
  { name: 'firehose-transform: the SDK outside the bundle', entry: 'functions/firehose-transform/index.ts', external: SDK_OUTSIDE },
  { name: 'firehose-transform: as the stack bundles it', entry: 'functions/firehose-transform/index.ts' },
];

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } }, strict: true });
  const runs = Number(values.runs);
  process.stdout.write(`Load and init over a bare \`node -e 0\`, median of ${runs} interleaved rounds\n`);
  const loads = measureLoads(PROBES, runs);
  process.stdout.write(
    `${table(
      ['bundle of', 'KB', 'init ms'],
      loads.map((l) => [l.name, Math.round(l.bundleBytes / 102.4) / 10, l.initMs]),
    )}\n`,
  );
}

main();
