/**
 * The stack's settings: one typed object, its safe defaults with the reason for each, and how `cdk.json`
 * context overrides them (`"clickstream": { "shardCount": 2, … }` or `-c clickstream.shardCount=2`).
 */
import type { Node } from 'constructs';

export type ArchiveFormat = 'json' | 'parquet';
export type IpMode = 'anonymize' | 'full' | 'omit';

/**
 * Where archive objects go after `glacierTransitionDays` (S3 storage class names). Athena reads S3 Glacier
 * Instant Retrieval like Standard; it skips Flexible Retrieval (`GLACIER`) and Deep Archive objects unless they
 * were restored first and the table sets `read_restored_glacier_objects` ("Query restored Amazon S3 Glacier
 * objects", https://docs.aws.amazon.com/athena/latest/ug/querying-glacier.html).
 */
export type ArchiveStorageClass = 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';
export const ARCHIVE_STORAGE_CLASSES: readonly ArchiveStorageClass[] = ['GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'];

/** True for the classes whose objects must be restored before Athena reads them. */
export function needsRestore(storageClass: ArchiveStorageClass): boolean {
  return storageClass === 'GLACIER' || storageClass === 'DEEP_ARCHIVE';
}

export interface ClickstreamConfig {
  /** Prefix of resource names, so that several stages can live in one account. */
  readonly stageName: string;
  /** Provisioned shards, or `on-demand`. */
  readonly shardCount: number | 'on-demand';
  readonly streamRetentionHours: number;
  readonly sessionTimeoutMinutes: number;
  readonly metricsWindowMinutes: number;
  readonly sessionTtlDays: number;
  readonly metricsTtlDays: number;
  readonly maxEventAgeHours: number;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly retryAttempts: number;
  readonly maxRecordAgeHours: number;
  readonly parallelizationFactor: number;
  readonly archiveFormat: ArchiveFormat;
  readonly bufferingIntervalSeconds: number;
  readonly bufferingSizeMb: number;
  /** Days after which archive objects move to {@link archiveStorageClass}. */
  readonly glacierTransitionDays: number;
  readonly archiveStorageClass: ArchiveStorageClass;
  /** Delete archive objects this many days after creation; kept forever when absent. */
  readonly archiveExpirationDays?: number;
  /**
   * Days the raw payloads of failures are kept: objects under the archive's error prefix and in the
   * session-processor's on-failure bucket. They hold whole records (the full `ip` included), so they expire
   * sooner than the archive.
   */
  readonly failureRetentionDays: number;
  readonly athenaBytesScannedLimitGb: number;
  readonly ipMode: IpMode;
  readonly dropBots: boolean;
  readonly deletionProtection: boolean;
  readonly alarmEmail?: string;
}

export const DEFAULT_CONFIG: ClickstreamConfig = {
  stageName: 'dev',
  // One shard takes 1 MB/s or 1,000 records/s of writes: about 2.5 billion events a month.
  shardCount: 1,
  // 24 hours is included in the shard price; it outlasts the 12-hour record-age budget below.
  streamRetentionHours: 24,
  sessionTimeoutMinutes: 30,
  metricsWindowMinutes: 5,
  sessionTtlDays: 7,
  metricsTtlDays: 90,
  maxEventAgeHours: 72,
  // Large batches make few DynamoDB requests per event; the window lets a quiet stream fill them.
  batchSize: 500,
  maxBatchingWindowSeconds: 5,
  // Throttling clears within seconds; ten retries with bisection isolate a poison record without stalling long.
  retryAttempts: 10,
  // Half the stream's retention: a stuck shard's records reach the on-failure bucket well before they expire.
  maxRecordAgeHours: 12,
  // 1 keeps one invocation per shard, so no two invocations race on a user (see README, effectively-once).
  parallelizationFactor: 1,
  archiveFormat: 'json',
  // The smallest that dynamic partitioning allows.
  bufferingIntervalSeconds: 60,
  bufferingSizeMb: 64,
  glacierTransitionDays: 90,
  // Athena reads it without a restore, at about a sixth of the Standard storage price (README, storage classes).
  archiveStorageClass: 'GLACIER_IR',
  // Long enough to notice an alarm and redrive; short enough that full client addresses do not linger.
  failureRetentionDays: 30,
  athenaBytesScannedLimitGb: 10,
  ipMode: 'anonymize',
  dropBots: false,
  deletionProtection: true,
};

/** Settings without a default (absent means off). */
const OPTIONAL_SETTINGS = ['archiveExpirationDays', 'alarmEmail'] as const;
const SETTING_NAMES: readonly string[] = [...Object.keys(DEFAULT_CONFIG), ...OPTIONAL_SETTINGS];

/** Reads the `clickstream` context object over the defaults and checks every value. */
export function configFromContext(node: Node): ClickstreamConfig {
  const raw: unknown = node.tryGetContext('clickstream') ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('context "clickstream" must be an object of settings (see stacks/config.ts)');
  const overrides: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const key of SETTING_NAMES) {
    const dotted: unknown = node.tryGetContext(`clickstream.${key}`);
    if (dotted !== undefined) overrides[key] = dotted;
  }
  return validateConfig({ ...DEFAULT_CONFIG, ...coerce(overrides) });
}

/** Context given on the command line arrives as strings; numbers and booleans are read back. */
function coerce(values: Record<string, unknown>): Partial<ClickstreamConfig> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (!SETTING_NAMES.includes(k)) throw new Error(`unknown setting clickstream.${k}; the settings are: ${SETTING_NAMES.join(', ')}`);
    if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) out[k] = Number(v);
    else if (v === 'true' || v === 'false') out[k] = v === 'true';
    else out[k] = v;
  }
  return out;
}

/** Throws an error naming the setting, the value and what is allowed. */
export function validateConfig(c: ClickstreamConfig): ClickstreamConfig {
  const int = (key: keyof ClickstreamConfig, min: number, max: number) => {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Error(`clickstream.${key} must be a whole number from ${min} to ${max}; got ${JSON.stringify(v)}`);
  };
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(c.stageName)) throw new Error(`clickstream.stageName must be lower-case letters, digits and dashes, at most 20; got ${JSON.stringify(c.stageName)}`);
  if (c.shardCount !== 'on-demand') int('shardCount', 1, 500);
  int('streamRetentionHours', 24, 8760);
  int('sessionTimeoutMinutes', 1, 1440);
  int('metricsWindowMinutes', 1, 1440);
  if (1440 % c.metricsWindowMinutes !== 0) throw new Error(`clickstream.metricsWindowMinutes must divide a day (1440); got ${c.metricsWindowMinutes}`);
  int('sessionTtlDays', 1, 3650);
  int('metricsTtlDays', 1, 3650);
  int('maxEventAgeHours', 1, 8760);
  int('batchSize', 1, 10000);
  int('maxBatchingWindowSeconds', 0, 300);
  int('retryAttempts', 0, 10000);
  int('maxRecordAgeHours', 1, 168);
  int('parallelizationFactor', 1, 10);
  if (c.maxRecordAgeHours >= c.streamRetentionHours) {
    throw new Error(`clickstream.maxRecordAgeHours (${c.maxRecordAgeHours}) must be shorter than streamRetentionHours (${c.streamRetentionHours}), or records expire before they reach the on-failure bucket`);
  }
  if (c.archiveFormat !== 'json' && c.archiveFormat !== 'parquet') throw new Error(`clickstream.archiveFormat must be json or parquet; got ${JSON.stringify(c.archiveFormat)}`);
  int('bufferingIntervalSeconds', 60, 900);
  int('bufferingSizeMb', 64, 128);
  int('glacierTransitionDays', 1, 3650);
  if (c.archiveExpirationDays !== undefined) {
    int('archiveExpirationDays', 1, 36500);
    if (c.archiveExpirationDays <= c.glacierTransitionDays) throw new Error(`clickstream.archiveExpirationDays (${c.archiveExpirationDays}) must be later than glacierTransitionDays (${c.glacierTransitionDays})`);
  }
  if (!ARCHIVE_STORAGE_CLASSES.includes(c.archiveStorageClass)) throw new Error(`clickstream.archiveStorageClass must be one of ${ARCHIVE_STORAGE_CLASSES.join(', ')}; got ${JSON.stringify(c.archiveStorageClass)}`);
  int('failureRetentionDays', 1, 3650);
  int('athenaBytesScannedLimitGb', 1, 10000);
  if (!['anonymize', 'full', 'omit'].includes(c.ipMode)) throw new Error(`clickstream.ipMode must be anonymize, full or omit; got ${JSON.stringify(c.ipMode)}`);
  if (typeof c.dropBots !== 'boolean') throw new Error(`clickstream.dropBots must be true or false; got ${JSON.stringify(c.dropBots)}`);
  if (typeof c.deletionProtection !== 'boolean') throw new Error(`clickstream.deletionProtection must be true or false; got ${JSON.stringify(c.deletionProtection)}`);
  if (c.alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(c.alarmEmail)) throw new Error(`clickstream.alarmEmail must be an e-mail address; got ${JSON.stringify(c.alarmEmail)}`);
  return c;
}
