/**
 * The producer event contract: its bounds, its types and the shape of a schema issue. The schema itself is
 * declared once, with arktype, in `event-contract.schema.ts`; this module only imports its type.
 */
import type { producerEvent } from './event-contract.schema';

/** The kinds of interaction a producer may report. */
export const EVENT_TYPES = ['page_view', 'click', 'conversion', 'form_submit', 'video_play', 'scroll'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Bounds on untrusted input. A record outside them is refused, never truncated, so that what is archived
 * is what the producer sent.
 */
export const LIMITS = {
  /** Bytes of one user record after base64 decoding and KPL de-aggregation. */
  recordBytes: 32 * 1024,
  userId: 256,
  sessionId: 256,
  eventName: 128,
  url: 4096,
  referrer: 4096,
  userAgent: 1024,
  /** Longest textual IPv6 form with an embedded IPv4 address. */
  ip: 45,
  /** A UUID is 36 characters; room for other id schemes. */
  eventId: 64,
  /** ISO-8601 with nanoseconds and an offset fits well within this. */
  timestampText: 40,
  /** Keys and array elements counted at every depth of `properties`. */
  propertyEntries: 64,
  /** `properties` itself is depth 1. */
  propertyDepth: 4,
  propertyKey: 128,
  propertyString: 2048,
  /**
   * Bound of `properties.revenue`. Sums are kept in millionths as numbers, exact up to 2^53 millionths
   * (about nine billion per session or window); beyond that they are rounded.
   */
  revenue: 1e9,
} as const;

/** Keys that could reach an object prototype if copied carelessly; refused anywhere in an event. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The event as a producer sends it, after schema validation. */
export type ProducerEvent = typeof producerEvent.infer;

/** One way a value breaks the schema, as arktype reports it: the first one becomes a record's refusal. */
export interface SchemaIssue {
  /** arktype's issue code: `required`, `domain`, `predicate`, `minLength`, `maxLength`, … */
  readonly code: string;
  readonly path: ReadonlyArray<PropertyKey>;
  /** arktype's description of what was expected, such as `a string or null` or `at most length 256`. */
  readonly expected?: string;
}

/** Custom event data: a plain JSON object within {@link LIMITS}. */
export type EventProperties = { readonly [key: string]: unknown };

/** A producer event that passed the contract, normalised; the input to both Lambdas' domain code. */
export interface ClickEvent {
  /** The producer's `userId`, or its keyed hash with `userIdMode` hash (functions/shared/pseudonym.ts). */
  readonly userId: string;
  /** The client's own session id, when it sent one. */
  readonly clientSessionId: string | undefined;
  /** Defaults to `eventType` when the producer sent none. */
  readonly eventName: string;
  readonly eventType: EventType;
  /** Event time, epoch milliseconds UTC: `timestamp`, corrected for the device's clock when it sent `sentAt`. */
  readonly timestampMs: number;
  /** The producer's own `timestamp`, epoch milliseconds; equal to `timestampMs` unless corrected. */
  readonly deviceTimestampMs: number;
  readonly url: string;
  readonly referrer: string | undefined;
  readonly userAgent: string | undefined;
  readonly ip: string | undefined;
  readonly properties: EventProperties | undefined;
  /**
   * Deterministic fingerprint (32 hex digits): of `userId` (as stored) and the producer's `eventId` when it sent
   * one, else of the payload's bytes (keyed with `userIdMode` hash). Equal for retries and redeliveries.
   */
  readonly eventId: string;
  /** When Kinesis accepted the record, epoch milliseconds. */
  readonly receivedAtMs: number;
}
