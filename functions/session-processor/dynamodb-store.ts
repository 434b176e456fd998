/**
 * The DynamoDB adapter of {@link SessionStore}: batched reads, single-item writes issued together, errors
 * translated at the boundary.
 *
 * Writes are one PutItem per item, up to {@link WRITE_CONCURRENCY} in flight, rather than BatchWriteItem:
 * both cost one write unit per KB of each item ("Read/write capacity mode",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadWriteCapacityMode.html), and
 * a single-item write answers in single-digit milliseconds where a 25-item batch takes several times longer,
 * so a batch's writes finish in about the time of the slowest single write. The order that makes retries safe
 * is kept per user: a user's state is written once all their closed sessions are, without a barrier
 * waiting for every other user's sessions.
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchGetCommandInput } from '@aws-sdk/lib-dynamodb';
import { MetricsConflictError, RetryableStoreError, isRetryable } from './errors';
import { MARSHALL_OPTIONS, decodeState, decodeWindow, encodeSession, encodeState, encodeWindow } from './item-codec';
import type { Item, Lifetimes } from './item-codec';
import type { UserState, WindowMetrics } from './model';
import type { LoadedState, PendingMarker, SessionStore, UserWrite } from './ports';
import { METRICS_TABLE_KEYS, PENDING_PARTITION, STATE_SORT_KEY, TTL_ATTRIBUTE } from './table-schema';

type KeysAndAttributes = NonNullable<BatchGetCommandInput['RequestItems']>[string];

export interface DynamoSessionStoreOptions extends Lifetimes {
  readonly sessionsTable: string;
  readonly metricsTable: string;
  /** Defaults to a client from the environment's region and credentials. */
  readonly client?: DynamoDBClient;
  /** Rounds of resubmitting unprocessed keys before giving up on them. */
  readonly unprocessedRounds?: number;
}

/** DynamoDB's per-request limit of BatchGetItem. */
const BATCH_GET_MAX = 100;

/**
 * Requests in flight at once: the SDK's connection pool in Node keeps 50 sockets per host
 * (NodeHttpHandler's maxSockets default), and more would only queue.
 */
export const WRITE_CONCURRENCY = 50;

/** Counts what DynamoDB asked us to repeat, for the DynamoDBRetries metric. */
export interface StoreStats {
  retries: number;
}

export class DynamoSessionStore implements SessionStore {
  readonly stats: StoreStats = { retries: 0 };
  /** The document client over the given client: it shares that client's middleware (counters, faults). */
  private readonly client: DynamoDBDocumentClient;
  private readonly rounds: number;

  constructor(private readonly options: DynamoSessionStoreOptions) {
    this.client = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}), { marshallOptions: MARSHALL_OPTIONS });
    this.rounds = options.unprocessedRounds ?? 4;
  }

  async load(shardId: string, userIds: readonly string[], windowStarts: readonly number[]): Promise<LoadedState> {
    const { sessionsTable, metricsTable } = this.options;
    const keys: Array<[string, Item]> = [
      ...userIds.map((userId): [string, Item] => [sessionsTable, { userId, sk: STATE_SORT_KEY }]),
      ...windowStarts.map((start): [string, Item] => [metricsTable, { windowStart: new Date(start).toISOString(), shardId }]),
    ];
    const states = new Map<string, UserState>();
    const metrics = new Map<number, WindowMetrics>();
    const [found, pending] = await Promise.all([this.batchGet(keys), this.pendingMarkers()]);
    for (const [table, item] of found) {
      if (table === sessionsTable) {
        const state = decodeState(item);
        states.set(state.userId, state);
      } else {
        const w = decodeWindow(item);
        metrics.set(w.windowStartMs, w);
      }
    }
    return { states, metrics, pending };
  }

  async putPending(marker: PendingMarker, onlyIfPresent = false): Promise<void> {
    const expires = Math.floor(Date.now() / 1000) + this.options.metricsTtlDays * 86_400;
    try {
      const out = await this.client.send(
        new PutCommand({
          TableName: this.options.metricsTable,
          // 8 bytes an event, end to end: 30,000 events (a batch of KPL aggregates near Lambda's 6 MB) in 240 KB.
          Item: { ...pendingKey(marker), fingerprints: Buffer.from(marker.fingerprints.join(''), 'hex'), [TTL_ATTRIBUTE]: expires },
          ...(onlyIfPresent
            ? { ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeNames: { '#pk': METRICS_TABLE_KEYS.partitionKey } }
            : {}),
        }),
      );
      this.stats.retries += (out.$metadata?.attempts ?? 1) - 1;
    } catch (err) {
      if (onlyIfPresent && err instanceof ConditionalCheckFailedException) return;
      throw translate('PutItem', err);
    }
  }

  async deletePending(marker: PendingMarker): Promise<void> {
    try {
      await this.client.send(new DeleteCommand({ TableName: this.options.metricsTable, Key: pendingKey(marker) }));
    } catch (err) {
      throw translate('DeleteItem', err);
    }
  }

  /** Every marker: one partition, usually empty (a marker outlives its batch only while a user write keeps failing). */
  private async pendingMarkers(): Promise<PendingMarker[]> {
    const out: PendingMarker[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new QueryCommand({
            TableName: this.options.metricsTable,
            KeyConditionExpression: '#pk = :pending',
            ExpressionAttributeNames: { '#pk': METRICS_TABLE_KEYS.partitionKey },
            ExpressionAttributeValues: { ':pending': PENDING_PARTITION },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
      } catch (err) {
        throw translate('Query', err);
      }
      for (const item of page.Items ?? []) {
        const key = String(item[METRICS_TABLE_KEYS.sortKey]);
        const hash = key.lastIndexOf('#');
        const bytes: unknown = item['fingerprints'];
        const text = bytes instanceof Uint8Array ? Buffer.from(bytes).toString('hex') : '';
        const fingerprints: string[] = [];
        for (let i = 0; i + FINGERPRINT_CHARS <= text.length; i += FINGERPRINT_CHARS)
          fingerprints.push(text.slice(i, i + FINGERPRINT_CHARS));
        out.push({ shardId: key.slice(0, hash), firstSequenceNumber: key.slice(hash + 1), fingerprints });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async putMetrics(items: readonly WindowMetrics[], previous: ReadonlyMap<number, WindowMetrics>): Promise<void> {
    const results = await Promise.allSettled(items.map((item) => this.putWindow(item, previous.get(item.windowStartMs))));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Puts each user's closed sessions, then their state once all of them are written: a retry must find the
   * sessions of any state it reads. There is no barrier between users: a state is sent once its own sessions
   * are written and the requests queued before it have started, at most {@link WRITE_CONCURRENCY} in flight. Returns the users with a write that failed
   * for a reason a retry of the batch can fix; anything else is thrown once every write has ended.
   */
  async putUsers(writes: readonly UserWrite[]): Promise<{ failedUserIds: readonly string[] }> {
    const life = this.options;
    const failed = new Set<string>();
    const errors: unknown[] = [];
    const limit = limiter(WRITE_CONCURRENCY);
    const put = (userId: string, item: Item) => limit(() => this.putItem(userId, item, failed, errors));
    await Promise.all(
      writes.map(async (w) => {
        const userId = w.state.userId;
        try {
          const written = await Promise.all(w.sessions.map((session) => put(userId, encodeSession(session, life))));
          if (written.every(Boolean)) await put(userId, encodeState(w.state, life));
        } catch (err) {
          // An item that cannot be encoded: kept like any other error, so that no write is left running.
          errors.push(err);
        }
      }),
    );
    if (errors.length > 0) throw errors[0];
    return { failedUserIds: [...failed] };
  }

  private async putWindow(item: WindowMetrics, before: WindowMetrics | undefined): Promise<void> {
    const condition =
      before?.watermark === undefined
        ? { ConditionExpression: 'attribute_not_exists(#wm)', ExpressionAttributeNames: { '#wm': 'watermark' } }
        : {
            ConditionExpression: '#wm = :wm',
            ExpressionAttributeNames: { '#wm': 'watermark' },
            ExpressionAttributeValues: { ':wm': before.watermark.toString() },
          };
    try {
      const out = await this.client.send(
        new PutCommand({ TableName: this.options.metricsTable, Item: encodeWindow(item, this.options), ...condition }),
      );
      this.stats.retries += (out.$metadata?.attempts ?? 1) - 1;
    } catch (err) {
      const start = new Date(item.windowStartMs).toISOString();
      if (err instanceof ConditionalCheckFailedException) throw new MetricsConflictError(start, item.shardId, { cause: err });
      throw translate('PutItem', err);
    }
  }

  /** Reads keys of one or two tables, 100 per request, the requests at once, each resubmitting its unprocessed keys. */
  private async batchGet(keys: ReadonlyArray<[string, Item]>): Promise<Array<[string, Item]>> {
    const chunks: Array<ReadonlyArray<[string, Item]>> = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_MAX) chunks.push(keys.slice(i, i + BATCH_GET_MAX));
    const found = await settleAll(chunks, WRITE_CONCURRENCY, (chunk) => this.batchGetChunk(chunk));
    return found.flat();
  }

  private async batchGetChunk(keys: ReadonlyArray<[string, Item]>): Promise<Array<[string, Item]>> {
    const found: Array<[string, Item]> = [];
    let request: Record<string, KeysAndAttributes> | undefined = groupKeys(keys);
    for (let round = 0; request && Object.keys(request).length > 0; round += 1) {
      if (round > this.rounds) throw new RetryableStoreError('BatchGetItem', `keys still unprocessed after ${this.rounds} rounds`);
      if (round > 0) await backoff(round, this.stats);
      let out;
      try {
        out = await this.client.send(new BatchGetCommand({ RequestItems: request }));
      } catch (err) {
        throw translate('BatchGetItem', err);
      }
      this.stats.retries += (out.$metadata?.attempts ?? 1) - 1;
      for (const [table, items] of Object.entries(out.Responses ?? {})) for (const item of items) found.push([table, item]);
      request = out.UnprocessedKeys;
    }
    return found;
  }

  /**
   * Puts one item of the sessions table, retried by the SDK. Whether it was written; when not, its owner is in
   * `failed` (a reason a retry of the batch can fix) or the error in `errors`.
   */
  private async putItem(userId: string, item: Item, failed: Set<string>, errors: unknown[]): Promise<boolean> {
    try {
      const out = await this.client.send(new PutCommand({ TableName: this.options.sessionsTable, Item: item }));
      this.stats.retries += (out.$metadata?.attempts ?? 1) - 1;
      return true;
    } catch (err) {
      if (isRetryable(err)) failed.add(userId);
      else errors.push(translate('PutItem', err));
      return false;
    }
  }
}

/** Runs the functions given to it at most `n` at a time, the others waiting in order. */
function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (fn) => {
    // A waiter is handed the slot of the call that ends, so that no newcomer takes it in between.
    if (running < n) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/**
 * `fn` of every item, at most `limit` at a time, results in the items' order. Every call ends before it
 * returns; the first error, if any, is thrown then, so no request is left running behind a failed invocation.
 */
async function settleAll<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
  return out;
}

/** A session fingerprint is 8 bytes, 16 hex digits. */
const FINGERPRINT_CHARS = 16;

function pendingKey(marker: PendingMarker): Item {
  return {
    [METRICS_TABLE_KEYS.partitionKey]: PENDING_PARTITION,
    [METRICS_TABLE_KEYS.sortKey]: `${marker.shardId}#${marker.firstSequenceNumber}`,
  };
}

function groupKeys(keys: ReadonlyArray<[string, Item]>): Record<string, KeysAndAttributes> {
  const request: Record<string, KeysAndAttributes> = {};
  for (const [table, key] of keys) {
    // Strongly consistent: the next batch must see what the previous one wrote, or it would apply twice.
    const entry = (request[table] ??= { Keys: [], ConsistentRead: true });
    entry.Keys!.push(key);
  }
  return request;
}

async function backoff(round: number, stats: StoreStats): Promise<void> {
  stats.retries += 1;
  const ms = Math.min(1000, 25 * 2 ** round) * (0.5 + Math.random() / 2);
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Retryable SDK errors become {@link RetryableStoreError}; anything else is rethrown as it is. */
function translate(operation: string, err: unknown): unknown {
  if (isRetryable(err)) return new RetryableStoreError(operation, (err as Error).message, { cause: err });
  return err;
}
