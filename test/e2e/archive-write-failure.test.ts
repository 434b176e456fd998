/**
 * The archive path's balance must not "hold" when Firehose's model could not write its objects: here the
 * archive's data folder is a file, so every data object write fails, and the records stay unwritten.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../local/commands/run';
import { openDataDir } from '../../local/runtime/data-dir';
import { syntheticWorkload } from '../../local/workload/synthetic';

const dir = mkdtempSync(join(tmpdir(), 'clickstream-write-failure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clickstream run when archive objects cannot be written', () => {
  it('reports that the archive path does not hold, with the failed writes, the unwritten records and the error', async () => {
    const dataDir = join(dir, 'data');
    const input = join(dir, 'input.ndjson');
    const workload = syntheticWorkload({ users: 20, events: 200, seed: 3, nowMs: Date.now() });
    writeFileSync(input, workload.records.map((r) => `${r.data.toString('utf8')}\n`).join(''));
    const prepared = openDataDir(dataDir, false);
    writeFileSync(join(prepared.archive, 'events'), 'not a folder');
    prepared.release();

    const summary = await run({ input, users: 1, events: 1, seed: 1, shards: 1, dataDir, fresh: false, quiet: true });

    expect(summary.records_in).toBe(200);
    expect(summary.archived + summary.processing_failed + summary.dropped).toBe(200);
    expect(summary.archive_write_failures).toBeGreaterThan(0);
    expect(summary.archive_unwritten).toBe(summary.archived);
    expect(summary.archive_last_write_error).toMatch(/ENOTDIR|EEXIST|not a directory/i);
    expect(summary.archive_path_balanced).toBe(false);
    expect(summary.session_path_balanced).toBe(true);
  }, 60_000);
});
