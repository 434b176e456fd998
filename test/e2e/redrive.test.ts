/**
 * `clickstream redrive` on the local pipeline, against a run of the same input that never had a bug:
 *
 * - a transform bug (`--faults transform-bug`) sends valid records to Firehose's processing-failed output;
 *   redriven with the bug gone, the archive and the sessions equal the clean run's;
 * - a session-processor bug (`--faults session-bug`) makes batches fail until Lambda gives up and writes them
 *   to the on-failure destination, half of them after their writes were done; redriven, no event changes a
 *   session or a metric twice: an event applied before counts as a duplicate (in the current session) or
 *   late (an earlier one);
 * - a second redrive puts nothing and changes no file.
 *
 * Archive rows are compared without `received_at`, the one column that depends on arrival: a record put back
 * arrives again, and the transform writes its new arrival (the archive's schema says `received_at` is when
 * Kinesis accepted the record). Every other column, the partitions (event time) included, comes from the
 * record's bytes, which redrive puts back unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ARCHIVE_COLUMNS } from '../../functions/shared/archive-schema';
import { validateRecord } from '../../functions/shared/validate-event';
import { readExport } from '../../local/commands/export';
import type { MetricsExport, SessionExport } from '../../local/commands/export';
import { redriveLocal } from '../../local/commands/redrive';
import type { RedriveSummary } from '../../local/commands/redrive';
import type { RunSummary } from '../../local/commands/run';
import type { KeptRecord } from '../../local/ops/failure-objects';
import { FolderObjectStore } from '../../local/ops/object-store';
import { stillRefused } from '../../local/ops/redrive';
import { openDataDir } from '../../local/runtime/data-dir';
import { archiveRows, hashedListing, onFailureRecords, processingFailedRecords } from '../helpers/data-dir-files';
import { runInput, writeInput } from '../helpers/fault-runs';

const dir = mkdtempSync(join(tmpdir(), 'clickstream-redrive-'));
const input = writeInput(dir, 2000, 120);
const BOUNDS = { maxAgeMs: 72 * 3_600_000, maxFutureMs: 5 * 60_000 };
const WINDOW_MS = 5 * 60_000;

interface Run {
  readonly dataDir: string;
  readonly summary: RunSummary;
}

async function runOf(name: string, spec?: string): Promise<Run> {
  const dataDir = join(dir, name);
  return { dataDir, summary: await runInput(dataDir, input.path, spec) };
}

const sessionsOf = async (dataDir: string) => (await readExport('sessions', dataDir)) as SessionExport[];
const metricsOf = async (dataDir: string) => (await readExport('metrics', dataDir)) as MetricsExport[];
const redriveOf = (dataDir: string, dryRun = false) => redriveLocal({ dataDir, dryRun, quiet: true });

/** Each window's business metrics (events, page views, sessions started, active users, conversions, revenue). */
function counted(metrics: readonly MetricsExport[]) {
  return metrics
    .map(({ duplicates: _d, late_events: _l, refused: _r, refused_by_reason: _rr, ...rest }) => rest)
    .filter((m) => Object.keys(m.events_by_type).length > 0);
}

const total = (metrics: readonly MetricsExport[], field: 'duplicates' | 'late_events') => metrics.reduce((n, m) => n + m[field], 0);
const stateOfFiles = (dataDir: string) => hashedListing(dataDir).filter((f) => !f.startsWith('clickstream.lock'));

let clean: Run;
beforeAll(async () => {
  clean = await runOf('clean');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clickstream redrive after a transform bug', () => {
  let bugged: Run;
  /** Valid records the bug refused (it strikes invalid records too, which the transform refuses anyway). */
  let bugRecords: number;
  let redriven: RedriveSummary;

  beforeAll(async () => {
    bugged = await runOf('transform-bug', 'transform-bug=0.05,seed=3');
    bugRecords = bugged.summary.processing_failed - clean.summary.processing_failed;
  }, 120_000);

  it('keeps the records the bug refused whole in the processing-failed output, and out of the archive', () => {
    expect(bugRecords).toBeGreaterThan(50);
    expect(bugged.summary.faults!.transformBugRecords).toBeGreaterThanOrEqual(bugRecords);
    expect(processingFailedRecords(bugged.dataDir)).toHaveLength(processingFailedRecords(clean.dataDir).length + bugRecords);
    expect(archiveRows(bugged.dataDir, [])).toHaveLength(archiveRows(clean.dataDir, []).length - bugRecords);
  });

  it('in a dry run, reports what it would put back and changes no file', async () => {
    const before = stateOfFiles(bugged.dataDir);
    const dry = await redriveOf(bugged.dataDir, true);
    expect(dry.put).toBe(bugRecords);
    expect(dry.pass).toBeUndefined();
    expect(stateOfFiles(bugged.dataDir)).toEqual(before);
  });

  it('puts back exactly the records the bug refused; the invalid ones stay, by reason', async () => {
    redriven = await redriveOf(bugged.dataDir);
    const [errors, batches] = redriven.sources;
    expect(redriven.put).toBe(bugRecords);
    expect(errors!.put).toBe(bugRecords);
    expect(errors!.refusedByReason).toEqual(clean.summary.refused_by_reason);
    expect(stillRefused(errors!)).toBe(clean.summary.processing_failed);
    expect(errors!.tooOldNow).toBe(0);
    expect(batches!.recordsRead).toBe(0);
    const pass = redriven.pass!;
    expect(pass.sessionPathBalanced && pass.archivePathBalanced).toBe(true);
    expect(pass.archive.ok).toBe(bugRecords);
    expect(pass.totals.applied + pass.totals.refused).toBe(0);
    expect(pass.totals.duplicates + pass.totals.late).toBe(bugRecords);
  }, 120_000);

  it('leaves the archive, its error output and the sessions as a run that never had the bug', async () => {
    expect(archiveRows(bugged.dataDir, ['received_at'])).toEqual(archiveRows(clean.dataDir, ['received_at']));
    const rawData = (dataDir: string) =>
      processingFailedRecords(dataDir)
        .map((r) => r.payload.toString('base64'))
        .sort();
    expect(rawData(bugged.dataDir)).toEqual(rawData(clean.dataDir));
    expect(await sessionsOf(bugged.dataDir)).toEqual(await sessionsOf(clean.dataDir));
  }, 60_000);

  it('changes no business metric: the records put back count as duplicates or late events', async () => {
    const [b, c] = [await metricsOf(bugged.dataDir), await metricsOf(clean.dataDir)];
    expect(counted(b)).toEqual(counted(c));
    expect(total(b, 'duplicates') + total(b, 'late_events')).toBe(total(c, 'duplicates') + total(c, 'late_events') + bugRecords);
  }, 60_000);

  it('puts nothing and changes no file when run a second time', async () => {
    const before = stateOfFiles(bugged.dataDir);
    const again = await redriveOf(bugged.dataDir);
    expect(again.put).toBe(0);
    expect(again.pass).toBeUndefined();
    expect(stillRefused(again.sources[0]!)).toBe(clean.summary.processing_failed);
    expect(stateOfFiles(bugged.dataDir)).toEqual(before);
  }, 60_000);
});

describe('clickstream redrive in a data directory whose user ids are hashed', () => {
  it("runs the pipeline with the directory's key: the rows put back name users by the same hashed ids, no raw one", async () => {
    const dataDir = join(dir, 'hashed');
    const summary = await runInput(dataDir, input.path, 'transform-bug=0.05,seed=3', { userIdMode: 'hash' });
    const sessionsBefore = await sessionsOf(dataDir);
    const hashedIds = new Set(sessionsBefore.map((s) => s.user_id));

    const redriven = await redriveOf(dataDir);

    expect(redriven.put).toBeGreaterThan(50);
    expect(redriven.pass!.totals.applied).toBe(0);
    const rows = archiveRows(dataDir, []).map((r) => JSON.parse(r) as unknown[]);
    const userIdAt = ARCHIVE_COLUMNS.findIndex((c) => c.name === 'user_id');
    expect(rows).toHaveLength(summary.archived + redriven.put);
    expect(rows.every((r) => hashedIds.has(r[userIdAt] as string))).toBe(true);
    expect(await sessionsOf(dataDir)).toEqual(sessionsBefore);
  }, 120_000);
});

describe('clickstream redrive of records older than the bound now', () => {
  // Records that arrived four days ago, an hour after their events: valid then, older than 72 hours now.
  const arrivalMs = Date.now() - 96 * 3_600_000;
  const old = Array.from({ length: 5 }, (_, i) =>
    Buffer.from(
      JSON.stringify({
        userId: `backfill-${i}`,
        eventType: 'page_view',
        timestamp: new Date(arrivalMs - 3_600_000 + i * 1000).toISOString(),
        url: `https://shop.example.com/p/${i}`,
      }),
    ),
  );
  let dataDir: string;

  beforeAll(async () => {
    dataDir = join(dir, 'backfill');
    openDataDir(dataDir, false).release();
    const lines = old.map((p) =>
      JSON.stringify({ arrivalTimestamp: arrivalMs, errorCode: 'Lambda.FunctionError', rawData: p.toString('base64') }),
    );
    const dt = new Date(arrivalMs).toISOString().slice(0, 10);
    await new FolderObjectStore(join(dataDir, 'archive')).put(
      `errors/processing-failed/dt=${dt}/clickstream-archive-1-old.gz`,
      gzipSync(`${lines.join('\n')}\n`),
    );
  });

  it('leaves them in place with the default bound, and starts nothing', async () => {
    const summary = await redriveOf(dataDir);
    expect(summary.sources[0]).toMatchObject({ recordsRead: 5, put: 0, tooOldNow: 5 });
    expect(summary.pass).toBeUndefined();
  });

  it('puts them back in a backfill run with a higher bound, which the pipeline applies with the same bound', async () => {
    const summary = await redriveLocal({ dataDir, dryRun: false, quiet: true, maxEventAgeHours: 120 });
    expect(summary.put).toBe(5);
    expect(summary.pass).toMatchObject({ sessionPathBalanced: true, archivePathBalanced: true, totals: { applied: 5, refused: 0 } });
    expect(summary.pass!.archive.ok).toBe(5);
    expect((await sessionsOf(dataDir)).map((s) => s.user_id)).toEqual(old.map((_p, i) => `backfill-${i}`));
  }, 60_000);
});

describe('clickstream redrive after a bug that throws between the metrics and the users', () => {
  let bugged: Run;
  let failed: KeptRecord[];
  let metricsBefore: MetricsExport[];
  /** Business totals a failed batch cannot skew: every event is counted once, users written or not. */
  const business = (metrics: readonly MetricsExport[]) => ({
    events: metrics.reduce((n, m) => n + Object.values(m.events_by_type).reduce((a, b) => a + b, 0), 0),
    page_views: metrics.reduce((n, m) => n + m.page_views, 0),
    conversions: metrics.reduce((n, m) => n + m.conversions, 0),
    revenue: Math.round(metrics.reduce((n, m) => n + m.revenue, 0) * 100) / 100,
  });

  beforeAll(async () => {
    bugged = await runOf('session-write-bug', 'session-write-bug=0.01,seed=5');
    failed = onFailureRecords(bugged.dataDir);
    metricsBefore = await metricsOf(bugged.dataDir);
  }, 120_000);

  it('sends the batches to the on-failure destination with their events counted and their users not written', async () => {
    expect(failed.length).toBeGreaterThan(5);
    expect(failed.every((r) => r.errorCode.includes('while writing its users'))).toBe(true);
    expect(business(metricsBefore)).toEqual(business(await metricsOf(clean.dataDir)));
  });

  it('applies the redriven events to the sessions without counting them again; a second redrive changes nothing', async () => {
    const redriven = await redriveOf(bugged.dataDir);
    const pass = redriven.pass!;
    expect(redriven.put).toBe(failed.length);
    expect(pass.sessionPathBalanced && pass.archivePathBalanced).toBe(true);
    // Nothing counted as a new event: each is applied but counted before (its user took it) or late.
    expect(pass.totals.applied).toBe(0);
    expect(pass.totals.alreadyCounted).toBeGreaterThan(0);
    expect(pass.totals.alreadyCounted + pass.totals.late + pass.totals.duplicates).toBe(redriven.put);
    const metricsAfter = await metricsOf(bugged.dataDir);
    expect(business(metricsAfter)).toEqual(business(metricsBefore));
    expect(business(metricsAfter)).toEqual(business(await metricsOf(clean.dataDir)));

    const files = stateOfFiles(bugged.dataDir);
    expect((await redriveOf(bugged.dataDir)).put).toBe(0);
    expect(stateOfFiles(bugged.dataDir)).toEqual(files);
  }, 180_000);
});

describe('clickstream redrive after a session-processor bug', () => {
  let bugged: Run;
  let failed: KeptRecord[];
  let sessionsBefore: SessionExport[];
  let metricsBefore: MetricsExport[];

  beforeAll(async () => {
    bugged = await runOf('session-bug', 'session-bug=0.01,seed=5');
    failed = onFailureRecords(bugged.dataDir);
    sessionsBefore = await sessionsOf(bugged.dataDir);
    metricsBefore = await metricsOf(bugged.dataDir);
  }, 120_000);

  /** The failed records that are valid events, by where the bug struck their invocations. */
  const events = (place: string) =>
    failed.flatMap((r) => {
      const v = validateRecord(r.payload, r.arrivalMs, BOUNDS);
      return v.ok && r.errorCode.includes(place) ? [v.event] : [];
    });

  it('writes the records the bug keeps failing to the on-failure destination, after their writes or before them', () => {
    expect(failed.length).toBeGreaterThan(5);
    expect(failed.every((r) => r.errorCode.startsWith('RetryAttemptsExhausted: InjectedSessionBug'))).toBe(true);
    expect(events('after its writes').length).toBeGreaterThan(0);
    expect(events('before its writes').length).toBeGreaterThan(0);
  });

  it('changes no session and no metric twice: only where events had never been applied', async () => {
    const applied = events('after its writes');
    const neverApplied = events('before its writes');
    const redriven = await redriveOf(bugged.dataDir);
    expect(redriven.put).toBe(applied.length + neverApplied.length);
    expect(stillRefused(redriven.sources[1]!)).toBe(failed.length - redriven.put);
    const pass = redriven.pass!;
    expect(pass.sessionPathBalanced && pass.archivePathBalanced).toBe(true);
    expect(pass.totals.refused).toBe(0);
    expect(pass.totals.applied).toBeLessThanOrEqual(neverApplied.length);

    // Users none of whose events was missing: their sessions are as before, and as the clean run's.
    const touched = new Set(neverApplied.map((e) => e.userId));
    const untouched = (sessions: readonly SessionExport[]) => sessions.filter((s) => !touched.has(s.user_id));
    const after = await sessionsOf(bugged.dataDir);
    expect(untouched(after)).toEqual(untouched(sessionsBefore));
    expect(untouched(after)).toEqual(untouched(await sessionsOf(clean.dataDir)));
    // Windows that held no missing event: their business metrics are as before.
    const missingWindows = new Set(neverApplied.map((e) => new Date(Math.floor(e.timestampMs / WINDOW_MS) * WINDOW_MS).toISOString()));
    const unmissed = (m: readonly MetricsExport[]) => counted(m).filter((w) => !missingWindows.has(w.window_start));
    const metricsAfter = await metricsOf(bugged.dataDir);
    expect(unmissed(metricsAfter)).toEqual(unmissed(metricsBefore));
    const grown = total(metricsAfter, 'duplicates') + total(metricsAfter, 'late_events');
    expect(grown - total(metricsBefore, 'duplicates') - total(metricsBefore, 'late_events')).toBe(redriven.put - pass.totals.applied);

    // An applied event in its user's current session is a duplicate by fingerprint; one of an earlier
    // session (its fingerprint no longer in the user's state) is late. Counted for users whose sessions
    // the never-applied events cannot have moved on.
    const currentStart = new Map<string, number>();
    for (const s of sessionsBefore) currentStart.set(s.user_id, Math.max(currentStart.get(s.user_id) ?? 0, Date.parse(s.start_time)));
    const known = applied.filter((e) => !touched.has(e.userId));
    const inCurrent = known.filter((e) => e.timestampMs >= currentStart.get(e.userId)!).length;
    const inEarlier = known.length - inCurrent;
    expect(inCurrent).toBeGreaterThan(0);
    expect(inEarlier).toBeGreaterThan(0);
    expect(pass.totals.duplicates).toBeGreaterThanOrEqual(inCurrent);
    expect(pass.totals.late).toBeGreaterThanOrEqual(inEarlier);
  }, 120_000);

  it('puts nothing and changes no file when run a second time', async () => {
    const before = stateOfFiles(bugged.dataDir);
    const again = await redriveOf(bugged.dataDir);
    expect(again.put).toBe(0);
    expect(stateOfFiles(bugged.dataDir)).toEqual(before);
  }, 60_000);

  it('is refused while another process holds the data directory, saying to stop it', async () => {
    const held = openDataDir(bugged.dataDir, false); // as a running `clickstream up` holds it
    try {
      await expect(redriveOf(bugged.dataDir)).rejects.toThrow(/is in use by this process .*; stop it first \(Ctrl-C where it runs/);
    } finally {
      held.release();
    }
  });
});
