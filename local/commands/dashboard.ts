/**
 * `clickstream dashboard [--data-dir DIR] [--port P]`: the dashboard over a data directory's tables and archive,
 * until Ctrl-C. (`up` serves it beside the running pipeline; `run --dashboard` after its report.)
 */
import { join } from 'node:path';
import { startDynalite } from '../emulators/dynalite';
import { openExistingDataDir } from '../runtime/data-dir';
import { LocalDashboardSource } from '../dashboard/local-source';
import { DashboardServer } from '../dashboard/server';
import type { DashboardSource } from '../dashboard/source';

export interface DashboardOptions {
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly port: number;
}

/** Serves the dashboard over `source` until interrupted, printing its URL. */
export async function serveDashboard(source: DashboardSource, port: number, print: (line: string) => void): Promise<void> {
  try {
    const server = await DashboardServer.start({ source, port });
    try {
      print(`Dashboard          ${server.url}   (${source.description}; Ctrl-C stops)`);
      await untilInterrupted();
    } finally {
      await server.close();
    }
  } finally {
    await source.close();
  }
}

/** The dashboard over a data directory: its DynamoDB files are opened (and locked) for the purpose. */
export async function dashboard(o: DashboardOptions, print: (line: string) => void): Promise<void> {
  const dataDir = openExistingDataDir(
    o.dataDir,
    true,
    'wait for it to finish; while `clickstream up` runs, open the dashboard URL it printed',
  );
  try {
    const dynamo = await startDynalite({ path: dataDir.dynamodb });
    try {
      const source = new LocalDashboardSource({
        dynamoDbEndpoint: dynamo.endpoint,
        archiveDir: dataDir.archive,
        scratchDir: join(dataDir.root, 'tmp'),
        description: `local (${dataDir.root})`,
      });
      await serveDashboard(source, o.port, print);
    } finally {
      await dynamo.close();
    }
  } finally {
    dataDir.release();
  }
}

export function untilInterrupted(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
