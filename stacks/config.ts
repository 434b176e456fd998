/**
 * The pipeline's settings, each declared once with its default, the values it takes and the reason for the
 * default: the stack's own below, the functions' in their `config.ts` (with the environment variable each is
 * read from). `cdk.json` context overrides them (`"clickstream": { "shardCount": 2, … }` or
 * `-c clickstream.shardCount=2`).
 */
import type { Node } from 'constructs';
import { TRANSFORM_SETTINGS } from '../functions/firehose-transform/config';
import { SESSION_PROCESSOR_SETTINGS } from '../functions/session-processor/config';
import { defaultsOf, oneOf, wholeNumber, yesOrNo } from '../functions/shared/settings';
import type { Setting, SettingValues } from '../functions/shared/settings';

/** How the archive stores rows: GZIP NDJSON, or Parquet converted by Firehose. */
export const ARCHIVE_FORMATS = ['json', 'parquet'] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

/**
 * Where archive objects go after `glacierTransitionDays` (S3 storage class names). Athena reads S3 Glacier
 * Instant Retrieval like Standard; it skips Flexible Retrieval (`GLACIER`) and Deep Archive objects unless they
 * were restored first and the table sets `read_restored_glacier_objects` ("Query restored Amazon S3 Glacier
 * objects", https://docs.aws.amazon.com/athena/latest/ug/querying-glacier.html).
 */
export const ARCHIVE_STORAGE_CLASSES = ['GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as const;
export type ArchiveStorageClass = (typeof ARCHIVE_STORAGE_CLASSES)[number];

/** True for the classes whose objects must be restored before Athena reads them. */
export function needsRestore(storageClass: ArchiveStorageClass): boolean {
  return storageClass === 'GLACIER' || storageClass === 'DEEP_ARCHIVE';
}

/** Text matching `pattern`, described as `what`. */
function textMatching(o: {
  readonly default: string;
  readonly reason: string;
  readonly pattern: RegExp;
  readonly what: string;
}): Setting<string> {
  return {
    ...o,
    problem: (v) => (typeof v === 'string' && o.pattern.test(v) ? undefined : `must be ${o.what}`),
    parse: (text) => text,
    text: (v) => v,
  };
}

/** A setting that may be left out (absent means off). */
function optional<T>(setting: Setting<T>, reason: string): Setting<T | undefined> {
  return {
    ...setting,
    default: undefined,
    reason,
    problem: (v) => (v === undefined ? undefined : setting.problem(v)),
    text: (v) => (v === undefined ? '' : setting.text(v)),
  };
}

/** A browser origin: scheme, host and an optional port, nothing after (browsers leave out the scheme's default port). */
const ORIGIN = /^https?:\/\/[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/;

/**
 * A list of browser origins (`https://www.example.com`), written as text separated by commas. Kept exactly:
 * the collector compares a request's Origin header with each as text, and browsers send it lower-case.
 */
function originList(o: { readonly default: readonly string[]; readonly reason: string }): Setting<readonly string[]> {
  return {
    ...o,
    problem: (v) =>
      Array.isArray(v) && v.every((x) => typeof x === 'string' && ORIGIN.test(x))
        ? undefined
        : 'must be origins written as a browser sends them: http:// or https://, a lower-case host, an optional :port, no path or trailing slash (https://www.example.com)',
    parse: (text) =>
      text
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    text: (v) => v.join(','),
  };
}

const provisionedShards = wholeNumber({ default: 1, min: 1, max: 500, reason: '' });

/** The settings of the stack alone (no function reads them). */
export const STACK_SETTINGS = {
  /**
   * Prefix of resource names (`clickstream-<stageName>-…`), so that several stages can live in one account.
   * @default 'dev'
   */
  stageName: textMatching({
    default: 'dev',
    pattern: /^[a-z][a-z0-9-]{0,19}$/,
    what: 'lower-case letters, digits and dashes, at most 20',
    reason: 'prefix of resource names, so that several stages can live in one account',
  }),
  /**
   * Provisioned shards of the ingest stream (1 to 500), or `on-demand`.
   * @default 1
   */
  shardCount: {
    default: 1,
    reason: 'one shard takes 1 MB/s or 1,000 records/s of writes: about 2.5 billion events a month',
    problem: (v) => (v === 'on-demand' ? undefined : provisionedShards.problem(v) && `${provisionedShards.problem(v)}, or on-demand`),
    parse: (text) => (text.trim() === 'on-demand' ? 'on-demand' : provisionedShards.parse(text)),
    text: String,
  } satisfies Setting<number | 'on-demand'> as Setting<number | 'on-demand'>,
  /**
   * Hours the ingest stream keeps records (24 to 8760).
   * @default 24
   */
  streamRetentionHours: wholeNumber({
    default: 24,
    min: 24,
    max: 8760,
    reason: '24 hours is included in the shard price; it outlasts the 12-hour record-age budget',
  }),
  /**
   * Records per session-processor invocation (the event source's BatchSize, 1 to 10000).
   * @default 500
   */
  batchSize: wholeNumber({ default: 500, min: 1, max: 10000, reason: 'large batches make few DynamoDB requests per event' }),
  /**
   * Seconds the event source waits to fill a batch (0 to 300).
   * @default 5
   */
  maxBatchingWindowSeconds: wholeNumber({ default: 5, min: 0, max: 300, reason: 'lets a quiet stream fill batches' }),
  /**
   * Retries of a failed batch before it goes to the on-failure bucket (0 to 10000).
   * @default 10
   */
  retryAttempts: wholeNumber({
    default: 10,
    min: 0,
    max: 10000,
    reason: 'throttling clears within seconds; ten retries with bisection isolate a poison record without stalling long',
  }),
  /**
   * Age after which a record goes to the on-failure bucket unprocessed (1 to 168; shorter than the retention).
   * @default 12
   */
  maxRecordAgeHours: wholeNumber({
    default: 12,
    min: 1,
    max: 168,
    reason: "half the stream's retention: a stuck shard's records reach the on-failure bucket well before they expire",
  }),
  /**
   * Concurrent invocations per shard (1 to 10); keep 1 unless every user's events share one partition key.
   * @default 1
   */
  parallelizationFactor: wholeNumber({
    default: 1,
    min: 1,
    max: 10,
    reason: 'one invocation per shard, so no two invocations race on a user (README, effectively-once)',
  }),
  /**
   * How the archive stores rows: `json` (GZIP NDJSON) or `parquet` (converted by Firehose through the Glue table).
   * @default 'json'
   */
  archiveFormat: oneOf<ArchiveFormat>({
    default: 'json',
    choices: ARCHIVE_FORMATS,
    reason: 'GZIP NDJSON is read by Athena and by DuckDB locally without a conversion step',
  }),
  /**
   * Firehose buffering interval (60 to 900 seconds).
   * @default 60
   */
  bufferingIntervalSeconds: wholeNumber({ default: 60, min: 60, max: 900, reason: 'the smallest that dynamic partitioning allows' }),
  /**
   * Firehose buffering size (64 to 128 MiB).
   * @default 64
   */
  bufferingSizeMb: wholeNumber({ default: 64, min: 64, max: 128, reason: 'the smallest that dynamic partitioning allows' }),
  /**
   * Days after which archive objects move to `archiveStorageClass` (1 to 3650).
   * @default 90
   */
  glacierTransitionDays: wholeNumber({
    default: 90,
    min: 1,
    max: 3650,
    reason: 'recent months are queried most; older objects move to archiveStorageClass',
  }),
  /**
   * Storage class of archive objects after the transition: `GLACIER_IR`, `GLACIER` or `DEEP_ARCHIVE`.
   * @default 'GLACIER_IR'
   */
  archiveStorageClass: oneOf<ArchiveStorageClass>({
    default: 'GLACIER_IR',
    choices: ARCHIVE_STORAGE_CLASSES,
    reason: 'Athena reads it without a restore, at about a sixth of the Standard storage price (README, storage classes)',
  }),
  /**
   * Days after which archive objects are deleted (later than the transition).
   * @default undefined (kept forever)
   */
  archiveExpirationDays: optional(
    wholeNumber({ default: 0, min: 1, max: 36500, reason: '' }),
    'archive objects are deleted this many days after creation; kept forever when absent',
  ),
  /**
   * Days the raw payloads of failures are kept: the archive's error output and the on-failure bucket (1 to 3650).
   * @default 30
   */
  failureRetentionDays: wholeNumber({
    default: 30,
    min: 1,
    max: 3650,
    reason:
      'failed records hold raw payloads (the full ip included): long enough to notice an alarm and redrive, short enough that full addresses do not linger',
  }),
  /**
   * Most GB one Athena query of the workgroup may scan (1 to 10000).
   * @default 10
   */
  athenaBytesScannedLimitGb: wholeNumber({
    default: 10,
    min: 1,
    max: 10000,
    reason: 'a query that scans more than 10 GB of this archive is a mistake, not a question',
  }),
  /**
   * Deletion protection of the DynamoDB tables.
   * @default true
   */
  deletionProtection: yesOrNo({ default: true, reason: 'the tables hold the only copy of sessions and metrics' }),
  /**
   * E-mail address subscribed to the alarm topic.
   * @default undefined (no subscription)
   */
  alarmEmail: optional(
    textMatching({ default: '', pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, what: 'an e-mail address', reason: '' }),
    'alarms are sent to the SNS topic only when absent',
  ),
  /**
   * The collector API: `POST /collect` on API Gateway, writing to the ingest stream without a function.
   * @default true
   */
  collector: yesOrNo({
    default: true,
    reason: 'a website sends its events through it; turn it off where producers write to the stream themselves',
  }),
  /**
   * Sets the account's API Gateway CloudWatch role, which every REST API of an account and Region logs through,
   * access logs included; without one, creating the collector's stage fails. The role is kept when the stack
   * is deleted, so that other APIs' logging goes on.
   * @default true
   */
  collectorSetsAccountLogRole: yesOrNo({
    default: true,
    reason:
      "a first deploy into a fresh account must not fail on an account setting; set false where the account's API Gateway role is managed elsewhere",
  }),
  /**
   * Origins whose scripts may read the collector's answers (`https://www.example.com`), written as a list.
   * @default []
   */
  collectorAllowedOrigins: originList({
    default: [],
    reason: 'no CORS header: no other site may read an answer; navigator.sendBeacon and no-cors requests still deliver events, unread',
  }),
  /**
   * Steady requests per second the collector's stage takes before it answers 429 (1 to 10000, the account's
   * default quota per Region: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
   * @default 100
   */
  collectorRateLimit: wholeNumber({
    default: 100,
    min: 1,
    max: 10000,
    reason: "100 requests of about 10 events fill the default single shard's 1,000 records/s; past that Kinesis refuses records one by one",
  }),
  /**
   * Requests the collector's stage takes at once above the steady rate (1 to 5000, the account's default burst).
   * @default 200
   */
  collectorBurstLimit: wholeNumber({
    default: 200,
    min: 1,
    max: 5000,
    reason: 'two seconds of the steady rate: a spike of page loads is taken, a flood is not',
  }),
  /**
   * Requests one IP address may send to the collector in 5 minutes before an AWS WAF web ACL blocks it (10 to
   * 2,000,000,000: the rate-based rule's limit, "Rate-based rule high-level settings in AWS WAF",
   * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html,
   * and the AWS::WAFv2::WebACL RateLimit schema).
   * @default undefined (no web ACL)
   */
  collectorWafRateLimit: optional(
    wholeNumber({ default: 0, min: 10, max: 2_000_000_000, reason: '' }),
    'no web ACL when absent (AWS WAF bills each web ACL, rule and million requests): the stage throttle bounds all clients together, not one address',
  ),
} as const;

/** Every setting: the stack's and those it passes to the functions. */
export const SETTINGS = { ...STACK_SETTINGS, ...SESSION_PROCESSOR_SETTINGS, ...TRANSFORM_SETTINGS } as const;

export type ClickstreamConfig = SettingValues<typeof SETTINGS>;

export const DEFAULT_CONFIG: ClickstreamConfig = defaultsOf(SETTINGS);

const SETTING_NAMES: readonly string[] = Object.keys(SETTINGS);

/** Reads the `clickstream` context object over the defaults and checks every value. */
export function configFromContext(node: Node): ClickstreamConfig {
  const raw: unknown = node.tryGetContext('clickstream') ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error('context "clickstream" must be an object of settings (see stacks/config.ts)');
  const overrides: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const key of SETTING_NAMES) {
    const dotted: unknown = node.tryGetContext(`clickstream.${key}`);
    if (dotted !== undefined) overrides[key] = dotted;
  }
  return validateConfig({ ...DEFAULT_CONFIG, ...fromText(overrides) });
}

/** Context given on the command line arrives as text; each setting reads its own. */
function fromText(values: Record<string, unknown>): Partial<ClickstreamConfig> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!Object.hasOwn(SETTINGS, key)) throw new Error(`unknown setting clickstream.${key}; the settings are: ${SETTING_NAMES.join(', ')}`);
    out[key] = typeof value === 'string' ? SETTINGS[key as keyof typeof SETTINGS].parse(value) : value;
  }
  return out;
}

/** Throws an error naming the setting, the value and what is allowed. */
export function validateConfig(c: ClickstreamConfig): ClickstreamConfig {
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const value: unknown = c[key as keyof ClickstreamConfig];
    const problem = (setting as Setting<unknown>).problem(value);
    if (problem !== undefined) throw new Error(`clickstream.${key} ${problem}; got ${JSON.stringify(value)}`);
  }
  if (c.maxRecordAgeHours >= c.streamRetentionHours) {
    throw new Error(
      `clickstream.maxRecordAgeHours (${c.maxRecordAgeHours}) must be shorter than streamRetentionHours (${c.streamRetentionHours}), or records expire before they reach the on-failure bucket`,
    );
  }
  if (c.archiveExpirationDays !== undefined && c.archiveExpirationDays <= c.glacierTransitionDays) {
    throw new Error(
      `clickstream.archiveExpirationDays (${c.archiveExpirationDays}) must be later than glacierTransitionDays (${c.glacierTransitionDays})`,
    );
  }
  return c;
}
