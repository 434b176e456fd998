/** The ES-module entry (`tracker.mjs`): call `init({ collector })` once, then the same API as the script tag. */
export { consent, dropped, flush, identify, init, page, track } from './api';
export { EVENT_TYPES } from './event-types';
export type { EventType } from './event-types';
export type { StorageMode, TrackerConfig } from './config';
