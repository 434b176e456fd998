/**
 * `clickstream redrive`: puts the failed records that today's code accepts back on the stream, from Firehose's
 * processing-failed output and the session-processor's on-failure destination, and reports by reason what
 * stays refused (see local/ops/redrive.ts for the three steps per object and what a crash leaves).
 *
 * Locally it runs the pipeline over the data directory as `run` does, and waits until both consumers have
 * taken the records and every Firehose buffer is written, so the report can check conservation. In AWS it
 * puts to the stack's stream and returns: the deployed consumers take the records as they take any.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_MAX_FUTURE_MS, MAX_EVENT_AGE_HOURS } from '../../functions/shared/validate-event';
import type { EventTimeBounds } from '../../functions/shared/validate-event';
import { checkDateRange } from '../../queries';
import { readDeployedStack, regionOf } from '../deployed/stack';
import { translateAwsError } from '../deployed/errors';
import { UsageError } from '../errors';
import { FolderObjectStore, S3ObjectStore } from '../ops/object-store';
import type { ObjectStore } from '../ops/object-store';
import { kinesisPutBack, redrive } from '../ops/redrive';
import type { PutBack, SourceReport } from '../ops/redrive';
import type { ArrivalRange } from '../ops/redrive-decision';
import { onFailureSource, processingFailedSource } from '../ops/redrive-sources';
import type { FailureSource } from '../ops/redrive-sources';
import { kinesisClient } from '../runtime/aws-clients';
import { DEFAULT_DATA_DIR, openExistingDataDir } from '../runtime/data-dir';
import type { DataDir } from '../runtime/data-dir';
import { PipelinePass, archivePathBalanced, sessionPathBalanced } from '../runtime/pipeline-pass';
import { localUserIdMode } from '../runtime/user-id-key';
import type { LocalUserIdMode } from '../runtime/user-id-key';
import { Progress, devNull } from '../runtime/progress';
import { printPass, printSources } from './redrive-report';
import type { RedrivePassReport } from './redrive-report';

export interface RedriveOptions {
  /** Arrival dates to redrive, `yyyy-MM-dd` UTC, inclusive; all when left out. */
  readonly from?: string;
  readonly to?: string;
  /** Decide and report only: nothing written, nothing put. */
  readonly dryRun: boolean;
  /**
   * The bound both functions apply (the stack's `maxEventAgeHours`). Locally the pipeline runs with it; in
   * AWS it must be what the stack was deployed with, which has no output to read it from.
   * @default MAX_EVENT_AGE_HOURS.default (72)
   */
  readonly maxEventAgeHours?: number;
  /** Print nothing (tests). */
  readonly quiet?: boolean;
}

export interface LocalRedriveOptions extends RedriveOptions {
  /** @default DEFAULT_DATA_DIR */
  readonly dataDir?: string;
}

export interface StackRedriveOptions extends RedriveOptions {
  readonly stack: string;
  /** @default the SDK's region (AWS_REGION, the profile's) */
  readonly region?: string;
}

/** The SDK clients of an AWS redrive; each left out is the SDK's default for the region. */
export interface RedriveAwsClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly s3?: S3Client;
  readonly kinesis?: KinesisClient;
}

export interface RedriveSummary {
  readonly sources: readonly SourceReport[];
  /** Records put back on the stream (in a dry run, that would be). */
  readonly put: number;
  /** Locally, what the pipeline made of them: absent in a dry run, in AWS, and when nothing was put. */
  readonly pass?: RedrivePassReport;
}

/** Said when the data directory is held by `up` or `run`. */
const WHEN_BUSY = 'stop it first (Ctrl-C where it runs; `up` drains and writes its buffers as it stops), then run redrive again';

/** Redrives a data directory's failure stores through its local pipeline. */
export async function redriveLocal(o: LocalRedriveOptions): Promise<RedriveSummary> {
  const settings = checkRedriveOptions(o);
  const dataDir = openExistingDataDir(o.dataDir ?? DEFAULT_DATA_DIR, true, WHEN_BUSY);
  try {
    const progress = new Progress(o.quiet ? devNull() : process.stdout);
    // The pipeline runs as the directory's runs did: in hash mode, with its key (the records on the stream,
    // like the failure stores, hold raw ids; the handlers hash them).
    const userIds = localUserIdMode(dataDir);
    const hashed = userIds.mode === 'hash' ? '; user ids hashed' : '';
    progress.line(`clickstream redrive: data directory ${dataDir.root}${hashed}; ${describe(o, settings.range)}`);
    const sources = [
      processingFailedSource(new FolderObjectStore(dataDir.archive)),
      onFailureSource(new FolderObjectStore(dataDir.failed)),
    ];
    const lazy = new LazyPass(dataDir, userIds, settings.maxEventAgeHours);
    try {
      const reports = await redrive(sources, { ...settings, nowMs: Date.now(), dryRun: o.dryRun }, (records) => lazy.put(records));
      const put = reports.reduce((n, r) => n + r.put, 0);
      printSources(progress, reports, { dryRun: o.dryRun, range: settings.range, maxEventAgeHours: settings.maxEventAgeHours });
      const pass = lazy.started;
      if (pass === undefined) {
        progress.line(o.dryRun ? '  dry run: nothing was written or put' : '  nothing to put back: the pipeline was not started');
        return { sources: reports, put };
      }
      const outcome = await pass.drain(put, progress);
      const report: RedrivePassReport = {
        put,
        left: pass.left,
        countedBefore: pass.countedBefore,
        totals: outcome.totals,
        archive: outcome.archive,
        sessionPathBalanced: sessionPathBalanced(put, pass.left, pass.countedBefore, outcome.totals),
        archivePathBalanced: archivePathBalanced(put, pass.left, outcome.archive),
      };
      printPass(progress, report);
      return { sources: reports, put, pass: report };
    } finally {
      await lazy.stop();
    }
  } finally {
    dataDir.release();
  }
}

/** Redrives a deployed stack's failure buckets onto its stream, with the default AWS credential chain. */
export async function redriveStack(o: StackRedriveOptions, clients: RedriveAwsClients = {}): Promise<RedriveSummary> {
  const settings = checkRedriveOptions(o);
  if (o.stack.trim() === '') throw new UsageError('--stack must not be empty');
  const config = o.region !== undefined ? { region: o.region } : {};
  const all = {
    cloudFormation: clients.cloudFormation ?? new CloudFormationClient(config),
    s3: clients.s3 ?? new S3Client(config),
    kinesis: clients.kinesis ?? kinesisClient(undefined, o.region),
  };
  try {
    const region = o.region ?? (await regionOf(all.cloudFormation));
    const stack = await readDeployedStack(all.cloudFormation, o.stack, region);
    const progress = new Progress(o.quiet ? devNull() : process.stdout);
    progress.line(`clickstream redrive: stack ${stack.stackName} (${region}), stream ${stack.streamName}; ${describe(o, settings.range)}`);
    const sources: FailureSource[] = [
      processingFailedSource(bucket(all.s3, stack.archiveBucket)),
      onFailureSource(bucket(all.s3, stack.failureBucket)),
    ];
    const put = kinesisPutBack(all.kinesis, stack.streamName);
    const putBack: PutBack = (records) =>
      put(records).catch((err: unknown) => translateAwsError(err, 'kinesis:PutRecords', `stream ${stack.streamName} in ${region}`));
    const reports = await redrive(sources, { ...settings, nowMs: Date.now(), dryRun: o.dryRun }, putBack);
    const total = reports.reduce((n, r) => n + r.put, 0);
    printSources(progress, reports, { dryRun: o.dryRun, range: settings.range, maxEventAgeHours: settings.maxEventAgeHours });
    if (o.dryRun) progress.line('  dry run: nothing was written or put');
    else if (total > 0)
      // The mapping invokes the session-processor within its batching window (the stack's
      // maxBatchingWindowSeconds, "MaximumBatchingWindowInSeconds",
      // https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html); Firehose writes within its
      // buffering interval (bufferingIntervalSeconds).
      progress.line(
        `  put ${total} records on ${stack.streamName}: the sessions and metrics take them within the session-processor's batching window (5 s by default), the archive within Firehose's buffering interval (60 s by default)`,
      );
    return { sources: reports, put: total };
  } finally {
    for (const client of Object.values(all)) client.destroy();
  }
}

interface CheckedSettings {
  readonly range: ArrivalRange;
  readonly bounds: EventTimeBounds;
  readonly maxEventAgeHours: number;
}

/** Checks the options before anything is opened, read or written; a wrong one is a UsageError naming it. */
export function checkRedriveOptions(o: RedriveOptions): CheckedSettings {
  const maxEventAgeHours = o.maxEventAgeHours ?? MAX_EVENT_AGE_HOURS.default;
  const problem = MAX_EVENT_AGE_HOURS.problem(maxEventAgeHours);
  if (problem !== undefined) throw new UsageError(`--max-event-age-hours ${problem}; got ${maxEventAgeHours}`);
  const range: ArrivalRange = {
    ...(o.from !== undefined ? { from: checkedDate(o.from, '--from') } : {}),
    ...(o.to !== undefined ? { to: checkedDate(o.to, '--to') } : {}),
  };
  if (range.from !== undefined && range.to !== undefined && range.from > range.to)
    throw new UsageError(`--from (${range.from}) must not be after --to (${range.to})`);
  return { range, maxEventAgeHours, bounds: { maxAgeMs: maxEventAgeHours * 3_600_000, maxFutureMs: DEFAULT_MAX_FUTURE_MS } };
}

function checkedDate(value: string, flag: string): string {
  try {
    return checkDateRange({ from: value, to: value }).from;
  } catch {
    throw new UsageError(`${flag} must be a date yyyy-MM-dd (UTC); got ${JSON.stringify(value)}`);
  }
}

function describe(o: RedriveOptions, range: ArrivalRange): string {
  const dates =
    range.from === undefined && range.to === undefined
      ? 'records that arrived on any date'
      : `records that arrived from ${range.from ?? 'the first'} to ${range.to ?? 'the last'} (UTC)`;
  return `${dates}; maxEventAgeHours ${o.maxEventAgeHours ?? MAX_EVENT_AGE_HOURS.default}${o.dryRun ? '; dry run' : ''}`;
}

function bucket(client: S3Client, name: string): ObjectStore {
  return new S3ObjectStore(client, name);
}

/**
 * The local pipeline, started when the first record is to be put: a redrive that finds nothing to put writes
 * nothing in the data directory, not even the emulators' files. Its consumers poll while records are put.
 */
class LazyPass {
  started: PipelinePass | undefined;

  constructor(
    private readonly dataDir: DataDir,
    private readonly userIds: LocalUserIdMode,
    private readonly maxEventAgeHours: number,
  ) {}

  async put(records: Parameters<PutBack>[0]): Promise<void> {
    if (this.started === undefined) {
      this.started = await PipelinePass.start({ dataDir: this.dataDir, userIds: this.userIds, maxEventAgeHours: this.maxEventAgeHours });
      this.started.startConsumers();
    }
    const { kinesis, stream } = this.started.pipeline;
    await kinesisPutBack(kinesis, stream.name)(records);
  }

  async stop(): Promise<void> {
    await this.started?.stop();
  }
}
