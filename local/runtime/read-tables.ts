/**
 * Reading what the session-processor wrote, for export and reports: every session (closed, and current in
 * its user's state item) and every window, through the document client and the functions' item codec.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { decodeSession, decodeState, decodeWindow, isSessionItem } from '../../functions/session-processor/item-codec';
import type { Item } from '../../functions/session-processor/item-codec';
import type { Session, WindowMetrics } from '../../functions/session-processor/model';
import { STATE_SORT_KEY, isPendingMarker } from '../../functions/session-processor/table-schema';
import { counts } from '../../functions/session-processor/window-metrics';

/** The sessions an item of the sessions table holds: a closed session, or a state's current session. */
export function sessionsOf(item: Item): Session[] {
  if (isSessionItem(item)) return [decodeSession(item)];
  if (item['sk'] === STATE_SORT_KEY) {
    const current = decodeState(item).currentSession;
    return current ? [current] : [];
  }
  return [];
}

/**
 * Every session, closed and current, sorted by user then start time. While a user's write is being retried,
 * a session can be both closed (its item written) and still current in the older state: the item wins.
 */
export async function allSessions(client: DynamoDBClient, table: string): Promise<Session[]> {
  const byKey = new Map<string, Session>();
  for await (const item of scan(client, table)) {
    const closed = isSessionItem(item);
    for (const s of sessionsOf(item)) {
      const key = `${s.userId}\u0000${s.startMs}`;
      if (closed || !byKey.has(key)) byKey.set(key, s);
    }
  }
  const sessions = [...byKey.values()];
  return sessions.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : a.startMs - b.startMs));
}

/** Every window, its shards' items summed (users are disjoint across shards when the partition key is the user). */
export async function allWindows(client: DynamoDBClient, table: string): Promise<WindowMetrics[]> {
  const byWindow = new Map<number, WindowMetrics>();
  for await (const item of scan(client, table)) {
    if (isPendingMarker(item)) continue;
    const w = decodeWindow(item);
    const sum = byWindow.get(w.windowStartMs);
    byWindow.set(w.windowStartMs, sum ? addWindows(sum, w) : { ...w, shardId: '*', watermark: undefined });
  }
  return [...byWindow.values()].sort((a, b) => a.windowStartMs - b.windowStartMs);
}

function addWindows(a: WindowMetrics, b: WindowMetrics): WindowMetrics {
  return {
    ...a,
    events: a.events + b.events,
    eventsByType: addCounts(a.eventsByType, b.eventsByType),
    pageViews: a.pageViews + b.pageViews,
    pageViewsByPage: addCounts(a.pageViewsByPage, b.pageViewsByPage),
    conversions: a.conversions + b.conversions,
    revenueMicros: a.revenueMicros + b.revenueMicros,
    sessionsStarted: a.sessionsStarted + b.sessionsStarted,
    activeUsers: a.activeUsers + b.activeUsers,
    duplicates: a.duplicates + b.duplicates,
    lateEvents: a.lateEvents + b.lateEvents,
    alreadyCounted: a.alreadyCounted + b.alreadyCounted,
    refused: a.refused + b.refused,
    refusedByReason: addCounts(a.refusedByReason, b.refusedByReason),
  };
}

function addCounts(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const out = counts(a);
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/**
 * Every item of the table. A Scan answers at most 1 MB a request; while it returns a LastEvaluatedKey the next
 * request starts there (ExclusiveStartKey), and only a missing one means the table was read to its end (Scan,
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html).
 */
async function* scan(client: DynamoDBClient, table: string): AsyncGenerator<Item> {
  const documents = DynamoDBDocumentClient.from(client);
  let start: Item | undefined;
  do {
    const out = await documents.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    yield* out.Items ?? [];
    start = out.LastEvaluatedKey;
  } while (start);
}
