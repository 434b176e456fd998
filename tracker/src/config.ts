/**
 * The tracker's settings (from the script tag's `data-*` attributes or `init()`) and its fixed limits, each
 * with its reason.
 */
import { COLLECT_PATH } from '../../collector/protocol';

/** Where the anonymous id and the session id are kept; `none` keeps nothing (cookieless). */
export type StorageMode = 'cookie' | 'localStorage' | 'none';

/** What a site may set. */
export interface TrackerConfig {
  /** URL of the collector's `POST /collect`. @default `/collect` beside the script (script tag) or on the page's origin (module) */
  readonly collector?: string;
  /** @default 'cookie' */
  readonly storage?: StorageMode;
  /** Send and store nothing until the site calls `consent(true)`. @default false */
  readonly requireConsent?: boolean;
}

/** Events queued before a request leaves at once: a burst of clicks goes in one request. */
export const BATCH_EVENTS = 10;
/** Quiet time after the last event before the queue is sent. */
export const IDLE_MS = 1000;
/** Bytes of one request body: `sendBeacon` and `keepalive` fetch share a 64 KiB budget per page. */
export const MAX_BODY_BYTES = 60_000;
/** Sends of one batch before it is dropped (and counted): retries after about 1, 2, 4 and 8 s, so about 15 s in all. */
export const MAX_ATTEMPTS = 5;
/** First retry delay; it doubles with each attempt, and each delay is drawn between half and all of it. */
export const BACKOFF_MS = 1000;
/** A session ends after 30 minutes without an event, as the session path counts it. */
export const SESSION_MS = 30 * 60_000;
/** The anonymous id's cookie lives a year from the last event. */
export const ID_MAX_AGE_S = 365 * 24 * 3600;
/** Names of the stored ids (first-party cookie or localStorage key). */
export const ID_KEY = '_cs_id';
export const SESSION_KEY = '_cs_sid';
/** Bounds of the event contract that the tracker's own values could pass. */
export const URL_CHARS = 4096;
export const PROPERTY_CHARS = 2048;
export const EVENT_NAME_CHARS = 128;
export const LINK_TEXT_CHARS = 100;

/** The settings a script tag's `data-collector`, `data-storage` and `data-require-consent` give. */
export function configFromScript(script: HTMLScriptElement | null): TrackerConfig {
  const data = script ? script.dataset : {};
  return {
    collector: data.collector || (script && script.src ? new URL(COLLECT_PATH, script.src).href : COLLECT_PATH),
    storage: data.storage as StorageMode,
    // Present without a value (`data-require-consent`) counts as true: a mistake here should err towards privacy.
    requireConsent: data.requireConsent != undefined && data.requireConsent != 'false',
  };
}
