/**
 * The event queue: events are built here and wait until 10 are queued or 1 s passes without a new one, then
 * leave in batches that fit a request. Ids are stamped when an event first leaves, so that events collected
 * before consent carry no id until consent is given.
 */
import { MAX_EVENT_BYTES, MAX_EVENTS_PER_REQUEST } from '../../collector/protocol';
import { BATCH_EVENTS, EVENT_NAME_CHARS, IDLE_MS, MAX_BODY_BYTES, URL_CHARS } from './config';
import { guard } from './guard';
import { userId } from './identity';
import { mayCollect, maySend } from './privacy';
import { sessionId } from './session';
import type { TrackedEvent } from './transport';
import { drop, send, settleWaiting } from './transport';
import { uuid } from './uuid';

let queue: TrackedEvent[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

/** Queues an event of `eventType` now; `properties` are sent as given. */
export function enqueue(eventType: string, properties?: object, eventName?: string): void {
  if (!mayCollect()) return;
  // Waiting for consent, the queue is bounded; one request's worth is kept.
  if (queue.length >= MAX_EVENTS_PER_REQUEST) return drop(1);
  queue.push({
    eventId: uuid(),
    eventType,
    eventName: eventName ? eventName.slice(0, EVENT_NAME_CHARS) : undefined,
    timestamp: Date.now(),
    url: location.href.slice(0, URL_CHARS),
    referrer: document.referrer.slice(0, URL_CHARS) || null,
    properties: properties || {},
  });
  clearTimeout(timer);
  if (queue.length >= BATCH_EVENTS) flush();
  else timer = setTimeout(guard(flush), IDLE_MS);
}

/** Sends the queue (by beacon when the page is going away), if the tracker may send. */
export function flush(beacon?: boolean): void {
  clearTimeout(timer);
  if (!maySend()) return;
  if (beacon) settleWaiting(true);
  let batch: TrackedEvent[] = [];
  let bytes = 0;
  for (const event of queue.splice(0)) {
    if (!event.userId) {
      event.userId = userId();
      event.sessionId = sessionId(event.timestamp as number);
    }
    // UTF-8 bytes of the event and its comma; 40 more for the batch's own fields. An event too large for the
    // contract, or whose properties JSON cannot hold (a cycle, a BigInt), is dropped alone, not the batch.
    const size = guard(() => new Blob([JSON.stringify(event)]).size + 1)() || MAX_BODY_BYTES;
    if (size > MAX_EVENT_BYTES) {
      drop(1);
      continue;
    }
    if (bytes + size > MAX_BODY_BYTES - 40 || batch.length == MAX_EVENTS_PER_REQUEST) {
      send(batch, 1, beacon);
      batch = [];
      bytes = 0;
    }
    batch.push(event);
    bytes += size;
  }
  if (batch.length) send(batch, 1, beacon);
}

/** Forgets every queued and waiting event. */
export function clearQueue(): void {
  queue = [];
  settleWaiting(false);
}
