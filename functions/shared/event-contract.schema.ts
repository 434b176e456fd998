/**
 * The producer event contract's schema, declared once, with arktype. Both Lambdas validate against it,
 * producers are documented from it (README "Event contract"), and the archive schema is derived from the
 * validated event. Its bounds and types live in `event-contract.ts`, which does not load arktype.
 */
import { type } from 'arktype';
import { EVENT_TYPES, LIMITS } from './event-contract';

const optionalText = (max: number) => `string <= ${max} | null` as const;

/**
 * The producer event. Required: `userId`, `eventType`, `timestamp`, `url`. Everything else is optional;
 * `null` counts as absent. Unknown top-level fields are refused: custom data belongs in `properties`.
 *
 * Clock skew: `timestamp` is the producer's clock when the event happened, `sentAt` the producer's clock when
 * it sent the event and `receivedAt` the collector's clock when it received it (the collector sets it). With
 * both, the event time is `receivedAt − (sentAt − timestamp)` (Snowplow's `derived_tstamp`): the time the
 * event waited on the device, measured on one clock, taken from the collector's. `eventId` is an id the
 * producer gives each event, so that a retried send counts once although the collector's fields differ.
 */
export const producerEvent = type({
  '+': 'reject',
  userId: `0 < string <= ${LIMITS.userId}`,
  'sessionId?': optionalText(LIMITS.sessionId),
  'eventName?': optionalText(LIMITS.eventName),
  eventType: type.enumerated(...EVENT_TYPES),
  timestamp: `number | string <= ${LIMITS.timestampText}`,
  url: `0 < string <= ${LIMITS.url}`,
  'referrer?': optionalText(LIMITS.referrer),
  'userAgent?': optionalText(LIMITS.userAgent),
  'ip?': optionalText(LIMITS.ip),
  'properties?': 'object | null',
  'eventId?': optionalText(LIMITS.eventId),
  'sentAt?': `number | string <= ${LIMITS.timestampText} | null`,
  'receivedAt?': `number | string <= ${LIMITS.timestampText} | null`,
});
