/** The ES-module entry (`tracker.mjs`): call `init({ collector })` once, then the same API as the script tag. */
export { consent, dropped, flush, identify, init, page, track } from './api';
export type { EventType } from './api';
export type { StorageMode, TrackerConfig } from './config';
