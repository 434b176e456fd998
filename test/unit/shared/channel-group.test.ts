/**
 * GA4's default channel group as a table: a landing URL (UTM tags, click ids), a referrer, and the channel GA4's
 * published rules give, with the source / medium where the derivation is the point. Expected values are worked out
 * from Google's rules and source list (data/ga4-source-categories.csv), not from the code's output.
 */
import { CHANNELS, channelOf, classifyChannel } from '../../../functions/shared/traffic/channel-group';
import type { ChannelId, ChannelInput } from '../../../functions/shared/traffic/channel-group';
import { withReferrer } from '../../../functions/shared/traffic/click-ids';
import { hostOf, urlParts } from '../../../functions/shared/traffic/url-parts';

const PAGE = 'https://shop.example/p';
const INTERNAL_HOSTS: ReadonlySet<string> = new Set(['blog.example']);

/** How toRow feeds the classifier: UrlParts' host, tags and click id (settled by the referrer), the referrer. */
function inputOf(url: string, referrer: string | null): ChannelInput {
  const page = urlParts(url);
  return {
    pageHost: page.host,
    utmSource: page.utmSource,
    utmMedium: page.utmMedium,
    utmCampaign: page.utmCampaign,
    click: withReferrer(page.click, referrer === null ? null : hostOf(referrer)),
    referrer,
  };
}

function classify(query: string, referrer: string | null) {
  return classifyChannel(inputOf(query === '' ? PAGE : `${PAGE}?${query}`, referrer), INTERNAL_HOSTS);
}

/** [landing query, referrer, GA4 channel, GA4 `source / medium` when the case is about it]. */
type Case = readonly [query: string, referrer: string | null, channel: ChannelId, sourceMedium?: string];

const CASES: readonly Case[] = [
  // Direct: no tags, no referrer (or an unwanted one, below).
  ['', null, 'direct', '(direct) / (none)'],
  ['utm_source=(direct)&utm_medium=(none)', null, 'direct', '(direct) / (none)'],
  ['fbclid=IwAR0abc', null, 'direct', '(direct) / (none)'],
  ['msclkid=5d7c', null, 'direct', '(direct) / (none)'],

  // Cross-network: the campaign name contains "cross-network", before every paid rule.
  ['utm_source=google&utm_medium=cpc&utm_campaign=pmax-cross-network', null, 'cross_network'],
  ['utm_source=partner&utm_medium=email&utm_campaign=Cross-Network_Q4', null, 'cross_network'],
  ['gclid=Cj0KCQ&utm_campaign=cross-network-sale', null, 'cross_network', 'google / cpc'],
  ['utm_source=google&utm_medium=cpc&utm_campaign=crossnetwork', null, 'paid_search'],

  // Paid Shopping: a shopping source or a shop campaign, with a paid medium.
  ['utm_source=Google+Shopping&utm_medium=cpc', null, 'paid_shopping', 'google shopping / cpc'],
  ['utm_source=amazon&utm_medium=ppc', null, 'paid_shopping'],
  ['utm_source=bing&utm_medium=cpc&utm_campaign=shopping', null, 'paid_shopping'],
  ['utm_source=partner&utm_medium=paid&utm_campaign=summer-shop', null, 'paid_shopping'],
  ['utm_source=partner&utm_medium=cpc&utm_campaign=shop_now', null, 'paid_shopping'],
  ['utm_source=partner&utm_medium=cpc&utm_campaign=2shop', null, 'paid_shopping'],
  // [^a-df-z] lets an "e" through: eshop is a shop campaign, myshop and workshop are not.
  ['utm_source=partner&utm_medium=cpc&utm_campaign=eshop-launch', null, 'paid_shopping'],
  ['utm_source=partner&utm_medium=cpc&utm_campaign=myshop', null, 'paid_other'],
  ['utm_source=partner&utm_medium=cpc&utm_campaign=workshop', null, 'paid_other'],
  ['utm_source=partner&utm_medium=cpc&utm_campaign=webshopping', null, 'paid_shopping'],

  // Paid Search: a search source with a paid medium; Google Ads' click ids are google / cpc.
  ['utm_source=google&utm_medium=cpc', null, 'paid_search', 'google / cpc'],
  ['utm_source=Google&utm_medium=CPC', null, 'paid_search', 'google / cpc'],
  ['utm_source=%20google%20&utm_medium=cpc%20', null, 'paid_search', 'google / cpc'],
  ['utm_source=bing&utm_medium=ppc', null, 'paid_search'],
  ['utm_source=baidu&utm_medium=paidsearch', null, 'paid_search'],
  ['utm_source=yahoo&utm_medium=retargeting', null, 'paid_search'],
  ['utm_source=naver&utm_medium=cpc', null, 'paid_search'],
  ['gclid=Cj0KCQiA', null, 'paid_search', 'google / cpc'],
  ['gclid=Cj0KCQiA&utm_source=newsletter&utm_medium=email', null, 'paid_search', 'google / cpc'],
  ['gbraid=0AAAAA', null, 'paid_search', 'google / cpc'],
  ['wbraid=CkMKCQ', 'https://www.google.com/', 'paid_search', 'google / cpc'],
  ['fbclid=IwAR0abc&utm_source=google&utm_medium=cpc', 'https://l.facebook.com/', 'paid_search', 'google / cpc'],

  // Paid Social: a social source with a paid medium (any medium containing "cp", so cpm and cpv too).
  ['utm_source=facebook&utm_medium=paid-social', null, 'paid_social', 'facebook / paid-social'],
  ['utm_source=facebook.com&utm_medium=cpc', null, 'paid_social'],
  ['utm_source=ig&utm_medium=paid', null, 'paid_social'],
  ['utm_source=linkedin&utm_medium=cpm', null, 'paid_social'],
  ['utm_source=tiktok&utm_medium=cpv', null, 'paid_social'],
  ['fbclid=IwAR0abc&utm_source=facebook&utm_medium=paid', 'https://l.facebook.com/', 'paid_social', 'facebook / paid'],
  ['ttclid=E.C.P.abc&utm_source=tiktok&utm_medium=paid', null, 'paid_social'],

  // Paid Video: a video source with a paid medium.
  ['utm_source=youtube&utm_medium=cpv', null, 'paid_video'],
  ['utm_source=vimeo&utm_medium=paid-video', null, 'paid_video'],
  ['utm_source=youtube.com&utm_medium=retargeting', null, 'paid_video'],

  // Display: the display mediums, cpm included, before Paid Other; a dclid without tags is dfa / cpm.
  ['utm_source=dv360&utm_medium=display', null, 'display'],
  ['utm_source=partner&utm_medium=banner', null, 'display'],
  ['utm_source=partner&utm_medium=expandable', null, 'display'],
  ['utm_source=partner&utm_medium=interstitial', null, 'display'],
  ['utm_source=adnetwork&utm_medium=cpm', null, 'display'],
  ['utm_source=google&utm_medium=display', null, 'display'],
  ['dclid=CJKu8LrQ', null, 'display', 'dfa / cpm'],

  // Paid Other: a paid medium and a source of no listed kind.
  ['utm_source=partner&utm_medium=cpc', null, 'paid_other'],
  ['utm_medium=ppc', null, 'paid_other', '(not set) / ppc'],
  ['utm_source=newsletter&utm_medium=paid_email', null, 'paid_other'],
  ['utm_source=affiliate-network&utm_medium=cpa', null, 'paid_other'],
  ['dclid=CJKu8LrQ&utm_source=partner&utm_medium=cpc', null, 'paid_other', 'partner / cpc'],

  // Organic Shopping: a shopping source or a shop campaign, without a paid medium.
  ['utm_source=amazon&utm_medium=referral', null, 'organic_shopping'],
  ['utm_source=IGShopping&utm_medium=social', null, 'organic_shopping'],
  ['utm_source=partner&utm_medium=referral&utm_campaign=black-friday-shop', null, 'organic_shopping'],
  ['', 'https://www.amazon.com/gp/product/1', 'organic_shopping', 'amazon.com / referral'],
  ['', 'https://www.ebay.de/itm/1', 'organic_shopping', 'ebay.de / referral'],
  ['', 'https://checkout.shopify.com/', 'organic_shopping', 'checkout.shopify.com / referral'],

  // Organic Social: a social source (by tag or referrer) or a social medium.
  ['utm_source=facebook.com&utm_medium=post', null, 'organic_social'],
  ['utm_source=Facebook&utm_medium=Social', null, 'organic_social', 'facebook / social'],
  ['utm_source=mastodon&utm_medium=social', null, 'organic_social'],
  ['utm_source=partner&utm_medium=social-network', null, 'organic_social'],
  ['utm_source=partner&utm_medium=social-media', null, 'organic_social'],
  ['utm_source=partner&utm_medium=social+media', null, 'organic_social'],
  ['utm_source=partner&utm_medium=sm', null, 'organic_social'],
  ['', 'https://m.facebook.com/', 'organic_social', 'm.facebook.com / referral'],
  ['', 'https://www.facebook.com/groups/1', 'organic_social', 'facebook.com / referral'],
  ['', 'https://de-de.facebook.com/', 'organic_social', 'de-de.facebook.com / referral'],
  ['fbclid=IwAR0abc', 'https://l.facebook.com/l.php?u=x', 'organic_social', 'l.facebook.com / referral'],
  ['', 'https://t.co/abc', 'organic_social', 't.co / referral'],
  ['', 'https://www.linkedin.com/feed/', 'organic_social', 'linkedin.com / referral'],
  ['', 'https://news.ycombinator.com/item?id=1', 'organic_social', 'news.ycombinator.com / referral'],
  ['', 'https://sites.google.com/view/x', 'organic_social', 'sites.google.com / referral'],

  // Organic Video: a video source or a medium containing "video".
  ['', 'https://www.youtube.com/watch?v=1', 'organic_video', 'youtube.com / referral'],
  ['', 'https://m.youtube.com/', 'organic_video', 'm.youtube.com / referral'],
  ['', 'https://www.twitch.tv/x', 'organic_video', 'twitch.tv / referral'],
  ['utm_source=newsletter&utm_medium=video', null, 'organic_video'],
  ['utm_source=partner&utm_medium=webinar-video-recap', null, 'organic_video'],

  // Organic Search: a search source or medium organic; an engine's own host is <engine> / organic.
  ['', 'https://www.google.com/', 'organic_search', 'google / organic'],
  ['', 'https://www.google.co.uk/', 'organic_search', 'google / organic'],
  ['', 'https://www.bing.com/', 'organic_search', 'bing / organic'],
  ['', 'https://duckduckgo.com/', 'organic_search', 'duckduckgo / organic'],
  ['', 'https://search.yahoo.com/', 'organic_search', 'yahoo / organic'],
  ['', 'https://yandex.com.tr/', 'organic_search', 'yandex / organic'],
  ['', 'https://search.naver.com/', 'organic_search', 'naver / organic'],
  ['', 'https://www.seznam.cz/', 'organic_search', 'seznam / organic'],
  ['', 'https://www.qwant.com/', 'organic_search', 'qwant / organic'],
  ['', 'https://www.msn.com/', 'organic_search', 'msn / organic'],
  ['', 'https://uk.search.yahoo.com/', 'organic_search', 'uk.search.yahoo.com / referral'],
  ['', 'https://www.ecosia.org/', 'organic_search', 'ecosia.org / referral'],
  // Google's list puts Gmail's web host and Google News among search sites: Organic Search, by the list.
  ['', 'https://mail.google.com/', 'organic_search', 'mail.google.com / referral'],
  ['', 'https://news.google.com/', 'organic_search', 'news.google.com / referral'],
  ['', 'android-app://com.google.android.googlequicksearchbox/', 'organic_search', 'google / organic'],
  ['utm_source=partner&utm_medium=organic', null, 'organic_search'],
  ['utm_source=google', null, 'organic_search', 'google / (not set)'],
  // Parameter names are case-sensitive: UTM_MEDIUM is not utm_medium.
  ['utm_source=google&UTM_MEDIUM=CPC', null, 'organic_search', 'google / (not set)'],
  ['msclkid=5d7c', 'https://www.bing.com/', 'organic_search', 'bing / organic'],

  // Referral: medium referral, app or link; any other site.
  ['', 'https://github.com/org/repo', 'referral', 'github.com / referral'],
  ['', 'https://docs.google.com/document/d/1', 'referral', 'docs.google.com / referral'],
  ['', 'https://mail.yahoo.com/', 'referral', 'mail.yahoo.com / referral'],
  ['', 'https://x.com/home', 'referral', 'x.com / referral'],
  ['', 'android-app://com.google.android.gm/', 'referral', 'com.google.android.gm / referral'],
  ['utm_source=partner&utm_medium=referral', null, 'referral'],
  ['utm_source=partner&utm_medium=app', null, 'referral'],
  ['utm_source=partner&utm_medium=link', null, 'referral'],
  // Referral comes before Email in the current table (the older one had Email first).
  ['utm_source=email&utm_medium=link', null, 'referral'],

  // Email: source or medium exactly email, e-mail, e_mail or e mail.
  ['utm_source=newsletter&utm_medium=email', null, 'email'],
  ['utm_source=email', null, 'email', 'email / (not set)'],
  ['utm_source=Email&utm_medium=Newsletter', null, 'email'],
  ['utm_source=mailchimp&utm_medium=e-mail', null, 'email'],
  ['utm_source=mailchimp&utm_medium=e_mail', null, 'email'],
  ['utm_source=mailchimp&utm_medium=e+mail', null, 'email'],
  ['utm_source=mailchimp&utm_medium=newsletter', null, 'unassigned'],
  ['utm_source=brevo&utm_medium=newsletter-email', null, 'unassigned'],

  // Affiliates, Audio, SMS.
  ['utm_source=awin&utm_medium=affiliate', null, 'affiliates'],
  ['utm_source=awin&utm_medium=affiliates', null, 'unassigned'],
  ['utm_source=Partner&utm_medium=Affiliate', null, 'affiliates', 'partner / affiliate'],
  // Earlier rules come first: a shop campaign is Organic Shopping, a video source Organic Video.
  ['utm_source=awin&utm_medium=affiliate&utm_campaign=shop-week', null, 'organic_shopping'],
  ['utm_source=podcast-network&utm_medium=audio', null, 'audio'],
  ['utm_source=spotify&utm_medium=audio', null, 'audio'],
  ['utm_source=youtube&utm_medium=audio', null, 'organic_video'],
  ['utm_source=sms&utm_medium=text', null, 'sms'],
  ['utm_source=twilio&utm_medium=sms', null, 'sms'],

  // Mobile Push Notifications: medium ending in push, containing mobile or notification, or source firebase.
  ['utm_source=onesignal&utm_medium=web-push', null, 'mobile_push_notifications'],
  ['utm_source=app&utm_medium=in-app-notification', null, 'mobile_push_notifications'],
  ['utm_source=app&utm_medium=mobile', null, 'mobile_push_notifications'],
  ['utm_source=firebase&utm_medium=fcm', null, 'mobile_push_notifications'],
  ['utm_source=onesignal&utm_medium=push-campaign', null, 'unassigned'],

  // Unassigned: tags no rule matches.
  ['utm_source=partner&utm_medium=qr', null, 'unassigned'],
  ['utm_source=partner', null, 'unassigned', 'partner / (not set)'],
];

/** Every row with four cells (jest passes a done callback in place of a missing last one). */
const rows = (cases: readonly Case[]) =>
  cases.map(([query, referrer, channel, sourceMedium]) => [query, referrer, channel, sourceMedium ?? null] as const);

function expectCase(query: string, referrer: string | null, channel: ChannelId, sourceMedium: string | null) {
  const got = classify(query, referrer);
  expect(got.channel).toBe(channel);
  if (sourceMedium !== null) expect(`${got.source} / ${got.medium}`).toBe(sourceMedium);
  return got;
}

describe('classifyChannel', () => {
  it.each(rows(CASES))('?%s from %s is %s %s', (query, referrer, channel, sourceMedium) => {
    expect(expectCase(query, referrer, channel, sourceMedium).internal).toBe(false);
  });

  it('has each of the 19 channels in its table at least twice', () => {
    const seen = new Map<ChannelId, number>();
    for (const [, , channel] of CASES) seen.set(channel, (seen.get(channel) ?? 0) + 1);
    expect(CHANNELS).toHaveLength(19);
    expect(CHANNELS.filter((c) => (seen.get(c) ?? 0) < 2)).toEqual([]);
  });
});

describe('internal referrers', () => {
  it('counts a referrer on the page host as none, and says so', () => {
    expect(classify('', 'https://shop.example/cart')).toEqual({
      channel: 'direct',
      source: '(direct)',
      medium: '(none)',
      campaign: '(direct)',
      internal: true,
    });
  });

  it('counts a configured internal host as none', () => {
    expect(classify('', 'https://blog.example/post')).toMatchObject({ channel: 'direct', internal: true });
  });

  it('lets UTM tags and click ids decide past an internal referrer', () => {
    expect(classify('utm_source=newsletter&utm_medium=email', 'https://shop.example/')).toMatchObject({ channel: 'email', internal: true });
    expect(classify('gclid=Cj0KCQ', 'https://blog.example/')).toMatchObject({ channel: 'paid_search', source: 'google', internal: true });
  });

  it('compares hosts exactly: another subdomain of the site is a referral unless configured', () => {
    expect(classify('', 'https://www.shop.example/')).toMatchObject({ channel: 'referral', source: 'shop.example', internal: false });
  });
});

describe('campaign', () => {
  it('is utm_campaign in lower case, or what GA4 shows without one', () => {
    expect(classify('utm_source=a&utm_medium=email&utm_campaign=%20Spring_Sale%20', null).campaign).toBe('spring_sale');
    expect(classify('utm_source=a&utm_medium=email', null).campaign).toBe('(not set)');
    expect(classify('', 'https://www.google.com/').campaign).toBe('(organic)');
    expect(classify('', 'https://github.com/').campaign).toBe('(referral)');
    expect(classify('', null).campaign).toBe('(direct)');
  });
});

describe('channelOf', () => {
  it('takes GA4 source / medium pairs as they appear in reports', () => {
    expect(channelOf({ source: 'google', medium: 'cpc', campaign: '(not set)' })).toBe('paid_search');
    expect(channelOf({ source: 'l.instagram.com', medium: 'referral', campaign: '(referral)' })).toBe('organic_social');
    expect(channelOf({ source: 'hatena', medium: 'referral', campaign: '(referral)' })).toBe('organic_social');
    expect(channelOf({ source: 'dailymotion', medium: 'cpc', campaign: 'x' })).toBe('paid_video');
  });
});

// Each defect of the keyword classifier this replaced (the former enrich/traffic-source.ts), with GA4's answer.
describe('the defects of the classifier it replaces', () => {
  it.each(
    rows([
      ['', 'https://docs.google.com/document/d/1', 'referral', 'docs.google.com / referral'],
      ['', 'https://mail.google.com/', 'organic_search', 'mail.google.com / referral'],
      ['', 'https://search.naver.com/', 'organic_search', 'naver / organic'],
      ['', 'https://www.seznam.cz/', 'organic_search', 'seznam / organic'],
      ['', 'https://www.qwant.com/', 'organic_search', 'qwant / organic'],
      ['', 'https://www.msn.com/', 'organic_search', 'msn / organic'],
      ['utm_source=facebook.com&utm_medium=post', null, 'organic_social'],
      ['utm_source=partner&utm_medium=social-network', null, 'organic_social'],
      ['utm_source=email', null, 'email'],
      ['utm_source=mailchimp&utm_medium=newsletter', null, 'unassigned'],
      ['utm_source=partner&utm_medium=app', null, 'referral'],
      ['utm_source=partner&utm_medium=link', null, 'referral'],
      ['', 'https://www.youtube.com/', 'organic_video', 'youtube.com / referral'],
      ['utm_source=youtube&utm_medium=cpv', null, 'paid_video'],
      ['fbclid=IwAR0abc&utm_source=google&utm_medium=cpc', null, 'paid_search', 'google / cpc'],
    ]),
  )('?%s from %s is %s %s', (query, referrer, channel, sourceMedium) => {
    expectCase(query, referrer, channel, sourceMedium);
  });
});
