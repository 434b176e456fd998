/**
 * A run that starts on a data directory whose stream still holds records an earlier, stopped run left
 * unconsumed: the report counts them apart from this run's input, and conservation holds.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../local/commands/run';
import type { RunSummary } from '../../local/commands/run';
import { openDataDir } from '../../local/runtime/data-dir';
import { CHECKPOINT_FILES, LocalPipeline } from '../../local/runtime/pipeline';
import { putAll } from '../../local/producer/producer';
import { syntheticWorkload } from '../../local/workload/synthetic';

const dir = mkdtempSync(join(tmpdir(), 'restart-'));
const workload = syntheticWorkload({ users: 20, events: 200, seed: 5, nowMs: Date.now() });
const input = join(dir, 'input.ndjson');
writeFileSync(input, workload.records.map((r) => `${r.data.toString('utf8')}\n`).join(''));
const options = { input, users: 1, events: 1, seed: 1, quiet: true };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a restarted run found left on the stream, what it counted on each path, and that both balance. */
function expectAccounted(s: RunSummary, e: { left: number; countedBefore: number; sessionPath: number; archivePath: number }): void {
  expect(s.left_on_stream).toEqual({ session_path: e.left, archive_path: e.left });
  expect(s.counted_before_start).toBe(e.countedBefore);
  expect(s.valid + s.refused).toBe(e.sessionPath);
  expect(s.archived + s.processing_failed + s.dropped).toBe(e.archivePath);
  expect(s.session_path_balanced && s.archive_path_balanced).toBe(true);
}

describe('a run after a stopped one', () => {
  it('counts records left on the stream apart from its own input, and conservation holds', async () => {
    const dataDir = join(dir, 'left');
    // A producer put records, then everything stopped before any consumer read them.
    const opened = openDataDir(dataDir, true);
    const pipeline = await LocalPipeline.start({ dataDir: opened });
    await putAll(pipeline.kinesis, pipeline.stream.name, workload.records.slice(0, 80));
    await pipeline.stop();
    opened.release();

    const s = await run({ ...options, dataDir, fresh: false });
    expect(s.records_in).toBe(200);
    expectAccounted(s, { left: 80, countedBefore: 0, sessionPath: 280, archivePath: 280 });
  }, 60_000);

  it('counts the records a stopped run had applied beyond its checkpoint once, and conservation holds', async () => {
    const dataDir = join(dir, 'ahead');
    await run({ ...options, dataDir, fresh: true });
    // As after a kill between the metrics writes and the checkpoint: the records are counted, not checkpointed.
    for (const file of Object.values(CHECKPOINT_FILES)) unlinkSync(join(dataDir, 'checkpoints', file));

    const s = await run({ ...options, dataDir, fresh: false });
    expectAccounted(s, { left: 200, countedBefore: 200, sessionPath: 200, archivePath: 400 });
  }, 60_000);
});
