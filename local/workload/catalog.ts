/** What the synthetic shop is made of: pages, user agents, traffic sources. Real-looking, all invented. */

export const SITE = 'https://shop.example.com';
export const CATEGORIES = ['shoes', 'bags', 'jackets', 'hats', 'watches'] as const;
export const PRODUCTS_PER_CATEGORY = 12;

/** Browsers and devices people use, with rough weights. */
export const HUMAN_AGENTS: ReadonlyArray<readonly [string, number]> = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 30],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
    22,
  ],
  ['Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 16],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', 10],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 6],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 5],
  ['Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1', 4],
  ['Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36', 4],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 2],
  ['Mozilla/5.0 (Linux; Android 12; SM-T870) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36', 1],
];

/** Crawlers and tools; they browse like robots do (many pages, no cart). */
export const BOT_AGENTS: readonly string[] = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  'curl/8.5.0',
  'python-requests/2.32.3',
];

export interface TrafficSource {
  readonly referrer: string | undefined;
  /** Query string added to the landing URL. */
  readonly query: string;
}

/** Where sessions come from, with weights, spanning GA4's default channel groups. */
export const SOURCES: ReadonlyArray<readonly [TrafficSource, number]> = [
  [{ referrer: undefined, query: '' }, 25],
  [{ referrer: 'https://www.google.com/', query: '' }, 22],
  [{ referrer: 'https://www.google.com/', query: '?utm_source=google&utm_medium=cpc&utm_campaign=winter_sale&gclid=Cj0KCQiA' }, 9],
  [{ referrer: 'https://www.bing.com/', query: '' }, 4],
  [{ referrer: 'https://duckduckgo.com/', query: '' }, 2],
  [{ referrer: 'https://l.facebook.com/', query: '' }, 6],
  [{ referrer: 'https://l.facebook.com/', query: '?utm_source=facebook&utm_medium=paid_social&utm_campaign=winter_sale&fbclid=IwAR2x' }, 5],
  [{ referrer: 'https://t.co/', query: '' }, 2],
  [{ referrer: 'https://www.instagram.com/', query: '' }, 3],
  [{ referrer: undefined, query: '?utm_source=newsletter&utm_medium=email&utm_campaign=december_news' }, 8],
  [{ referrer: 'https://blog.example.org/best-bags-2026', query: '' }, 6],
  [{ referrer: 'https://deals.example.net/', query: '?utm_source=deals&utm_medium=affiliate&utm_campaign=partner' }, 3],
  [{ referrer: 'https://shop.example.com/', query: '' }, 5],
  // GA4's other channels, each a little: video, shopping, display and the rest.
  [{ referrer: 'https://www.youtube.com/', query: '' }, 2],
  [{ referrer: 'https://www.youtube.com/', query: '?utm_source=youtube&utm_medium=cpv&utm_campaign=winter_video' }, 1],
  [{ referrer: 'https://www.amazon.com/', query: '' }, 1],
  [{ referrer: 'https://www.google.com/', query: '?utm_source=google&utm_medium=cpc&utm_campaign=shopping_winter' }, 2],
  [{ referrer: 'https://www.google.com/', query: '?utm_source=google&utm_medium=cpc&utm_campaign=pmax_cross-network' }, 1],
  [{ referrer: 'https://news.example.org/', query: '?utm_source=dv360&utm_medium=display&utm_campaign=retargeting' }, 2],
  [{ referrer: undefined, query: '?utm_source=adnetwork&utm_medium=ppc&utm_campaign=winter_sale' }, 1],
  [{ referrer: undefined, query: '?utm_source=spotify&utm_medium=audio&utm_campaign=podcast_ad' }, 1],
  [{ referrer: undefined, query: '?utm_source=sms&utm_medium=sms&utm_campaign=flash_sale' }, 1],
  [{ referrer: undefined, query: '?utm_source=shop_app&utm_medium=push&utm_campaign=cart_reminder' }, 1],
  [{ referrer: undefined, query: '?utm_source=flyer&utm_medium=print&utm_campaign=store_opening' }, 1],
];

/**
 * Where visitors browse from: ten countries weighted towards a plausible mix for a web shop, each with address
 * blocks of its large consumer networks (checked against DB-IP Lite through enrich/geo.ts: every sampled address
 * of a block lies in its country; the comment names the network the ASN data gives). IPv6 blocks are taken at
 * /64 granularity and given a random interface id.
 */
export const CLIENT_NETWORKS: ReadonlyArray<
  readonly [{ readonly country: string; readonly v4: readonly string[]; readonly v6: readonly string[] }, number]
> = [
  [{ country: 'US', v4: ['73.0.0.0/12', '98.192.0.0/12'], v6: ['2601::/24', '2600:1700::/28'] }, 30], // Comcast, AT&T
  [{ country: 'DE', v4: ['79.192.0.0/10', '91.0.0.0/12'], v6: ['2003:e0::/27'] }, 12], // Deutsche Telekom
  [{ country: 'GB', v4: ['86.128.0.0/10', '81.128.0.0/11'], v6: ['2a00:23c0::/26'] }, 10], // BT
  [{ country: 'IN', v4: ['117.192.0.0/10', '49.32.0.0/12'], v6: ['2409:4000::/22'] }, 10], // BSNL, Jio
  [{ country: 'FR', v4: ['86.192.0.0/10'], v6: ['2a01:cb00::/24'] }, 8], // Orange
  [{ country: 'BR', v4: ['191.160.0.0/12'], v6: ['2804:14c::/32'] }, 8], // TIM, Claro
  [{ country: 'JP', v4: ['126.0.0.0/10', '153.128.0.0/11'], v6: ['2400:4050::/30'] }, 6], // SoftBank, NTT
  [{ country: 'CA', v4: ['99.208.0.0/12', '142.112.0.0/13'], v6: ['2607:fea8::/32'] }, 6], // Rogers, Bell
  [{ country: 'NL', v4: ['77.160.0.0/12', '145.53.0.0/16'], v6: ['2a02:a400::/26'] }, 5], // KPN
  [{ country: 'AU', v4: ['1.120.0.0/14', '110.140.0.0/14'], v6: ['2001:8003::/32'] }, 5], // Telstra
];

/**
 * Where bots run from: search engines' crawler networks and hosting providers, checked against the geo data as
 * the consumer networks above are (the comment names the network the ASN data gives; country mostly US or DE).
 */
export const HOSTING_NETWORKS: ReadonlyArray<readonly [{ readonly v4: readonly string[]; readonly v6: readonly string[] }, number]> = [
  [{ v4: ['66.249.64.0/19'], v6: [] }, 3], // Google (Googlebot)
  [{ v4: ['40.77.0.0/16', '157.55.0.0/16'], v6: [] }, 2], // Microsoft (bingbot)
  [{ v4: ['3.208.0.0/12'], v6: [] }, 3], // Amazon
  [{ v4: ['5.9.0.0/16'], v6: ['2a01:4f8::/32'] }, 2], // Hetzner
  [{ v4: ['159.89.0.0/16'], v6: [] }, 1], // DigitalOcean
];

/** Share of visitors whose address is in a documentation range (192.0.2.0/24, 2001:db8::/32): no country. */
export const UNLOCATED_SHARE = 0.03;
