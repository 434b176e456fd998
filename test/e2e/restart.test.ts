/**
 * A run that starts on a data directory whose stream still holds records an earlier, stopped run left
 * unconsumed: the report counts them apart from this run's input, and conservation holds.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../local/commands/run';
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
    expect(s.left_on_stream).toEqual({ session_path: 80, archive_path: 80 });
    expect(s.counted_before_start).toBe(0);
    expect(s.valid + s.refused).toBe(280);
    expect(s.archived + s.processing_failed + s.dropped).toBe(280);
    expect(s.session_path_balanced && s.archive_path_balanced).toBe(true);
  }, 60_000);

  it('counts the records a stopped run had applied beyond its checkpoint once, and conservation holds', async () => {
    const dataDir = join(dir, 'ahead');
    await run({ ...options, dataDir, fresh: true });
    // As after a kill between the metrics writes and the checkpoint: the records are counted, not checkpointed.
    for (const file of Object.values(CHECKPOINT_FILES)) unlinkSync(join(dataDir, 'checkpoints', file));

    const s = await run({ ...options, dataDir, fresh: false });
    expect(s.left_on_stream).toEqual({ session_path: 200, archive_path: 200 });
    expect(s.counted_before_start).toBe(200);
    expect(s.valid + s.refused).toBe(200);
    expect(s.archived + s.processing_failed + s.dropped).toBe(400);
    expect(s.session_path_balanced && s.archive_path_balanced).toBe(true);
  }, 60_000);
});
