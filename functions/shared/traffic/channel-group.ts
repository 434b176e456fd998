/**
 * GA4's default channel group, rule for rule and in GA4's order ("[GA4] Default channel group",
 * https://support.google.com/analytics/answer/9756891), over a GA4-style source, medium and campaign derived from
 * the landing URL's UTM tags and click id and from the referrer. Pure: no I/O, no clock.
 */
import type { ClickId } from './click-ids';
import { referrerSource } from './referrer-source';
import { sourceCategory } from './source-category';
import type { SourceCategory } from './source-category';
import { hostOf } from './url-parts';

export { clickIdOf } from './click-ids';

/** GA4's 19 channels, in the order its rules are tried (Unassigned when none matches). */
export const CHANNELS = [
  'direct',
  'cross_network',
  'paid_shopping',
  'paid_search',
  'paid_social',
  'paid_video',
  'display',
  'paid_other',
  'organic_shopping',
  'organic_social',
  'organic_video',
  'organic_search',
  'referral',
  'email',
  'affiliates',
  'audio',
  'sms',
  'mobile_push_notifications',
  'unassigned',
] as const;

export type ChannelId = (typeof CHANNELS)[number];

/** What the rules read: GA4's session source, medium and campaign (lower case), and the source's category. */
export interface Traffic {
  readonly source: string;
  readonly medium: string;
  readonly campaign: string;
  readonly category: SourceCategory | undefined;
}

// The current table's definitions. The older one (2022 to early 2023) had no `retargeting` in the paid regex.
const PAID_MEDIUM = /^(.*cp.*|ppc|retargeting|paid.*)$/;
const SHOP_CAMPAIGN = /^(.*(([^a-df-z]|^)shop|shopping).*)$/;
const VIDEO_MEDIUM = /^(.*video.*)$/;
const DISPLAY_MEDIUMS: ReadonlySet<string> = new Set(['display', 'banner', 'expandable', 'interstitial', 'cpm']);
const SOCIAL_MEDIUMS: ReadonlySet<string> = new Set(['social', 'social-network', 'social-media', 'sm', 'social network', 'social media']);
// Google writes "Source = email|e-mail|e_mail|e mail": read as the four exact values (as Snowplow does), not as
// a regex that any source or medium containing them would match (as dbt-ga4 does).
const EMAIL_VALUES: ReadonlySet<string> = new Set(['email', 'e-mail', 'e_mail', 'e mail']);
const REFERRAL_MEDIUMS: ReadonlySet<string> = new Set(['referral', 'app', 'link']);

const paid = (t: Traffic) => PAID_MEDIUM.test(t.medium);
const shopping = (t: Traffic) => t.category === 'SOURCE_CATEGORY_SHOPPING' || SHOP_CAMPAIGN.test(t.campaign);
const search = (t: Traffic) => t.category === 'SOURCE_CATEGORY_SEARCH';
const social = (t: Traffic) => t.category === 'SOURCE_CATEGORY_SOCIAL';
const video = (t: Traffic) => t.category === 'SOURCE_CATEGORY_VIDEO';

/**
 * The rules of the current table as Google words them, first match wins. Where copies of the table disagree,
 * this follows Google's current text as dbt-ga4's latest macro and Shoplift quote it: Referral before Email,
 * Cross-network on the campaign name (Snowplow tests the medium).
 */
const RULES: ReadonlyArray<readonly [ChannelId, (t: Traffic) => boolean]> = [
  // Source exactly matches "(direct)" AND Medium is one of ("(not set)", "(none)")
  ['direct', (t) => t.source === '(direct)' && (t.medium === '(not set)' || t.medium === '(none)')],
  // Campaign Name contains "cross-network"
  ['cross_network', (t) => t.campaign.includes('cross-network')],
  // (Source matches a list of shopping sites OR Campaign Name matches the shop regex) AND Medium matches the paid regex
  ['paid_shopping', (t) => shopping(t) && paid(t)],
  // Source matches a list of search sites AND Medium matches the paid regex
  ['paid_search', (t) => search(t) && paid(t)],
  // Source matches a regex list of social sites AND Medium matches the paid regex
  ['paid_social', (t) => social(t) && paid(t)],
  // Source matches a list of video sites AND Medium matches the paid regex
  ['paid_video', (t) => video(t) && paid(t)],
  // Medium is one of ("display", "banner", "expandable", "interstitial", "cpm")
  ['display', (t) => DISPLAY_MEDIUMS.has(t.medium)],
  // Medium matches the paid regex
  ['paid_other', paid],
  // Source matches a list of shopping sites OR Campaign name matches the shop regex
  ['organic_shopping', shopping],
  // Source matches a regex list of social sites OR Medium is one of the social mediums
  ['organic_social', (t) => social(t) || SOCIAL_MEDIUMS.has(t.medium)],
  // Source matches a list of video sites OR Medium matches regex ^(.*video.*)$
  ['organic_video', (t) => video(t) || VIDEO_MEDIUM.test(t.medium)],
  // Source matches a list of search sites OR Medium exactly matches organic
  ['organic_search', (t) => search(t) || t.medium === 'organic'],
  // Medium is one of ("referral", "app", or "link")
  ['referral', (t) => REFERRAL_MEDIUMS.has(t.medium)],
  // Source = email|e-mail|e_mail|e mail OR Medium = email|e-mail|e_mail|e mail
  ['email', (t) => EMAIL_VALUES.has(t.source) || EMAIL_VALUES.has(t.medium)],
  // Medium = affiliate
  ['affiliates', (t) => t.medium === 'affiliate'],
  // Medium exactly matches audio
  ['audio', (t) => t.medium === 'audio'],
  // Source exactly matches sms OR Medium exactly matches sms
  ['sms', (t) => t.source === 'sms' || t.medium === 'sms'],
  // Medium ends with "push" OR Medium contains "mobile" or "notification" OR Source exactly matches "firebase"
  [
    'mobile_push_notifications',
    (t) => t.medium.endsWith('push') || t.medium.includes('mobile') || t.medium.includes('notification') || t.source === 'firebase',
  ],
];

/** GA4's channel for a source, medium and campaign (lower case); the category defaults to the source's in Google's list. */
export function channelOf(traffic: Omit<Traffic, 'category'> & { readonly category?: SourceCategory | undefined }): ChannelId {
  const t: Traffic = { ...traffic, category: 'category' in traffic ? traffic.category : sourceCategory(traffic.source) };
  for (const [channel, matches] of RULES) if (matches(t)) return channel;
  return 'unassigned';
}

/** One event's inputs: plain values, so the caller decides how the URL is split. */
export interface ChannelInput {
  /** The page's host, lower case (`UrlParts.host`). */
  readonly pageHost: string | null;
  /** The landing URL's `utm_source`, `utm_medium` and `utm_campaign`, percent-decoded, as sent. */
  readonly utmSource: string | null;
  readonly utmMedium: string | null;
  readonly utmCampaign: string | null;
  /** The landing URL's click id (`clickIdOf`), or null. */
  readonly click: ClickId | null;
  /** The referrer as sent, or null. */
  readonly referrer: string | null;
}

export interface TrafficSource extends Traffic {
  /** The referrer was this site (the page's host or one of `internalHosts`): GA4 drops it as an unwanted referral. */
  readonly internal: boolean;
}

export interface ChannelClassification {
  readonly channel: ChannelId;
  readonly source: string;
  readonly medium: string;
  readonly campaign: string;
  readonly internal: boolean;
}

/** A UTM value as GA4 reports it: trimmed, lower case; absent when empty. */
function tag(value: string | null): string | null {
  const v = value?.trim().toLowerCase();
  return v ? v : null;
}

/**
 * GA4's source, medium and campaign for an event. Precedence as GA4's: Google Ads' auto-tagging (gclid, gbraid,
 * wbraid: `google / cpc`, over any UTM tags), then UTM tags (a missing source or medium is `(not set)`), then a
 * dclid without tags (`dfa / cpm`), then the referrer, then `(direct) / (none)`. An internal referrer counts as none.
 */
export function trafficSource(input: ChannelInput, internalHosts: ReadonlySet<string>): TrafficSource {
  const utmSource = tag(input.utmSource);
  const utmMedium = tag(input.utmMedium);
  const campaign = tag(input.utmCampaign);
  const referrerHost = input.referrer === null ? null : hostOf(input.referrer);
  const internal = referrerHost !== null && (referrerHost === input.pageHost || internalHosts.has(referrerHost));
  const effect = input.click?.effect;
  const tagged = (source: string, medium: string): TrafficSource => ({
    source,
    medium,
    campaign: campaign ?? '(not set)',
    category: sourceCategory(source),
    internal,
  });

  if (effect === 'google_ads') return tagged('google', 'cpc');
  if (utmSource !== null || utmMedium !== null) return tagged(utmSource ?? '(not set)', utmMedium ?? '(not set)');
  if (effect === 'google_marketing_platform') return tagged('dfa', 'cpm');
  if (referrerHost !== null && !internal && input.referrer !== null) {
    const ref = referrerSource(input.referrer, referrerHost);
    return { ...ref, campaign: campaign ?? (ref.medium === 'organic' ? '(organic)' : '(referral)'), internal };
  }
  return { source: '(direct)', medium: '(none)', campaign: campaign ?? '(direct)', category: undefined, internal };
}

/** GA4's default channel group for one event, with the source, medium and campaign it was decided on. */
export function classifyChannel(input: ChannelInput, internalHosts: ReadonlySet<string>): ChannelClassification {
  const t = trafficSource(input, internalHosts);
  return { channel: channelOf(t), source: t.source, medium: t.medium, campaign: t.campaign, internal: t.internal };
}
