/** `clickstream run`: the whole pipeline on a workload, until the stream is drained, then the report. */
import { writeFileSync } from 'node:fs';
import { openDataDir } from '../data-dir';
import { readInput } from '../input-file';
import { LocalPipeline } from '../pipeline';
import { putAll } from '../producer';
import type { ProduceRecord } from '../producer';
import { Progress } from '../progress';
import { allSessions, allWindows } from '../read-tables';
import { busiestWindows, formatDuration, minusTotals, percent, sessionPathTotals, sessionStats, table } from '../report';
import type { SessionPathTotals, SessionStats } from '../report';
import { syntheticWorkload } from '../workload/synthetic';

export interface RunOptions {
  readonly input?: string;
  readonly users: number;
  readonly events: number;
  readonly seed: number;
  readonly rate?: number;
  readonly shards: number;
  readonly dataDir: string;
  readonly fresh: boolean;
  readonly summaryJson?: string;
  readonly batchSize?: number;
  /** Print nothing but errors (tests). */
  readonly quiet?: boolean;
}

/** The summary written by `--summary-json`; the same figures the report prints. */
export interface RunSummary {
  readonly records_in: number;
  readonly valid: number;
  readonly refused: number;
  readonly refused_by_reason: Readonly<Record<string, number>>;
  readonly applied: number;
  readonly duplicates: number;
  readonly late: number;
  readonly sessions: number;
  readonly users: number;
  readonly session_path_balanced: boolean;
  readonly elapsed_seconds: number;
  readonly session_stats: SessionStats;
}

export async function run(o: RunOptions): Promise<RunSummary> {
  const started = Date.now();
  const progress = new Progress(o.quiet ? devNull() : process.stdout);
  const dataDir = openDataDir(o.dataDir, o.fresh);
  const records = loadRecords(o, started);
  progress.line(`clickstream run: ${records.length} records${o.input ? ` from ${o.input}` : ` (synthetic: ${o.users} users, seed ${o.seed})`}, ${o.shards} shard(s), data in ${dataDir.root}`);

  const pipeline = new LocalPipeline({ dataDir, shards: o.shards, ...(o.batchSize ? { batchSize: o.batchSize } : {}) });
  await pipeline.start();
  try {
    const { metricsTable, sessionsTable } = { metricsTable: 'clickstream-metrics', sessionsTable: 'clickstream-sessions' };
    const before = sessionPathTotals(await allWindows(pipeline.dynamodb, metricsTable));
    pipeline.startConsumers();
    await putAll(pipeline.kinesis, pipeline.stream.name, records, {
      ...(o.rate ? { rate: o.rate } : {}),
      onProgress: (done) => progress.update('put on the stream', done, records.length),
    });
    progress.finish();
    const timer = setInterval(() => progress.update('sessionized', pipeline.sessionSource.stats.recordsDelivered, records.length), 500);
    await pipeline.drain();
    clearInterval(timer);
    progress.update('sessionized', records.length, records.length);
    progress.finish();

    const windows = await allWindows(pipeline.dynamodb, metricsTable);
    const sessions = await allSessions(pipeline.dynamodb, sessionsTable);
    const totals = minusTotals(sessionPathTotals(windows), before);
    const stats = sessionStats(sessions);
    const summary = toSummary(records.length, totals, stats, (Date.now() - started) / 1000);
    printReport(progress, summary, windows, pipeline.sessionSource.stats.recordsToFailureDestination);
    if (o.summaryJson) writeFileSync(o.summaryJson, `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    await pipeline.stop();
  }
}

function loadRecords(o: RunOptions, nowMs: number): ProduceRecord[] {
  if (o.input) return readInput(o.input);
  return syntheticWorkload({ users: o.users, events: o.events, seed: o.seed, nowMs }).records;
}

function toSummary(recordsIn: number, t: SessionPathTotals, stats: SessionStats, elapsed: number): RunSummary {
  const valid = t.applied + t.duplicates + t.late;
  return {
    records_in: recordsIn,
    valid,
    refused: t.refused,
    refused_by_reason: t.refusedByReason,
    applied: t.applied,
    duplicates: t.duplicates,
    late: t.late,
    sessions: stats.sessions,
    users: stats.users,
    session_path_balanced: recordsIn === valid + t.refused,
    elapsed_seconds: Math.round(elapsed * 10) / 10,
    session_stats: stats,
  };
}

function printReport(p: Progress, s: RunSummary, windows: Parameters<typeof busiestWindows>[0], failedToDestination: number): void {
  p.line('');
  p.line('Totals (this run)');
  p.line(table(['', 'records'], [
    ['records in', s.records_in],
    ['  valid', s.valid],
    ['    applied to sessions', s.applied],
    ['    producer duplicates', s.duplicates],
    ['    late (before session start)', s.late],
    ['  refused', s.refused],
    ...Object.entries(s.refused_by_reason).sort().map(([k, v]): [string, number] => [`    ${k}`, v]),
  ]));
  const ok = s.session_path_balanced ? 'holds' : 'DOES NOT HOLD';
  p.line(`  conservation (session path): records in ${s.records_in} = valid ${s.valid} + refused ${s.refused}: ${ok}`);
  if (failedToDestination > 0) p.line(`  ${failedToDestination} records went to the on-failure destination (see failed/ in the data directory)`);
  const st = s.session_stats;
  p.line('');
  p.line('Sessions (whole data directory)');
  p.line(table(['sessions', 'users', 'median', 'p90', 'pages/session', 'bounce', 'converted', 'revenue'], [[
    st.sessions, st.users, formatDuration(st.medianDurationS), formatDuration(st.p90DurationS), st.pagesPerSession,
    percent(st.bounceRate), percent(st.conversionRate), st.revenue,
  ]]));
  p.line('');
  p.line('Busiest 5-minute windows');
  p.line(table(['window (UTC)', 'events', 'page views', 'users', 'sessions', 'conversions'], busiestWindows(windows, 5).map((w) => [
    new Date(w.windowStartMs).toISOString().slice(0, 16).replace('T', ' '), w.events, w.pageViews, w.activeUsers, w.sessionsStarted, w.conversions,
  ])));
  p.line('');
  p.line(`Done in ${s.elapsed_seconds}s.`);
}

function devNull(): NodeJS.WriteStream {
  return { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
}
