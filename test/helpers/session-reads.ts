/**
 * The two reads the sessions table is designed for: a user's latest session (one GetItem of the state item)
 * and a user's recent sessions (one descending Query: `STATE` sorts after every `SESSION#` key).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeState } from '../../functions/session-processor/item-codec';
import type { Session } from '../../functions/session-processor/model';
import { STATE_SORT_KEY } from '../../functions/session-processor/table-schema';
import { sessionsOf } from '../../local/runtime/read-tables';

/** The user's current session, read from the state item that holds it. */
export async function latestSession(client: DynamoDBClient, table: string, userId: string): Promise<Session | undefined> {
  const out = await DynamoDBDocumentClient.from(client).send(
    new GetCommand({ TableName: table, Key: { userId, sk: STATE_SORT_KEY }, ConsistentRead: true }),
  );
  return out.Item ? decodeState(out.Item).currentSession : undefined;
}

/** The user's sessions, newest first, with one Query (up to `limit`): the current session, then the closed ones. */
export async function recentSessions(client: DynamoDBClient, table: string, userId: string, limit = 20): Promise<Session[]> {
  const out = await DynamoDBDocumentClient.from(client).send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'userId = :u',
      ExpressionAttributeValues: { ':u': userId },
      ScanIndexForward: false,
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).flatMap(sessionsOf);
}
