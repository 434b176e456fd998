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
  /** Items written and keys read, to give the units one item costs. */
  itemsWritten: number;
  keysRead: number;
  /** Capacity units by operation. */
  readonly unitsByOperation: Record<string, number>;
}

export function newCounts(): RequestCounts {
  return { requests: {}, writeUnits: 0, readUnits: 0, itemsWritten: 0, keysRead: 0, unitsByOperation: {} };
}

type BatchInput = { RequestItems?: Record<string, unknown[] | { Keys?: unknown[] }> };

const WRITES = new Set(['PutItemCommand', 'BatchWriteItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

/** Counts every request of a DynamoDB client, and its consumed capacity. */
export function countDynamoDb(client: DynamoDBClient, counts: RequestCounts): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      counts.requests[name] = (counts.requests[name] ?? 0) + 1;
      const items = Object.values((args.input as BatchInput).RequestItems ?? {});
      if (name === 'BatchWriteItemCommand') counts.itemsWritten += items.reduce((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);
      else if (name === 'BatchGetItemCommand')
        counts.keysRead += items.reduce((n, v) => n + (Array.isArray(v) ? 0 : (v.Keys?.length ?? 0)), 0);
      else if (WRITES.has(name)) counts.itemsWritten += 1;
      else counts.keysRead += 1;
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
      const units = [consumed ?? []].flat().reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
      counts.unitsByOperation[name] = (counts.unitsByOperation[name] ?? 0) + units;
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
