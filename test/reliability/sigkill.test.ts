/**
 * The local runtime killed with SIGKILL in the middle of a run and started again on the same data
 * directory: no event lost, none applied twice. Compared with a fault-free directory that received the same
 * input twice (as the restart re-puts it, like a retrying producer).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../../local/runtime/aws-clients';
import { readExport } from '../../local/commands/export';
import type { MetricsExport } from '../../local/commands/export';
import { runNamedQuery } from '../../local/commands/query';
import { run } from '../../local/commands/run';
import { startKinesalite } from '../../local/emulators/kinesalite';
import { LOCAL_NAMES } from '../../local/runtime/pipeline';
import { writeInput } from '../helpers/fault-runs';

const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'sigkill-'));
// Two users browse in one long session each (300 and 1,200 events: the second crosses the session bound).
const input = writeInput(dir, 3000, 200, [300, 1200]);
const options = { input: input.path, users: 1, events: 1, seed: 1, shards: 2, quiet: true, batchSize: 100 };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Applied figures only: duplicates, late and refused counts grow with every re-put, by design. */
async function state(dataDir: string) {
  const metrics = (await readExport('metrics', dataDir)) as MetricsExport[];
  const rows = await runNamedQuery('deduplicated_events', dataDir);
  return {
    sessions: await readExport('sessions', dataDir),
    metrics: metrics
      .map(({ duplicates: _d, late_events: _l, refused: _r, ...rest }) => rest)
      .filter((m) => Object.keys(m.events_by_type).length > 0),
    archive: rows.map(({ received_at: _a, copy_number: _n, copies: _c, ...rest }) => rest),
    accounted: metrics.reduce(
      (n, m) => n + Object.values(m.events_by_type).reduce((a, b) => a + b, 0) + m.duplicates + m.late_events + m.refused,
      0,
    ),
  };
}

/** Every record on the data directory's stream, all shards, from the trim horizon. */
async function recordsOnStream(dataDir: string): Promise<number> {
  const emulator = await startKinesalite({ path: join(dataDir, 'kinesis') });
  const client = kinesisClient(emulator.endpoint);
  let count = 0;
  try {
    const shards = (await client.send(new ListShardsCommand({ StreamName: LOCAL_NAMES.stream }))).Shards ?? [];
    for (const shard of shards) {
      let it = (
        await client.send(
          new GetShardIteratorCommand({ StreamName: LOCAL_NAMES.stream, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
        )
      ).ShardIterator;
      for (;;) {
        const out = await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 10_000 }));
        count += out.Records?.length ?? 0;
        if ((out.Records?.length ?? 0) === 0 && (out.MillisBehindLatest ?? 0) === 0) break;
        it = out.NextShardIterator;
      }
    }
  } finally {
    client.destroy();
    await emulator.close();
  }
  return count;
}

describe('SIGKILL in the middle of a run', () => {
  it('loses no event and applies none twice after a restart on the same data directory', async () => {
    const reference = join(dir, 'reference');
    await run({ ...options, dataDir: reference, fresh: true });
    const onePass = await state(reference);
    await run({ ...options, dataDir: reference, fresh: false });
    // A replay of the whole input, long sessions included, changes no session, metric or archived event.
    const replayed = await state(reference);
    expect([replayed.sessions, replayed.metrics, replayed.archive]).toEqual([onePass.sessions, onePass.metrics, onePass.archive]);

    const killed = join(dir, 'killed');
    const child = spawn(
      process.execPath,
      [join(ROOT, 'local/clickstream.cjs'), 'run', '--input', input.path, '--data-dir', killed, '--fresh', '--batch-size', '100'],
      { stdio: 'ignore' },
    );
    // Kill once both consumers have checkpointed something: the run is under way, not finished.
    const checkpoints = [join(killed, 'checkpoints', 'session-processor.json')];
    for (let waited = 0; waited < 60_000 && !checkpoints.every(existsSync); waited += 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    const [, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect(signal).toBe('SIGKILL'); // killed, not finished
    const restarted = await run({ ...options, dataDir: killed, fresh: false });
    // The restarted run's own report: its input and what the killed run left on the stream, each counted once.
    expect(restarted.records_in).toBe(3000);
    expect(restarted.session_path_balanced).toBe(true);
    expect(restarted.archive_path_balanced).toBe(true);

    const [a, b] = [await state(reference), await state(killed)];
    expect(b.sessions).toEqual(a.sessions);
    expect(b.metrics).toEqual(a.metrics);
    expect(b.archive).toEqual(a.archive);
    // Every record ever put on the killed directory's stream is accounted for exactly once.
    expect(b.accounted).toBe(await recordsOnStream(killed));
  }, 180_000);
});
