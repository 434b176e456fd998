/**
 * Same answer under faults: the sessions, the metrics and the de-duplicated archive after a run with each
 * fault kind injected (and all at once) equal those of a fault-free run of the same input.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readExport } from '../../local/commands/export';
import type { MetricsExport } from '../../local/commands/export';
import { runNamedQuery } from '../../local/commands/query';
import { run } from '../../local/commands/run';
import type { RunSummary } from '../../local/commands/run';
import { parseFaults } from '../../local/faults';
import { syntheticWorkload } from '../../local/workload/synthetic';

const dir = mkdtempSync(join(tmpdir(), 'clickstream-faults-'));
const input = join(dir, 'input.ndjson');
const workload = syntheticWorkload({ users: 120, events: 2000, seed: 11, nowMs: Date.now() });
writeFileSync(input, workload.records.map((r) => `${r.data.toString('utf8')}\n`).join(''));

interface Outcome {
  readonly summary: RunSummary;
  readonly sessions: unknown[];
  /** Metrics without the refused counts, which sit in the window of each run's own arrival times. */
  readonly metrics: unknown[];
  readonly refused: number;
  /** Archive rows, once per event_id, without received_at (each run's own arrival time). */
  readonly archive: unknown[];
}

async function runWith(name: string, spec?: string): Promise<Outcome> {
  const dataDir = join(dir, name);
  const summary = await run({ input, users: 1, events: 1, seed: 1, shards: 2, dataDir, fresh: true, quiet: true, batchSize: 100, ...(spec ? { faults: parseFaults(spec) } : {}) });
  const metrics = (await readExport('metrics', dataDir)) as MetricsExport[];
  const rows = await runNamedQuery('deduplicated_events', dataDir);
  return {
    summary,
    sessions: await readExport('sessions', dataDir),
    metrics: metrics.map(({ refused: _r, ...rest }) => rest).filter((m) => Object.keys(m.events_by_type).length > 0 || m.duplicates > 0 || m.late_events > 0),
    refused: metrics.reduce((n, m) => n + m.refused, 0),
    archive: rows.map(({ received_at: _a, copy_number: _n, copies: _c, ...rest }) => rest),
  };
}

let clean: Outcome;
beforeAll(async () => {
  clean = await runWith('clean');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the pipeline under faults', () => {
  it('accounts for every record of the fault-free run', () => {
    expect(clean.summary.session_path_balanced && clean.summary.archive_path_balanced).toBe(true);
    expect(clean.archive).toHaveLength(workload.composition.valid);
  });

  it.each([
    ['DynamoDB errors', 'ddb-error=0.15,seed=3'],
    ['lost DynamoDB responses', 'ddb-lost-response=0.1,seed=4'],
    ['crashes part-way through a batch', 'crash=0.2,seed=5'],
    ['every batch delivered twice', 'duplicate'],
    ['transform failures', 'transform-error=0.2,seed=6'],
    ['all at once', 'ddb-error=0.1,ddb-lost-response=0.05,crash=0.05,duplicate,transform-error=0.1,seed=7'],
  ])('gives the same sessions, metrics and archive with %s', async (name, spec) => {
    const faulty = await runWith(name.replace(/\W+/g, '-'), spec);
    expect(faulty.summary.session_path_balanced && faulty.summary.archive_path_balanced).toBe(true);
    const f = faulty.summary.faults!;
    expect(f.ddbErrors + f.ddbLostResponses + f.crashes + f.duplicateDeliveries + f.transformFailures).toBeGreaterThan(0);
    expect(faulty.sessions).toEqual(clean.sessions);
    expect(faulty.metrics).toEqual(clean.metrics);
    expect(faulty.refused).toBe(clean.refused);
    expect(faulty.archive).toEqual(clean.archive);
  }, 120_000);
});
