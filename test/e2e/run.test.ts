/**
 * `clickstream run` end to end on the emulators: conservation on both paths, sessions from DynamoDB equal to
 * the sessions the shipped SQL rebuilds from the archive, and a replay of the same input changing nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readExport } from '../../local/commands/export';
import type { MetricsExport, SessionExport } from '../../local/commands/export';
import { runNamedQuery } from '../../local/commands/query';
import { run } from '../../local/commands/run';
import type { RunSummary } from '../../local/commands/run';
import { syntheticWorkload } from '../../local/workload/synthetic';
import { sqlSessionFields } from '../helpers/sql-sessions';

const dir = mkdtempSync(join(tmpdir(), 'clickstream-e2e-'));
const dataDir = join(dir, 'data');
const input = join(dir, 'input.ndjson');
const workload = syntheticWorkload({ users: 150, events: 3000, seed: 7, nowMs: Date.now() });
writeFileSync(input, workload.records.map((r) => `${r.data.toString('utf8')}\n`).join(''));
const options = { input, users: 1, events: 1, seed: 1, shards: 2, dataDir, quiet: true };

let first: RunSummary;
let sessions: SessionExport[];
let metrics: MetricsExport[];

beforeAll(async () => {
  first = await run({ ...options, fresh: true });
  sessions = (await readExport('sessions', dataDir)) as SessionExport[];
  metrics = (await readExport('metrics', dataDir)) as MetricsExport[];
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clickstream run', () => {
  it('accounts for every record on both paths', () => {
    expect(first.records_in).toBe(3000);
    expect(first.valid + first.refused).toBe(3000);
    expect(first.archived + first.processing_failed + first.dropped).toBe(3000);
    expect(first.session_path_balanced && first.archive_path_balanced).toBe(true);
    expect(first.refused).toBe(workload.composition.invalid);
    expect(first.processing_failed).toBe(workload.composition.invalid);
    expect(first.duplicates).toBe(workload.composition.duplicates);
    expect(first.applied).toBe(workload.composition.valid);
  });

  it('gives the same sessions from DynamoDB as the shipped SQL rebuilds from the archive', async () => {
    const fromSql = await runNamedQuery('sessions', dataDir);
    const sqlView = fromSql.map(sqlSessionFields);
    const ddbView = sessions.map((s) => [
      s.user_id,
      Date.parse(s.start_time),
      Date.parse(s.last_activity_time),
      s.event_count,
      s.page_views,
      s.landing_page,
      s.exit_page,
      s.channel,
      s.source,
      s.medium,
      s.campaign,
      s.converted,
      s.revenue,
    ]);
    expect(ddbView.length).toBeGreaterThan(150);
    expect(sqlView).toEqual(ddbView);
  });

  it('changes no session and no metric when the same input is put on the stream again', async () => {
    const second = await run({ ...options, fresh: false });
    expect(second.records_in).toBe(3000);
    expect(second.applied).toBe(0);
    // Recognised by fingerprint, or (for a heavy user's older events, beyond the fingerprint history) late.
    expect(second.duplicates + second.late).toBe(workload.composition.valid + workload.composition.duplicates);
    expect(second.refused).toBe(workload.composition.invalid);
    const sessionsAfter = await readExport('sessions', dataDir);
    const metricsAfter = (await readExport('metrics', dataDir)) as MetricsExport[];
    expect(sessionsAfter).toEqual(sessions);
    // Only the counters of what was refused, or recognised as a duplicate or late, grow.
    const applied = (m: MetricsExport[]) =>
      m.map(({ duplicates: _d, refused: _r, refused_by_reason: _rr, late_events: _l, ...rest }) => rest);
    expect(applied(metricsAfter)).toEqual(applied(metrics));
  }, 120_000);
});
