/**
 * Counting what the pipeline asks of AWS, measured at the SDK: requests by operation, and for DynamoDB the
 * capacity units each request consumed (the middleware asks every request to return them).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';

export interface RequestCounts {
  readonly requests: Record<string, number>;
  writeUnits: number;
  readUnits: number;
}

export function newCounts(): RequestCounts {
  return { requests: {}, writeUnits: 0, readUnits: 0 };
}

const WRITES = new Set(['PutItemCommand', 'BatchWriteItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

/** Counts every request of a DynamoDB client, and its consumed capacity. */
export function countDynamoDb(client: DynamoDBClient, counts: RequestCounts): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      counts.requests[name] = (counts.requests[name] ?? 0) + 1;
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
      const units = [consumed ?? []].flat().reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
      if (WRITES.has(name)) counts.writeUnits += units;
      else counts.readUnits += units;
      return result;
    },
    { step: 'initialize', name: 'countRequests' },
  );
}

/** Counts every request of a Kinesis client. */
export function countKinesis(client: KinesisClient, counts: RequestCounts): void {
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = context.commandName ?? 'unknown';
      counts.requests[name] = (counts.requests[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
}
