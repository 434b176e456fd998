/** A dynalite server on a free loopback port, tables created, and a client pointed at it. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynalite } from '../../local/emulators/dynalite';
import type { RunningEmulator } from '../../local/emulators/dynalite';
import { ensureTables } from '../../local/aws/tables';

export interface LocalDdb {
  readonly emulator: RunningEmulator;
  readonly client: DynamoDBClient;
  readonly tables: { sessionsTable: string; metricsTable: string };
}

let tableCounter = 0;

export async function startLocalDdb(): Promise<LocalDdb> {
  const emulator = await startDynalite();
  const client = new DynamoDBClient({
    endpoint: emulator.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { emulator, client, tables: await newTables(client) };
}

/** A fresh pair of tables on the same server. */
export async function newTables(client: DynamoDBClient): Promise<{ sessionsTable: string; metricsTable: string }> {
  tableCounter += 1;
  const tables = { sessionsTable: `sessions-${tableCounter}`, metricsTable: `metrics-${tableCounter}` };
  await ensureTables(client, tables);
  return tables;
}
