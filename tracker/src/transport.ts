/**
 * Sending batches to `POST /collect`: `fetch` with `keepalive`, or `sendBeacon` when the page goes away.
 * The body is text/plain, so a cross-origin send needs no CORS preflight. Retries keep each event's id, so
 * the pipeline counts a retried event once.
 */
import type { CollectAccepted, CollectBatch } from '../../collector/protocol';
import { BACKOFF_MS, MAX_ATTEMPTS, MAX_BODY_BYTES } from './config';
import { guard } from './guard';

/** An event as the tracker sends it. */
export type TrackedEvent = Record<string, unknown>;

let url = '';
let dropped = 0;
/** Bytes of the keepalive requests in flight. */
let keptAlive = 0;
/**
 * Set once the collector answered this page unreadably: it sends no CORS header for the page's origin (the
 * stack's `collectorAllowedOrigins` lacks it). Later sends go blind (`no-cors`), as beacons do.
 */
let blind = false;
/** Batches waiting to be sent again, with their timers, so that a leaving page can send them at once. */
const waiting: [TrackedEvent[], number, ReturnType<typeof setTimeout>][] = [];

/** Sets the collector's URL. */
export function setCollector(collector: string): void {
  url = collector;
}

/** Events given up: refused by the collector, or failed on every attempt. */
export function droppedEvents(): number {
  return dropped;
}

/** Counts `count` events given up. */
export function drop(count: number): void {
  dropped += count;
}

/**
 * Sends `events`, attempt `attempt` (from 1). 200: the events the collector reports failed are sent again;
 * 429, 5xx or no answer: the whole batch again, later; any other answer refuses the request for good.
 */
export function send(events: TrackedEvent[], attempt: number, beacon?: boolean): void {
  const body = JSON.stringify({ sentAt: Date.now(), events } satisfies CollectBatch);
  if (beacon && navigator.sendBeacon && navigator.sendBeacon(url, body)) return;
  // Keepalive requests in flight share 64 KiB; beyond that the browser refuses them, so the rest go without.
  const bytes = new Blob([body]).size;
  const keepalive = keptAlive + bytes <= MAX_BODY_BYTES;
  if (keepalive) keptAlive += bytes;
  const init: RequestInit = { method: 'POST', body, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } };
  fetch(url, { ...init, keepalive, mode: blind ? 'no-cors' : 'cors' })
    .finally(() => {
      if (keepalive) keptAlive -= bytes;
    })
    .then((res) =>
      blind
        ? undefined
        : res.ok
          ? res.json().then(
              (a: CollectAccepted) =>
                a.failed > 0 &&
                later(
                  a.failedIndexes.map((i) => events[i]!),
                  attempt,
                ),
            )
          : res.status == 429 || res.status > 499
            ? later(events, attempt)
            : drop(events.length),
    )
    // No answer, or one the page may not read. A blind send that arrives tells which: then the collector allows
    // no reading from this origin, and the batch went through (the collector counts each eventId once).
    .catch(() =>
      blind
        ? later(events, attempt)
        : fetch(url, { ...init, mode: 'no-cors' }).then(
            () => {
              blind = true;
            },
            () => later(events, attempt),
          ),
    );
}

/** Sends `events` again after an exponential, jittered delay, or drops them after the last attempt. */
function later(events: TrackedEvent[], attempt: number): void {
  if (attempt >= MAX_ATTEMPTS) return drop(events.length);
  const entry: (typeof waiting)[number] = [
    events,
    attempt + 1,
    setTimeout(
      guard(() => {
        waiting.splice(waiting.indexOf(entry), 1);
        send(events, attempt + 1);
      }),
      BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random() / 2),
    ),
  ];
  waiting.push(entry);
}

/** Sends every waiting batch now (the page is going away), or forgets them all (consent withdrawn). */
export function settleWaiting(sendNow: boolean): void {
  for (const [events, attempt, timer] of waiting.splice(0)) {
    clearTimeout(timer);
    if (sendNow) send(events, attempt, true);
  }
}
