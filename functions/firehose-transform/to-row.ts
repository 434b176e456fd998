/** A validated event and its enrichments as one flat archive row, with its partition keys. */
import type { ArchiveRow } from '../shared/archive-schema';
import type { ClickEvent } from '../shared/event-contract';
import { archiveIp } from './enrich/ip';
import type { IpMode } from './enrich/ip';
import { classifyTraffic } from './enrich/traffic-source';
import { hostOf, urlParts } from './enrich/url-parts';
import type { UserAgentCache } from './enrich/user-agent';

export interface RowSettings {
  readonly ipMode: IpMode;
  readonly internalHosts: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;
/** The date part of the last day formatted: a batch's events fall on a day or two, so it is built once per day. */
let lastDay = Number.NaN;
let lastDate = '';

/**
 * UTC `yyyy-MM-dd HH:mm:ss.SSS`: read as a timestamp by Athena's JSON SerDe, Firehose's Parquet conversion and
 * DuckDB. Each row has three; the time of day is written from integers rather than through `Date` (a tenth of
 * the transform's time when it did), the date part once per day.
 */
export function archiveTimestamp(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDay = day;
    lastDate = new Date(day * DAY_MS).toISOString().slice(0, 10);
  }
  let t = ms - day * DAY_MS;
  const hours = Math.floor(t / 3_600_000);
  t -= hours * 3_600_000;
  const minutes = Math.floor(t / 60_000);
  t -= minutes * 60_000;
  const seconds = Math.floor(t / 1000);
  const millis = Math.floor(t - seconds * 1000);
  return `${lastDate} ${two(hours)}:${two(minutes)}:${two(seconds)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Event-time partition keys, UTC, from a row's `event_time`. */
export function partitionKeys(eventTime: string): { dt: string; hour: string } {
  return { dt: eventTime.slice(0, 10), hour: eventTime.slice(11, 13) };
}

export function toRow(e: ClickEvent, agents: UserAgentCache, s: RowSettings): ArchiveRow {
  const page = urlParts(e.url);
  const referrerHost = hostOf(e.referrer);
  const traffic = classifyTraffic(page, referrerHost, s.internalHosts);
  const ua = agents.lookup(e.userAgent);
  const revenue = e.eventType === 'conversion' ? e.properties?.['revenue'] : undefined;
  return {
    event_id: e.eventId,
    event_time: archiveTimestamp(e.timestampMs),
    received_at: archiveTimestamp(e.receivedAtMs),
    device_time: archiveTimestamp(e.deviceTimestampMs),
    user_id: e.userId,
    client_session_id: e.clientSessionId ?? null,
    event_name: e.eventName,
    event_type: e.eventType,
    page_url: e.url,
    page_host: page.host,
    page_path: page.path,
    page_query: page.query,
    utm_source: page.utmSource,
    utm_medium: page.utmMedium,
    utm_campaign: page.utmCampaign,
    utm_term: page.utmTerm,
    utm_content: page.utmContent,
    gclid: page.gclid,
    fbclid: page.fbclid,
    referrer: e.referrer ?? null,
    referrer_host: referrerHost,
    traffic_channel: traffic.channel,
    traffic_source: traffic.source,
    ua_browser: ua.browser,
    ua_browser_version: ua.browserVersion,
    ua_os: ua.os,
    ua_os_version: ua.osVersion,
    ua_device_type: ua.deviceType,
    ua_device_vendor: ua.deviceVendor,
    ua_device_model: ua.deviceModel,
    is_bot: ua.isBot,
    ip: archiveIp(e.ip, s.ipMode),
    revenue: typeof revenue === 'number' && Number.isFinite(revenue) ? revenue : null,
    properties: e.properties === undefined ? null : JSON.stringify(e.properties),
  };
}
