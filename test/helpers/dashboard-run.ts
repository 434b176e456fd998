/**
 * A data directory with a seeded synthetic run in it, its exports, and the dashboard server over it: what the
 * dashboard tests compare the page and the API with.
 */
import { join } from 'node:path';
import { readExport } from '../../local/commands/export';
import type { MetricsExport, SessionExport } from '../../local/commands/export';
import { run } from '../../local/commands/run';
import { LocalDashboardSource } from '../../local/dashboard/local-source';
import { DashboardServer } from '../../local/dashboard/server';
import { startDynalite } from '../../local/emulators/dynalite';
import type { RunningEmulator } from '../../local/emulators/dynalite';
import { openExistingDataDir } from '../../local/runtime/data-dir';
import type { DataDir } from '../../local/runtime/data-dir';

export interface DashboardRun {
  readonly dataDir: string;
  readonly sessions: SessionExport[];
  readonly windows: MetricsExport[];
  readonly server: DashboardServer;
  close(): Promise<void>;
}

/** Runs the seeded workload into `dir`, reads its exports, then serves the dashboard over it. */
export async function dashboardOverRun(dir: string, workload = { users: 150, events: 3000, seed: 42 }): Promise<DashboardRun> {
  const dataDir = join(dir, 'data');
  await run({ ...workload, dataDir, fresh: true, quiet: true });
  const sessions = (await readExport('sessions', dataDir)) as SessionExport[];
  const windows = (await readExport('metrics', dataDir)) as MetricsExport[];
  const opened: DataDir = openExistingDataDir(dataDir, true);
  const dynamo: RunningEmulator = await startDynalite({ path: opened.dynamodb });
  const source = new LocalDashboardSource({
    dynamoDbEndpoint: dynamo.endpoint,
    archiveDir: opened.archive,
    scratchDir: join(opened.root, 'tmp'),
    description: 'local (test)',
  });
  const server = await DashboardServer.start({ source });
  return {
    dataDir,
    sessions,
    windows,
    server,
    async close() {
      await server.close();
      await source.close();
      await dynamo.close();
      opened.release();
    },
  };
}
