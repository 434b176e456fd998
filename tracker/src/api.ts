/** The public API. Every entry point is guarded: the host page never sees an exception from the tracker. */
import { COLLECT_PATH } from '../../collector/protocol';
import { pageView, startAutoTracking } from './auto';
import type { TrackerConfig } from './config';
import { EVENT_TYPES } from './event-types';
import type { EventType } from './event-types';
import { guard } from './guard';
import { forgetUser, setUserId } from './identity';
import { mayCollect, setConsent, startPrivacy } from './privacy';
import { clearQueue, enqueue, flush as flushQueue } from './queue';
import { forgetSession } from './session';
import { setStorage } from './storage';
import { droppedEvents, setCollector } from './transport';

let started = false;

/** Starts the tracker once: settings, privacy, listeners, and the first page view. */
export const init = guard((config: TrackerConfig = {}): void => {
  if (started) return;
  started = true;
  setCollector(config.collector || COLLECT_PATH);
  setStorage(config.storage);
  startPrivacy(!!config.requireConsent);
  // Events recorded before start under Global Privacy Control are forgotten.
  if (!mayCollect()) clearQueue();
  // The page may not come back: what is queued or waiting leaves by beacon.
  addEventListener(
    'pagehide',
    guard(() => flushQueue(true)),
  );
  document.addEventListener(
    'visibilitychange',
    guard(() => document.visibilityState == 'hidden' && flushQueue(true)),
  );
  startAutoTracking();
});

/** Records an event, e.g. `track('conversion', { revenue: 42.5, currency: 'EUR' })`; an unknown event type is ignored. */
export const track = guard((eventType: EventType, properties?: object, eventName?: string): void => {
  if (EVENT_TYPES.includes(eventType)) enqueue(eventType, properties, eventName);
});

/** Records a page view of the current URL (page views on load and on navigation are recorded already). */
export const page = guard(pageView);

/** Replaces the anonymous id with the site's own user id (1 to 256 characters) from the next event sent. */
export const identify = guard((userId: string): void => {
  if (typeof userId == 'string' && userId && userId.length <= 256) setUserId(userId);
});

/** The visitor's answer: `true` sends what waited and what follows; anything else forgets the queue and the stored ids. */
export const consent = guard((granted: boolean): void => {
  granted = granted === true;
  setConsent(granted);
  if (granted) flushQueue();
  else {
    clearQueue();
    forgetUser();
    forgetSession();
  }
});

/** Sends the queued events now. */
export const flush = guard((): void => flushQueue());

/** How many events the tracker gave up: refused by the collector, or failed on every attempt. */
export const dropped = guard(droppedEvents);
