/**
 * The event types of the pipeline's event contract (`functions/shared/event-contract.ts`, which the tracker
 * does not import: it imports only the collector's protocol, so that its bundle holds no contract code). A unit
 * test holds this list equal to the contract's.
 */
export const EVENT_TYPES = ['page_view', 'click', 'conversion', 'form_submit', 'video_play', 'scroll'] as const;

/** One of {@link EVENT_TYPES}. */
export type EventType = (typeof EVENT_TYPES)[number];
