/**
 * Keys and attributes of the session-processor's two tables, as data: the DynamoDB adapter, the stack and
 * the local runtime all read them from here.
 *
 * Sessions table (partition `userId`, sort `sk`):
 * - `sk = STATE`: the user's processing state (per-shard watermarks, recent fingerprints) and the current
 *   session: the latest session of a user is one GetItem.
 * - `sk = SESSION#<ISO start time>`: one item per closed session, written once when the next session starts.
 *   `STATE` sorts after every `SESSION#` key, so a descending Query of the partition returns the current
 *   session first, then the closed ones, newest first.
 * Metrics table (partition `windowStart`, sort `shardId`): one item per window per shard, so that every
 * shard writes its own item (no hot key) and a window is read with one query; and the pending-metrics
 * markers, under the partition {@link PENDING_PARTITION}.
 */
export const SESSIONS_TABLE_KEYS = { partitionKey: 'userId', sortKey: 'sk' } as const;
export const METRICS_TABLE_KEYS = { partitionKey: 'windowStart', sortKey: 'shardId' } as const;

/** Attribute holding the expiry time (epoch seconds) that DynamoDB TTL reads. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const STATE_SORT_KEY = 'STATE';
export const SESSION_SORT_PREFIX = 'SESSION#';

/** Sort key of a session item. */
export function sessionSortKey(startMs: number): string {
  return `${SESSION_SORT_PREFIX}${new Date(startMs).toISOString()}`;
}

/**
 * Pending-metrics markers live in the metrics table under this partition: `shardId` is `<shard>#<first
 * sequence number of the batch>`, and `fingerprints` the events the batch counted in the metrics before its
 * users were written. Readers of the windows skip this partition ({@link isPendingMarker}).
 */
export const PENDING_PARTITION = 'PENDING';

/** True for a metrics-table item that is a pending-metrics marker, not a window. */
export function isPendingMarker(item: Readonly<Record<string, unknown>>): boolean {
  return item[METRICS_TABLE_KEYS.partitionKey] === PENDING_PARTITION;
}
