/**
 * An event's traffic columns (referrer host, click id, GA4 channel, source, medium, campaign), remembered by
 * landing URL and referrer: they depend on nothing else but the site's internal hosts, and both repeat from event
 * to event as user agents do (a session's later pages have the previous page as referrer). Classifying each event
 * afresh cost a fifth of the transform's throughput.
 */
import { classifyChannel } from '../../shared/traffic/channel-group';
import type { ChannelClassification } from '../../shared/traffic/channel-group';
import { withReferrer } from '../../shared/traffic/click-ids';
import type { ClickId } from '../../shared/traffic/click-ids';
import { hostOf } from '../../shared/traffic/url-parts';
import { jsonMembers } from './json-members';
import type { UrlParts } from '../../shared/traffic/url-parts';

export interface EventTraffic {
  readonly referrerHost: string | null;
  readonly click: ClickId | null;
  readonly traffic: ChannelClassification;
  /** The columns `page_url` to `traffic_internal` as JSON members, each after a comma. */
  readonly columns: string;
}

/**
 * By internal hosts, then by the URL's cached parts (the URL is not hashed again), then by the referrer as sent.
 * Entries of a URL go when urlParts' bounded cache drops it; each URL keeps at most 256 referrers, then starts again.
 */
const cache = new WeakMap<ReadonlySet<string>, WeakMap<UrlParts, Map<string | undefined, EventTraffic>>>();
const REFERRERS_PER_URL_MAX = 256;

/** The traffic columns of an event on `page` (from `urlParts`) with `referrer` as sent. */
export function eventTraffic(page: UrlParts, referrer: string | undefined, internalHosts: ReadonlySet<string>): EventTraffic {
  let byPage = cache.get(internalHosts);
  if (byPage === undefined) cache.set(internalHosts, (byPage = new WeakMap()));
  let byReferrer = byPage.get(page);
  if (byReferrer === undefined) byPage.set(page, (byReferrer = new Map<string | undefined, EventTraffic>()));
  let found = byReferrer.get(referrer);
  if (found === undefined) {
    found = classify(page, referrer, internalHosts);
    if (byReferrer.size >= REFERRERS_PER_URL_MAX) byReferrer.clear();
    byReferrer.set(referrer, found);
  }
  return found;
}

function classify(page: UrlParts, referrer: string | undefined, internalHosts: ReadonlySet<string>): EventTraffic {
  const referrerHost = hostOf(referrer);
  // The URL's click id comes with its cached parts; only a yclid's network depends on the referrer.
  const click = withReferrer(page.click, referrerHost);
  const input = { pageHost: page.host, utmSource: page.utmSource, utmMedium: page.utmMedium, utmCampaign: page.utmCampaign };
  const traffic = classifyChannel({ ...input, click, referrer: referrer ?? null }, internalHosts);
  const columns = jsonMembers({
    page_url: page.url,
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
    referrer: referrer ?? null,
    referrer_host: referrerHost,
    traffic_channel: traffic.channel,
    traffic_source: traffic.source,
    traffic_medium: traffic.medium,
    traffic_campaign: traffic.campaign,
    traffic_internal: traffic.internal,
  });
  return { referrerHost, click, traffic, columns };
}
