/** Creating the session-processor's tables on a DynamoDB endpoint, with the keys the stack declares. */
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { METRICS_TABLE_KEYS, SESSIONS_TABLE_KEYS } from '../functions/session-processor/table-schema';

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
    await client.send(new DescribeTableCommand({ TableName: name }));
    return;
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
}
