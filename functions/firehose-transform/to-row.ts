/** A validated event and its enrichments as one flat archive row, with its partition keys. */
import type { ClickEvent } from '../shared/event-contract';
import { urlParts } from '../shared/traffic/url-parts';
import type { BotCategory } from './enrich/bots';
import { eventTraffic } from './enrich/event-traffic';
import { ipColumns } from './enrich/ip';
import type { IpMode } from './enrich/ip';
import type { UserAgentCache } from './enrich/user-agent';

export interface RowSettings {
  readonly ipMode: IpMode;
  readonly internalHosts: ReadonlySet<string>;
  /** Substrings of the site's own apps' user agents, never bots (OWN_APP_USER_AGENTS). */
  readonly ownAppUserAgents: readonly string[];
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** `00` to `99`. */
const TWO = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : String(n)));
/**
 * The text of each hour formatted so far (`2026-11-27 05:`), by hour since the epoch: a row's event time and
 * arrival often fall on different days, so one remembered day would be rebuilt through `Date` at every call.
 */
const hourTexts = new Map<number, string>();
const HOUR_TEXTS_MAX = 1000;
/** `mm:ss` of each second of an hour and `.SSS` of each millisecond, made on first use (sized at once: kept dense). */
const minuteSeconds = new Array<string | undefined>(3600);
const millisTexts = new Array<string | undefined>(1000);

/**
 * UTC `yyyy-MM-dd HH:mm:ss.SSS`: read as a timestamp by Athena's JSON SerDe, Firehose's Parquet conversion and
 * DuckDB. Each row has three; they are joined from remembered pieces rather than built through `Date` (a tenth
 * of the transform's time when they were) or digit by digit.
 */
export function archiveTimestamp(ms: number): string {
  const hour = Math.floor(ms / HOUR_MS);
  const t = ms - hour * HOUR_MS;
  const second = Math.floor(t / 1000);
  const millis = Math.floor(t - second * 1000);
  return (
    hourText(hour) +
    (minuteSeconds[second] ??= `${TWO[Math.floor(second / 60)]}:${TWO[second % 60]}`) +
    (millisTexts[millis] ??= `.${String(millis).padStart(3, '0')}`)
  );
}

function hourText(hour: number): string {
  let text = hourTexts.get(hour);
  if (text === undefined) {
    const day = Math.floor(hour / 24);
    text = `${new Date(day * DAY_MS).toISOString().slice(0, 10)} ${TWO[hour - day * 24]}:`;
    if (hourTexts.size >= HOUR_TEXTS_MAX) hourTexts.clear();
    hourTexts.set(hour, text);
  }
  return text;
}

/** Event-time partition keys, UTC, from a row's `event_time`. */
export function partitionKeys(eventTime: string): { dt: string; hour: string } {
  return { dt: eventTime.slice(0, 10), hour: eventTime.slice(11, 13) };
}

/** A row as the transform writes it: its JSON text, and what the batch decides by. */
export interface RowText {
  /** One JSON object, the columns in the order of ARCHIVE_COLUMNS (shared/archive-schema.ts). */
  readonly json: string;
  readonly eventTime: string;
  readonly botCategory: BotCategory | null;
}

/**
 * The archive row of a validated event, as JSON text. The columns that follow from a value which repeats (the
 * page and referrer, the user agent, the address) come as text made once per value (`columns` of each); only
 * the event's own values are serialised here. Serialising the whole row (`JSON.stringify` of 40 members) was
 * the largest part of the transform's time. The key order, and that each value is written as sent, are held by
 * test/unit/firehose-transform/transform.property.test.ts.
 */
export function toRow(e: ClickEvent, agents: UserAgentCache, s: RowSettings): RowText {
  const page = urlParts(e.url);
  const traffic = eventTraffic(page, e.referrer, s.internalHosts);
  const ua = agents.lookup(e.userAgent, s.ownAppUserAgents);
  const revenue = e.eventType === 'conversion' ? e.properties?.['revenue'] : undefined;
  const eventTime = archiveTimestamp(e.timestampMs);
  // Without a clock-skew correction the device's time is the event time: its text is made once.
  const deviceTime = e.deviceTimestampMs === e.timestampMs ? eventTime : archiveTimestamp(e.deviceTimestampMs);
  // event_id is hex, the times digits and punctuation, event_type one of the contract's names: none needs escaping.
  const json =
    `{"event_id":"${e.eventId}","event_time":"${eventTime}","received_at":"${archiveTimestamp(e.receivedAtMs)}",` +
    `"device_time":"${deviceTime}","user_id":${JSON.stringify(e.userId)},` +
    `"client_session_id":${e.clientSessionId === undefined ? 'null' : JSON.stringify(e.clientSessionId)},` +
    `"event_name":${JSON.stringify(e.eventName)},"event_type":"${e.eventType}"` +
    traffic.columns +
    ua.columns +
    ipColumns(e.ip, s.ipMode) +
    `,"revenue":${typeof revenue === 'number' && Number.isFinite(revenue) ? JSON.stringify(revenue) : 'null'}` +
    `,"properties":${e.properties === undefined ? 'null' : JSON.stringify(JSON.stringify(e.properties))}}`;
  return { json, eventTime, botCategory: ua.botCategory };
}
