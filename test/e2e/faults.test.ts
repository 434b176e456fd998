/**
 * Same answer under faults: the sessions, the metrics and the de-duplicated archive after a run with each
 * fault kind injected (and all at once) equal those of a fault-free run of the same input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULT_KINDS, expectedArchive, onlyInErrorOutput, runWith, writeInput } from '../helpers/fault-runs';
import type { Outcome } from '../helpers/fault-runs';

const dir = mkdtempSync(join(tmpdir(), 'clickstream-faults-'));
const input = writeInput(dir, 2000, 120);

let clean: Outcome;
beforeAll(async () => {
  clean = await runWith(dir, input.path, 'clean');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the pipeline under faults', () => {
  it('accounts for every record of the fault-free run', () => {
    expect(clean.summary.session_path_balanced && clean.summary.archive_path_balanced).toBe(true);
    expect(clean.archive).toHaveLength(input.composition.valid);
  });

  it.each(FAULT_KINDS)(
    'gives the same sessions, metrics and archive with %s',
    async (name, spec) => {
      const faulty = await runWith(dir, input.path, name, spec);
      expect(faulty.summary.session_path_balanced && faulty.summary.archive_path_balanced).toBe(true);
      expect(faulty.onFailureObjects).toBe(0);
      const f = faulty.summary.faults!;
      expect(f.ddbErrors + f.ddbLostResponses + f.crashes + f.duplicateDeliveries + f.transformFailures).toBeGreaterThan(0);
      expect(faulty.sessions).toEqual(clean.sessions);
      expect(faulty.metrics).toEqual(clean.metrics);
      expect(faulty.refused).toBe(clean.refused);
      // Records whose transform kept failing are kept whole in the error output, not archived; the rest match.
      expect(faulty.archive).toEqual(expectedArchive(clean, faulty));
      expect(faulty.archive.length + onlyInErrorOutput(clean, faulty).size).toBe(clean.archive.length);
    },
    120_000,
  );

  // One shard: a batch also settles the pending-metrics markers of the other shards' batches in flight, so with
  // two shards the calls an invocation makes, and so the faults drawn on them, depend on how the shards interleave
  // (the outcome does not: the tests above hold it).
  it('draws the same faults and reaches the same outcome for the same seed and input, run after run', async () => {
    const spec = FAULT_KINDS.find(([name]) => name === 'all at once')![1];
    const [a, b] = [
      await runWith(dir, input.path, 'same seed 1', spec, { shards: 1 }),
      await runWith(dir, input.path, 'same seed 2', spec, { shards: 1 }),
    ];
    const outcome = (o: Outcome) => ({
      faults: o.summary.faults,
      refused: o.refused,
      inErrorOutput: [...o.inErrorOutput].sort(),
      archived: o.summary.archived,
      failed: o.summary.processing_failed,
    });
    expect(outcome(b)).toEqual(outcome(a));
    expect(b.sessions).toEqual(a.sessions);
  }, 120_000);
});
