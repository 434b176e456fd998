/**
 * Ad click ids on a landing URL: which parameter, which ad network, and whether GA4 lets it decide the traffic
 * source. Only Google's own ids do: GA4 reads gclid, gbraid and wbraid as `google / cpc` (over any UTM tags) and,
 * without UTM tags, dclid as `dfa / cpm`; it does not read the others, whose clicks it classifies by their UTM tags
 * or their referrer like any other (a Meta ad without tags arrives as a facebook.com referral: Organic Social).
 */

/** What a click id does to the traffic source, as GA4 does it. */
export type ClickEffect = 'google_ads' | 'google_marketing_platform' | 'none';

export interface ClickIdParam {
  /** The query parameter, matched exactly (parameter names are case-sensitive). */
  readonly param: string;
  /** The network's id in the `click_network` column. */
  readonly network: string;
  readonly effect: ClickEffect;
}

/**
 * The parameters, in the order a URL carrying several is read: the first present wins. Google's come first, since
 * they are the only ones that change the channel; the rest follow the size of their networks.
 */
export const CLICK_ID_PARAMS: readonly ClickIdParam[] = [
  { param: 'gclid', network: 'google_ads', effect: 'google_ads' },
  // Google Ads' ids for iOS under App Tracking Transparency (app and web campaigns); GA4 reads them as it reads gclid.
  { param: 'gbraid', network: 'google_ads', effect: 'google_ads' },
  { param: 'wbraid', network: 'google_ads', effect: 'google_ads' },
  // Display & Video 360 and Campaign Manager 360 ("enhanced attribution"); GA4 reports it as dfa / cpm without tags.
  { param: 'dclid', network: 'google_marketing_platform', effect: 'google_marketing_platform' },
  { param: 'msclkid', network: 'microsoft_ads', effect: 'none' },
  // Meta adds fbclid to organic link clicks as well as to ads.
  { param: 'fbclid', network: 'meta', effect: 'none' },
  { param: 'ttclid', network: 'tiktok', effect: 'none' },
  { param: 'li_fat_id', network: 'linkedin', effect: 'none' },
  { param: 'twclid', network: 'x', effect: 'none' },
  { param: 'epik', network: 'pinterest', effect: 'none' },
  { param: 'ScCid', network: 'snapchat', effect: 'none' },
  { param: 'sccid', network: 'snapchat', effect: 'none' },
  { param: 'rdt_cid', network: 'reddit', effect: 'none' },
  // Yandex Direct's; Yahoo! JAPAN Ads use the same name (clickIdOf tells them apart by the referrer).
  { param: 'yclid', network: 'yandex', effect: 'none' },
  // impact.com's usual name for its click id (the advertiser may choose another).
  { param: 'irclickid', network: 'impact', effect: 'none' },
];

const YAHOO_JAPAN = 'yahoo_japan';

/** The parameters of a landing URL: URLSearchParams or a Map of them both fit. */
export interface QueryParams {
  get(name: string): string | null | undefined;
}

export interface ClickId {
  readonly param: string;
  /** The id as sent (ids are case-sensitive: never changed). */
  readonly clickId: string;
  readonly clickNetwork: string;
  readonly effect: ClickEffect;
}

/**
 * The landing URL's click id: the first parameter of CLICK_ID_PARAMS present with a value, or null. `referrerHost`
 * only tells a Yahoo! JAPAN yclid from a Yandex one.
 */
export function clickIdOf(params: QueryParams, referrerHost: string | null = null): ClickId | null {
  for (const { param, network, effect } of CLICK_ID_PARAMS) {
    const clickId = params.get(param);
    if (clickId === null || clickId === undefined || clickId === '') continue;
    return withReferrer({ param, clickId, clickNetwork: network, effect }, referrerHost);
  }
  return null;
}

/**
 * A click id read without the referrer (`clickIdOf(params)`, as a URL's cached parts hold it) with the network that
 * `referrerHost` makes it: only a yclid changes, to Yahoo! JAPAN's under a yahoo.co.jp referrer.
 */
export function withReferrer(click: ClickId | null, referrerHost: string | null): ClickId | null {
  return click !== null && click.param === 'yclid' && isYahooJapan(referrerHost) ? { ...click, clickNetwork: YAHOO_JAPAN } : click;
}

function isYahooJapan(host: string | null): boolean {
  return host !== null && (host === 'yahoo.co.jp' || host.endsWith('.yahoo.co.jp'));
}
