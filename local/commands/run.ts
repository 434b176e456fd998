/** `clickstream run`: the whole pipeline on a workload, until the stream is drained, then the report. */
import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DBIP_ATTRIBUTION } from '../../dashboard/api';
import { loadNamedQueries } from '../../queries';
import { openArchive } from '../runtime/archive-sql';
import { openDataDir } from '../runtime/data-dir';
import type { DataDir } from '../runtime/data-dir';
import { openUserIdMode } from '../runtime/user-id-key';
import type { LocalUserIdMode } from '../runtime/user-id-key';
import type { UserIdMode } from '../../functions/shared/pseudonym';
import { UsageError } from '../errors';
import { FaultInjector } from '../runtime/faults';
import type { FaultCounts, FaultPlan } from '../runtime/faults';
import type { ArchiveFormat } from '../../stacks/config';
import { checkRange } from '../flags';
import { checkInputReadable, newCounts, readInput } from '../producer/input-file';
import type { InputCounts } from '../producer/input-file';
import { BATCH_SIZE_RANGE, BUFFER_MB_RANGE, BUFFER_SECONDS_RANGE, LOCAL_SHARD_RANGE } from '../limits';
import type { LeftOnStream, LocalPipeline } from '../runtime/pipeline';
import { PipelinePass, archivePathBalanced, holds, leftOnStreamTerms, sessionPathBalanced } from '../runtime/pipeline-pass';
import type { ArchiveOutcomes } from '../runtime/pipeline-pass';
import { putAll } from '../producer/producer';
import type { ProduceRecord } from '../producer/producer';
import { Progress, devNull } from '../runtime/progress';
import { RefusedStore } from '../producer/refused-store';
import { busiestWindows, formatDuration, percent, quantile, sessionStats, table } from '../runtime/report';
import type { SessionPathTotals, SessionStats } from '../runtime/report';
import { syntheticWorkload } from '../workload/synthetic';

export interface RunOptions {
  readonly input?: string;
  readonly users: number;
  readonly events: number;
  readonly seed: number;
  readonly rate?: number;
  /** Shards of a new stream; an existing stream with another count is an error. Absent: the stream's own, or 2. */
  readonly shards?: number;
  readonly dataDir: string;
  readonly fresh: boolean;
  readonly summaryJson?: string;
  readonly batchSize?: number;
  /** Retries of a failed session batch before its records go to the on-failure folder; the stack's `retryAttempts` by default. */
  readonly retryAttempts?: number;
  readonly archiveFormat?: ArchiveFormat;
  readonly bufferIntervalSeconds?: number;
  readonly bufferSizeMb?: number;
  /** Faults to inject (see local/runtime/faults.ts). */
  readonly faults?: FaultPlan;
  /** What the stores hold as a user's id; absent: what the data directory was made with (keep for a new one). */
  readonly userIdMode?: UserIdMode;
  /** Print nothing but errors (tests). */
  readonly quiet?: boolean;
}

/** The summary written by `--summary-json`; the same figures the report prints. */
export interface RunSummary {
  /** Input lines read (or synthetic records made): each put on the stream or refused before it. */
  readonly lines_in: number;
  /** Lines refused before the stream (too large for a Kinesis record), kept whole under `refused_dir`. */
  readonly refused_before_stream: number;
  readonly refused_before_stream_by_reason: Readonly<Record<string, number>>;
  readonly refused_dir: string | null;
  /** lines_in = records put + refused_before_stream. */
  readonly input_balanced: boolean;
  /** Records this run put on the stream (a throttled producer's extra copies included). */
  readonly records_in: number;
  /** Records an earlier, stopped run left on the stream after each consumer's checkpoint; this run consumed them. */
  readonly left_on_stream: { readonly session_path: number; readonly archive_path: number };
  /** Of those, records the stopped run's session-processor had already counted (its checkpoint lags its writes). */
  readonly counted_before_start: number;
  readonly valid: number;
  readonly refused: number;
  readonly refused_by_reason: Readonly<Record<string, number>>;
  readonly applied: number;
  readonly duplicates: number;
  readonly late: number;
  readonly sessions: number;
  readonly users: number;
  /** records_in + left_on_stream.session_path = valid + refused + counted_before_start. */
  readonly session_path_balanced: boolean;
  /** Ok records the archive path wrote (this run). */
  readonly archived: number;
  readonly processing_failed: number;
  readonly dropped: number;
  readonly archive_objects: number;
  readonly archive_error_objects: number;
  /** Bytes of the objects written (data and errors). */
  readonly archive_bytes: number;
  /** records_in + left_on_stream.archive_path = archived + processing_failed + dropped, and every one of them written to an object. */
  readonly archive_path_balanced: boolean;
  /** Object writes that failed, records still unwritten after the drain, and the last write error. */
  readonly archive_write_failures: number;
  readonly archive_unwritten: number;
  readonly archive_last_write_error?: string;
  /** What the pipeline asked of AWS in this run, counted at the SDK clients. */
  readonly aws_requests: AwsRequests;
  /** Records per second from the first put until both paths were drained and flushed. */
  readonly events_per_second: number;
  /** Delay from a record's put to its session-processor invocation committing it. */
  readonly put_to_session_ms: { readonly p50: number; readonly p95: number };
  readonly elapsed_seconds: number;
  readonly session_stats: SessionStats;
  /** What was injected, and how the consumers recovered (retries), when faults were asked for. */
  readonly faults?: FaultCounts & {
    readonly session_retries: number;
    readonly function_errors: number;
    readonly transform_invocation_failures: number;
  };
}

export interface AwsRequests {
  readonly dynamodb: Readonly<Record<string, number>>;
  readonly dynamodb_write_units: number;
  readonly dynamodb_read_units: number;
  readonly dynamodb_items_written: number;
  readonly dynamodb_keys_read: number;
  readonly dynamodb_units_by_operation: Readonly<Record<string, number>>;
  readonly kinesis_consumers: Readonly<Record<string, number>>;
  readonly kinesis_put_records_calls: number;
  readonly s3_objects: number;
  /** DynamoDB requests plus S3 objects per 1,000 valid events, and the same for one read, two writes and one PUT per event. */
  readonly per_1000_valid_events: number;
  readonly per_event_design_per_1000: number;
}

/** Put-to-visible delays are measured on at most this many records in flight at once, so memory stays bounded. */
const MAX_TRACKED_PUTS = 100_000;

/** Checks every option before anything is opened, created or deleted. */
export function checkRunOptions(o: RunOptions): void {
  if (o.shards !== undefined) checkRange('--shards', o.shards, LOCAL_SHARD_RANGE);
  if (o.batchSize !== undefined) checkRange('--batch-size', o.batchSize, BATCH_SIZE_RANGE);
  if (o.bufferIntervalSeconds !== undefined) checkRange('--buffer-seconds', o.bufferIntervalSeconds, BUFFER_SECONDS_RANGE);
  if (o.bufferSizeMb !== undefined) checkRange('--buffer-mb', o.bufferSizeMb, BUFFER_MB_RANGE);
  if (o.rate !== undefined) checkRange('--rate', o.rate, { min: 1 });
  if (o.input === undefined) {
    checkRange('--users', o.users, { min: 1 });
    checkRange('--events', o.events, { min: 1 });
  } else checkInputReadable(o.input);
  if (o.summaryJson !== undefined) {
    const folder = dirname(resolve(o.summaryJson));
    if (!isDirectory(folder))
      throw new UsageError(`--summary-json ${o.summaryJson}: its folder ${folder} does not exist; create it or give another path`);
  }
}

export async function run(o: RunOptions): Promise<RunSummary> {
  checkRunOptions(o);
  const dataDir = openDataDir(o.dataDir, o.fresh);
  try {
    return await runIn(dataDir, o, openUserIdMode(dataDir, o.userIdMode));
  } finally {
    dataDir.release();
  }
}

async function runIn(dataDir: DataDir, o: RunOptions, userIds: LocalUserIdMode): Promise<RunSummary> {
  const started = Date.now();
  const progress = new Progress(o.quiet ? devNull() : process.stdout);
  const injector = o.faults ? new FaultInjector(o.faults) : undefined;
  const putAt = new Map<string, number>();
  const delays: number[] = [];
  const pass = await PipelinePass.start({
    dataDir,
    userIds,
    ...(o.shards !== undefined ? { shards: o.shards } : {}),
    ...(injector ? { faults: injector } : {}),
    onSessionsVisible: (seqs, at) => {
      for (const seq of seqs) {
        const put = putAt.get(seq);
        if (put === undefined) continue;
        delays.push(at - put);
        putAt.delete(seq);
      }
    },
    ...(o.batchSize ? { batchSize: o.batchSize } : {}),
    ...(o.retryAttempts !== undefined ? { retryAttempts: o.retryAttempts } : {}),
    ...(o.archiveFormat ? { archiveFormat: o.archiveFormat } : {}),
    ...(o.bufferIntervalSeconds !== undefined ? { bufferIntervalSeconds: o.bufferIntervalSeconds } : {}),
    ...(o.bufferSizeMb ? { bufferSizeMb: o.bufferSizeMb } : {}),
  });
  try {
    const { pipeline, left, countedBefore } = pass;
    const what = o.input
      ? `input ${o.input === '-' ? 'standard input' : o.input}`
      : `${o.events} synthetic records (${o.users} users, seed ${o.seed})`;
    const hashed = userIds.mode === 'hash' ? ', user ids hashed' : '';
    progress.line(`clickstream run: ${what}, ${pipeline.stream.shardIds.length} shard(s)${hashed}, data in ${dataDir.root}`);
    if (left.sessionPath + left.archivePath > 0)
      progress.line(
        `  an earlier run was stopped: it left ${left.sessionPath} records unconsumed by the session path and ${left.archivePath} by the archive path; consuming them too`,
      );

    const refusedStore = new RefusedStore(dataDir.refused);
    const counts = newCounts();
    // With faults, the whole input goes on the stream before the consumers start: every run then sees the
    // same batches, and draws the same faults for them.
    if (!injector) pass.startConsumers();
    const firstPut = Date.now();
    const inputBytes = o.input && o.input !== '-' ? statSync(o.input).size : undefined;
    const produced = await putAll(pipeline.kinesis, pipeline.stream.name, records(o, started, refusedStore, counts), {
      onAccepted: (_i, seq, at) => {
        if (putAt.size < MAX_TRACKED_PUTS) putAt.set(seq, at);
      },
      ...(o.rate ? { rate: o.rate } : {}),
      onProgress: (done) =>
        inputBytes === undefined
          ? progress.update('put on the stream', done, o.input ? done : o.events)
          : progress.update('input read, MB', Math.round(counts.bytesRead / 1e6), Math.round(inputBytes / 1e6)),
    });
    progress.finish();
    if (injector) pass.startConsumers();
    const recordsIn = produced.put + produced.extraCopies;
    const { drainedAt, windows, sessions, totals, archive } = await pass.drain(recordsIn, progress);
    delays.sort((a, b) => a - b);
    const flow = {
      eps: Math.round(recordsIn / Math.max(0.001, (drainedAt - firstPut) / 1000)),
      p50: quantile(delays, 0.5),
      p95: quantile(delays, 0.95),
    };

    const stats = sessionStats(sessions);
    const requests = awsRequests(pipeline, produced.calls, totals.applied + totals.duplicates + totals.late);
    const input: InputTally = {
      counts,
      put: produced.put,
      refusedByReason: refusedStore.byReason,
      refusedDir: refusedStore.refused > 0 ? refusedStore.dir : null,
    };
    const base = toSummary(input, recordsIn, left, countedBefore, totals, stats, archive, requests, flow, (Date.now() - started) / 1000);
    const es = pipeline.sessionSource.stats;
    const summary: RunSummary = injector
      ? {
          ...base,
          faults: {
            ...injector.counts,
            session_retries: es.retries,
            function_errors: es.functionErrors,
            transform_invocation_failures: pipeline.archive.stats.invocationFailures,
          },
        }
      : base;
    printReport(progress, summary, windows, pipeline.sessionSource.stats.recordsToFailureDestination);
    await printArchiveReport(progress, dataDir.archive, dataDir.root);
    progress.line('');
    progress.line(`Done in ${summary.elapsed_seconds}s. Data, logs and archive in ${dataDir.root}`);
    progress.line(`See it as a dashboard: npx clickstream dashboard --data-dir ${dataDir.root}   (or run again with --dashboard)`);
    if (o.summaryJson) writeFileSync(o.summaryJson, `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    await pass.stop();
  }
}

/** The workload as a stream: the input file's lines, or the synthetic records, counted as they are read. */
function records(
  o: RunOptions,
  nowMs: number,
  store: RefusedStore,
  counts: InputCounts,
): Iterable<ProduceRecord> | AsyncIterable<ProduceRecord> {
  if (o.input) return readInput(o.input, store, counts);
  return (function* synthetic() {
    for (const r of syntheticWorkload({ users: o.users, events: o.events, seed: o.seed, nowMs }).records) {
      counts.lines += 1;
      counts.records += 1;
      yield r;
    }
  })();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function awsRequests(p: LocalPipeline, putCalls: number, valid: number): AwsRequests {
  const ddb = p.dynamoCounts;
  const s3Objects = p.archive.stats.dataObjects + p.archive.stats.errorObjects;
  const ddbRequests = Object.values(ddb.requests).reduce((n, v) => n + v, 0);
  const per1000 = (n: number) => (valid === 0 ? 0 : Math.round((n / valid) * 1000 * 100) / 100);
  return {
    dynamodb: { ...ddb.requests },
    dynamodb_write_units: ddb.writeUnits,
    dynamodb_read_units: ddb.readUnits,
    dynamodb_items_written: ddb.itemsWritten,
    dynamodb_keys_read: ddb.keysRead,
    dynamodb_units_by_operation: { ...ddb.unitsByOperation },
    kinesis_consumers: { ...p.kinesisCounts.requests },
    kinesis_put_records_calls: putCalls,
    s3_objects: s3Objects,
    per_1000_valid_events: per1000(ddbRequests + s3Objects),
    per_event_design_per_1000: valid === 0 ? 0 : 4000,
  };
}

interface InputTally {
  readonly counts: InputCounts;
  readonly put: number;
  readonly refusedByReason: Readonly<Record<string, number>>;
  readonly refusedDir: string | null;
}

function toSummary(
  input: InputTally,
  recordsIn: number,
  left: LeftOnStream,
  countedBefore: number,
  t: SessionPathTotals,
  stats: SessionStats,
  a: ArchiveOutcomes,
  requests: AwsRequests,
  flow: { eps: number; p50: number; p95: number },
  elapsed: number,
): RunSummary {
  const valid = t.applied + t.duplicates + t.late;
  return {
    lines_in: input.counts.lines,
    refused_before_stream: input.counts.refused,
    refused_before_stream_by_reason: input.refusedByReason,
    refused_dir: input.refusedDir,
    input_balanced: input.counts.lines === input.put + input.counts.refused,
    records_in: recordsIn,
    left_on_stream: { session_path: left.sessionPath, archive_path: left.archivePath },
    counted_before_start: countedBefore,
    valid,
    refused: t.refused,
    refused_by_reason: t.refusedByReason,
    applied: t.applied,
    duplicates: t.duplicates,
    late: t.late,
    sessions: stats.sessions,
    users: stats.users,
    session_path_balanced: sessionPathBalanced(recordsIn, left, countedBefore, t),
    archived: a.ok,
    processing_failed: a.processingFailed,
    dropped: a.dropped,
    archive_objects: a.dataObjects,
    archive_error_objects: a.errorObjects,
    archive_bytes: a.bytesWritten,
    archive_path_balanced: archivePathBalanced(recordsIn, left, a),
    archive_write_failures: a.writeFailures,
    archive_unwritten: a.unwritten,
    ...(a.lastWriteError !== undefined ? { archive_last_write_error: a.lastWriteError } : {}),
    aws_requests: requests,
    events_per_second: flow.eps,
    put_to_session_ms: { p50: flow.p50, p95: flow.p95 },
    elapsed_seconds: Math.round(elapsed * 10) / 10,
    session_stats: stats,
  };
}

/** Table rows of named counts, in name order, each labelled by `label`. */
function rowsByName(counts: Readonly<Record<string, number>>, label: (name: string) => string): Array<[string, number]> {
  return Object.entries(counts)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, n]): [string, number] => [label(name), n]);
}

function printReport(p: Progress, s: RunSummary, windows: Parameters<typeof busiestWindows>[0], failedToDestination: number): void {
  p.line('');
  p.line('Totals (this run)');
  p.line(
    table(
      ['', 'records'],
      [
        ['records in', s.records_in],
        ['  valid', s.valid],
        ['    applied to sessions', s.applied],
        ['    producer duplicates', s.duplicates],
        ['    late (before session start)', s.late],
        ['  refused', s.refused],
        ...rowsByName(s.refused_by_reason, (k) => `    ${k}`),
      ],
    ),
  );
  const put = s.lines_in - s.refused_before_stream;
  const kept = s.refused_dir
    ? ` (${Object.entries(s.refused_before_stream_by_reason)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; kept whole in ${s.refused_dir})`
    : '';
  p.line(
    `  input: lines in ${s.lines_in} = put on the stream ${put} + refused before the stream ${s.refused_before_stream}${kept}: ${holds(s.input_balanced)}`,
  );
  const left = leftOnStreamTerms(
    { sessionPath: s.left_on_stream.session_path, archivePath: s.left_on_stream.archive_path },
    s.counted_before_start,
  );
  p.line(
    `  session path: records in ${s.records_in}${left.sessionIn} = valid ${s.valid} + refused ${s.refused}${left.sessionAhead}: ${holds(s.session_path_balanced)}`,
  );
  p.line(
    `  archive path: records in ${s.records_in}${left.archiveIn} = archived ${s.archived} + processing failed ${s.processing_failed} + dropped ${s.dropped}: ${holds(s.archive_path_balanced)}`,
  );
  if (s.archive_write_failures > 0)
    p.line(
      `  archive object writes failed ${s.archive_write_failures} time(s); ${s.archive_unwritten} record(s) not written; last error: ${s.archive_last_write_error ?? '(none)'}`,
    );
  p.line(`  archive objects written: ${s.archive_objects} data, ${s.archive_error_objects} error`);
  if (s.faults) p.line(`  faults injected: ${JSON.stringify(s.faults)}`);
  if (failedToDestination > 0)
    p.line(
      `  ${failedToDestination} records went to the on-failure destination (see failed/ in the data directory); once their cause is fixed, \`clickstream redrive\` puts them back`,
    );
  const r = s.aws_requests;
  p.line('');
  p.line('AWS requests (counted at the SDK clients)');
  p.line(
    table(
      ['', 'count'],
      [
        ...rowsByName(r.dynamodb, (k) => `DynamoDB ${k.replace('Command', '')}`),
        ['DynamoDB write units consumed', r.dynamodb_write_units],
        ['DynamoDB read units consumed', r.dynamodb_read_units],
        ['S3 objects written by Firehose', r.s3_objects],
        ['Kinesis PutRecords (producer)', r.kinesis_put_records_calls],
        ...rowsByName(r.kinesis_consumers, (k) => `Kinesis ${k.replace('Command', '')} (consumers)`),
      ],
    ),
  );
  p.line(
    `  DynamoDB requests + S3 objects per 1,000 valid events: ${r.per_1000_valid_events} (one read, two writes and one PUT per event: ${r.per_event_design_per_1000})`,
  );
  p.line(
    `  throughput ${s.events_per_second} records/s from first put to drained; put to session visible: p50 ${s.put_to_session_ms.p50} ms, p95 ${s.put_to_session_ms.p95} ms`,
  );
  const st = s.session_stats;
  p.line('');
  p.line('Sessions (whole data directory)');
  p.line(
    table(
      ['sessions', 'users', 'median', 'p90', 'pages/session', 'bounce', 'converted', 'revenue'],
      [
        [
          st.sessions,
          st.users,
          formatDuration(st.medianDurationS),
          formatDuration(st.p90DurationS),
          st.pagesPerSession,
          percent(st.bounceRate),
          percent(st.conversionRate),
          st.revenue,
        ],
      ],
    ),
  );
  p.line('');
  p.line('Busiest 5-minute windows');
  p.line(
    table(
      ['window (UTC)', 'events', 'page views', 'users', 'sessions', 'conversions'],
      busiestWindows(windows, 5).map((w) => [
        new Date(w.windowStartMs).toISOString().slice(0, 16).replace('T', ' '),
        w.events,
        w.pageViews,
        w.activeUsers,
        w.sessionsStarted,
        w.conversions,
      ]),
    ),
  );
}

/** Top pages, channels, devices, countries and the funnel, from the shipped named queries run by DuckDB over the archive. */
async function printArchiveReport(p: Progress, archiveDir: string, scratch: string): Promise<void> {
  const db = await openArchive(archiveDir, scratch);
  try {
    const queries = new Map(loadNamedQueries().map((q) => [q.name, q.sql]));
    const run = (name: string) => db.query(queries.get(name)!, db.fullRange);
    p.line('');
    p.line('From the archive (DuckDB, shipped queries, whole data directory)');
    const pages = (await run('top_pages')).slice(0, 5);
    p.line(
      table(
        ['top pages', 'views', 'users'],
        pages.map((r) => [String(r['page_path']), Number(r['page_views']), Number(r['users'])]),
      ),
    );
    p.line('');
    const channels = (await run('traffic_channels')).slice(0, 12);
    p.line(
      table(
        ['channel', 'source', 'sessions', 'conversions', 'revenue'],
        channels.map((r) => [
          String(r['channel']),
          String(r['source']).slice(0, 24),
          Number(r['sessions']),
          Number(r['conversions']),
          Number(r['revenue']),
        ]),
      ),
    );
    p.line('');
    const devices = (await run('devices_and_browsers')).slice(0, 6);
    p.line(
      table(
        ['device', 'os', 'browser', 'users', 'events'],
        devices.map((r) => [String(r['device_type']), String(r['os']), String(r['browser']), Number(r['users']), Number(r['events'])]),
      ),
    );
    p.line('');
    const countries = (await run('countries')).slice(0, 8);
    p.line(
      table(
        ['country', 'users', 'events', 'of users'],
        countries.map((r) => [String(r['country']), Number(r['users']), Number(r['events']), `${Number(r['users_percent']).toFixed(1)}%`]),
      ),
    );
    p.line(`  ${DBIP_ATTRIBUTION.text} (${DBIP_ATTRIBUTION.href}), CC BY 4.0`);
    p.line('');
    const [f] = await run('funnel');
    if (f) {
      const views = Number(f['sessions_with_page_view']);
      const forms = Number(f['then_form_submit']);
      const conv = Number(f['then_conversion']);
      p.line(
        table(
          ['funnel (sessions)', 'count', 'of previous'],
          [
            ['page view', views, '100.0%'],
            ['then form submit', forms, percent(views ? forms / views : 0)],
            ['then conversion', conv, percent(forms ? conv / forms : 0)],
          ],
        ),
      );
    }
  } finally {
    db.close();
  }
}
