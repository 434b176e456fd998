/** A validated event and its enrichments as one flat archive row, with its partition keys. */
import type { ArchiveRow } from '../shared/archive-schema';
import type { ClickEvent } from '../shared/event-contract';
import { eventTraffic } from './enrich/event-traffic';
import { archiveIp } from './enrich/ip';
import type { IpMode } from './enrich/ip';
import { urlParts } from '../shared/traffic/url-parts';
import type { UserAgentCache } from './enrich/user-agent';

export interface RowSettings {
  readonly ipMode: IpMode;
  readonly internalHosts: ReadonlySet<string>;
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

export function toRow(e: ClickEvent, agents: UserAgentCache, s: RowSettings): ArchiveRow {
  const page = urlParts(e.url);
  const { referrerHost, click, traffic } = eventTraffic(page, e.referrer, s.internalHosts);
  const ua = agents.lookup(e.userAgent);
  const revenue = e.eventType === 'conversion' ? e.properties?.['revenue'] : undefined;
  const eventTime = archiveTimestamp(e.timestampMs);
  return {
    event_id: e.eventId,
    event_time: eventTime,
    received_at: archiveTimestamp(e.receivedAtMs),
    // Without a clock-skew correction the device's time is the event time: its text is made once.
    device_time: e.deviceTimestampMs === e.timestampMs ? eventTime : archiveTimestamp(e.deviceTimestampMs),
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
    click_id: click?.clickId ?? null,
    click_network: click?.clickNetwork ?? null,
    referrer: e.referrer ?? null,
    referrer_host: referrerHost,
    traffic_channel: traffic.channel,
    traffic_source: traffic.source,
    traffic_medium: traffic.medium,
    traffic_campaign: traffic.campaign,
    traffic_internal: traffic.internal,
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
