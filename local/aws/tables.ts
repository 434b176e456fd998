/** Creating the session-processor's tables on a DynamoDB endpoint, with the keys the stack declares. */
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { METRICS_TABLE_KEYS, SESSIONS_TABLE_KEYS } from '../../functions/session-processor/table-schema';

export interface TableNames {
  readonly sessionsTable: string;
  readonly metricsTable: string;
}

/** Creates both tables unless they exist (on-demand billing, string keys). */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await ensureTable(client, names.sessionsTable, SESSIONS_TABLE_KEYS);
  await ensureTable(client, names.metricsTable, METRICS_TABLE_KEYS);
}

async function ensureTable(client: DynamoDBClient, name: string, keys: { partitionKey: string; sortKey: string }): Promise<void> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: name }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    return await waitUntilActive(client, name);
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: keys.partitionKey, AttributeType: 'S' },
        { AttributeName: keys.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: keys.partitionKey, KeyType: 'HASH' },
        { AttributeName: keys.sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
  await waitUntilActive(client, name);
}

/** A table is usable once DescribeTable says ACTIVE (the emulator takes a moment under load). */
async function waitUntilActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      const out = await client.send(new DescribeTableCommand({ TableName: name }));
      if (out.Table?.TableStatus === 'ACTIVE') return;
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`table ${name} did not become ACTIVE`);
}
