/**
 * The collector's HTTP contract, shared by the API in AWS, the local collector and the browser tracker.
 * Constants and types only: the tracker bundles this file, so it imports nothing.
 */

/** The one route: `POST /collect`. */
export const COLLECT_PATH = '/collect';

/** Events in one request: PutRecords takes at most 500 records per call. */
export const MAX_EVENTS_PER_REQUEST = 500;

/**
 * Bytes of one request body: API Gateway's REST API payload quota (10 MB, not adjustable). Kinesis adds its
 * own: 5 MB per PutRecords call and 1 MB per record, answered as a refused request.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Bytes of one event as a client sends it: the event contract's 32 KiB record, less 4 KiB for what the collector
 * adds (`ip`, a User-Agent of up to 1,024 characters escaped, `receivedAt`, `sentAt`). A test checks the sum
 * against the contract. The tracker drops (and counts) a larger event rather than send one to be refused.
 */
export const MAX_EVENT_BYTES = 28 * 1024;

/**
 * Content types the collector maps, each body read as JSON: `navigator.sendBeacon` sends
 * `text/plain;charset=UTF-8`, which needs no CORS preflight; `curl --data` sends
 * `application/x-www-form-urlencoded` unless told otherwise.
 */
export const COLLECT_CONTENT_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded'] as const;

/** Event fields the collector sets from the request, replacing what the body says: a client cannot be trusted with them. */
export const SERVER_OWNED_FIELDS = ['ip', 'userAgent', 'receivedAt'] as const;

/** A batch as the tracker sends it. One event alone (no `events` field) is also accepted. */
export interface CollectBatch {
  /** The device's clock when the batch was sent, epoch milliseconds; copied into every event for clock-skew correction. */
  readonly sentAt?: number;
  readonly events: readonly Record<string, unknown>[];
}

/** The answer to an accepted request (status 200). */
export interface CollectAccepted {
  /** Events Kinesis took. */
  readonly accepted: number;
  /** Events Kinesis refused (throttled or failed); the client sends these again. */
  readonly failed: number;
  /** Positions in the request's `events` of the failed ones. */
  readonly failedIndexes: readonly number[];
}

/** The answer to a refused request (4xx or 5xx). */
export interface CollectRefused {
  readonly message: string;
}
