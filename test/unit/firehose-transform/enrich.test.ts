import { archiveIp, ipColumns } from '../../../functions/firehose-transform/enrich/ip';
import { eventTraffic } from '../../../functions/firehose-transform/enrich/event-traffic';
import { hostOf, urlParts } from '../../../functions/shared/traffic/url-parts';
import { UserAgentCache, parseUserAgent } from '../../../functions/firehose-transform/enrich/user-agent';

describe('archiveIp', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    [' 10.1.2.3 ', '10.1.2.0'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::'],
    ['2001:DB8::1', '2001:db8:0::'],
    ['::1', '0:0:0::'],
    ['::ffff:192.0.2.128', '::ffff:192.0.2.0'],
    ['fe80::1%eth0', 'fe80:0:0::'],
  ])('anonymises %s to %s', (ip, expected) => {
    expect(archiveIp(ip, 'anonymize')).toBe(expected);
  });

  it.each(['localhost', '999.1.1.1', '1.2.3', '', 'not an ip'])('keeps no address for %j', (ip) => {
    expect(archiveIp(ip, 'anonymize')).toBeNull();
    expect(archiveIp(ip, 'full')).toBeNull();
  });

  it('keeps the full address only in full mode, and nothing in omit mode', () => {
    expect(archiveIp('203.0.113.77', 'full')).toBe('203.0.113.77');
    expect(archiveIp('203.0.113.77', 'omit')).toBeNull();
    expect(archiveIp(undefined, 'anonymize')).toBeNull();
  });
});

describe('ipColumns', () => {
  const columns = (ip: string | undefined, mode: 'anonymize' | 'full' | 'omit') =>
    JSON.parse(`{${ipColumns(ip, mode).slice(1)}}`) as unknown;

  it('looks the full address up and keeps it cut', () => {
    expect(columns('8.8.8.8', 'anonymize')).toEqual({
      ip: '8.8.8.0',
      geo_country: 'US',
      geo_asn: 15169,
      geo_as_org: expect.stringMatching(/google/i) as unknown,
    });
  });

  it.each([
    // parseAddress skips a zone; node:net refuses one with a space, so the archive has no address and no place.
    '2001:4860:4860::8888%a b',
    'localhost',
  ])('gives no country or network for %j, which the archive keeps no address for', (ip) => {
    expect(columns(ip, 'full')).toEqual({ ip: null, geo_country: null, geo_asn: null, geo_as_org: null });
  });

  it('adds nothing without an address or with omit', () => {
    for (const [ip, mode] of [
      [undefined, 'anonymize'],
      ['8.8.8.8', 'omit'],
    ] as const)
      expect(columns(ip, mode)).toEqual({ ip: null, geo_country: null, geo_asn: null, geo_as_org: null });
  });
});

describe('urlParts', () => {
  it('splits host, path and query and reads UTM parameters and click ids', () => {
    expect(
      urlParts(
        'https://Shop.Example.com/p/bag-7?utm_source=google&utm_medium=cpc&utm_campaign=winter&utm_term=bags&utm_content=ad2&gclid=abc#top',
      ),
    ).toEqual({
      url: 'https://Shop.Example.com/p/bag-7?utm_source=google&utm_medium=cpc&utm_campaign=winter&utm_term=bags&utm_content=ad2&gclid=abc#top',
      host: 'shop.example.com',
      path: '/p/bag-7',
      query: 'utm_source=google&utm_medium=cpc&utm_campaign=winter&utm_term=bags&utm_content=ad2&gclid=abc',
      utmSource: 'google',
      utmMedium: 'cpc',
      utmCampaign: 'winter',
      utmTerm: 'bags',
      utmContent: 'ad2',
      click: { param: 'gclid', clickId: 'abc', clickNetwork: 'google_ads', effect: 'google_ads' },
    });
  });

  it('decodes percent-encoded parameters', () => {
    expect(urlParts('https://a.example/?utm_campaign=black%20friday&fbclid=IwAR').utmCampaign).toBe('black friday');
  });

  it('handles app URLs and URLs without a path', () => {
    expect(urlParts('myapp://screen/checkout')).toMatchObject({ host: 'screen', path: '/checkout' });
    expect(urlParts('https://a.example')).toMatchObject({ host: 'a.example', path: '/', query: null });
    expect(hostOf('https://user:pw@[2001:db8::1]:8443/x')).toBe('[2001:db8::1]');
  });
});

describe('eventTraffic', () => {
  const site = 'https://shop.example.com/landing';
  const internal = new Set(['checkout.example.com']);
  const classify = (url: string, referrer: string | undefined) => {
    const { traffic } = eventTraffic(urlParts(url), referrer, internal);
    return { channel: traffic.channel, source: traffic.source, internal: traffic.internal };
  };

  it.each([
    ['no referrer, no tags', site, undefined, 'direct', '(direct)'],
    ['Google search', site, 'https://www.google.com/', 'organic_search', 'google'],
    ['Google in another country', site, 'https://www.google.co.uk/', 'organic_search', 'google'],
    ['Bing', site, 'https://www.bing.com/search?q=bags', 'organic_search', 'bing'],
    ['DuckDuckGo', site, 'https://duckduckgo.com/', 'organic_search', 'duckduckgo'],
    ['Google Ads click id', `${site}?gclid=Cj0KCQ`, 'https://www.google.com/', 'paid_search', 'google'],
    ['cpc tagged Bing', `${site}?utm_source=bing&utm_medium=cpc`, 'https://www.bing.com/', 'paid_search', 'bing'],
    ['Facebook link', site, 'https://l.facebook.com/', 'organic_social', 'l.facebook.com'],
    ['t.co', site, 'https://t.co/abc', 'organic_social', 't.co'],
    ['Instagram', site, 'https://www.instagram.com/', 'organic_social', 'instagram.com'],
    [
      'paid Facebook',
      `${site}?utm_source=facebook&utm_medium=paid_social&fbclid=IwAR`,
      'https://l.facebook.com/',
      'paid_social',
      'facebook',
    ],
    ['newsletter', `${site}?utm_source=newsletter&utm_medium=email&utm_campaign=dec`, undefined, 'email', 'newsletter'],
    ['affiliate', `${site}?utm_source=deals&utm_medium=affiliate`, 'https://deals.example.net/', 'affiliates', 'deals'],
    ['blog link', site, 'https://blog.example.org/best-bags', 'referral', 'blog.example.org'],
    ['banner', `${site}?utm_source=partner&utm_medium=banner`, undefined, 'display', 'partner'],
    ['unknown tagged medium', `${site}?utm_source=partner&utm_medium=flyer`, undefined, 'unassigned', 'partner'],
  ])('%s', (_label, url, referrer, channel, source) => {
    expect(classify(url, referrer)).toEqual({ channel, source, internal: false });
  });

  it.each([
    ['own page', 'https://shop.example.com/c/bags'],
    ['own other host', 'https://checkout.example.com/'],
  ])('counts a referrer from this site (%s) as none, flagged internal', (_label, referrer) => {
    expect(classify(site, referrer)).toEqual({ channel: 'direct', source: '(direct)', internal: true });
    expect(classify(`${site}?utm_source=newsletter&utm_medium=email`, referrer)).toEqual({
      channel: 'email',
      source: 'newsletter',
      internal: true,
    });
  });

  it('answers a repeated page and referrer from its cache, and keeps internal hosts of other settings apart', () => {
    const page = urlParts(`${site}?yclid=7`);
    const first = eventTraffic(page, 'https://search.yahoo.co.jp/', internal);
    expect(eventTraffic(page, 'https://search.yahoo.co.jp/', internal)).toBe(first);
    expect(first).toMatchObject({ referrerHost: 'search.yahoo.co.jp', click: { clickId: '7', clickNetwork: 'yahoo_japan' } });
    expect(eventTraffic(page, 'https://yandex.ru/', internal).click?.clickNetwork).toBe('yandex');
    expect(eventTraffic(urlParts(site), 'https://checkout.example.com/', new Set()).traffic).toMatchObject({
      channel: 'referral',
      internal: false,
    });
  });
});

describe('user agents', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      { browser: 'Chrome', os: 'Windows', deviceType: 'desktop', isBot: false },
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
      {
        browser: 'Mobile Safari',
        os: 'iOS',
        osVersion: '17.6',
        deviceType: 'mobile',
        deviceVendor: 'Apple',
        deviceModel: 'iPhone',
        isBot: false,
      },
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
      { os: 'Android', deviceType: 'mobile', deviceVendor: 'Samsung', deviceModel: 'SM-S918B', isBot: false },
    ],
    [
      'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
      { os: 'iOS', deviceType: 'tablet', deviceModel: 'iPad', isBot: false },
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
      { browser: 'Firefox', browserVersion: '133.0', deviceType: 'desktop', isBot: false },
    ],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', { deviceType: 'bot', isBot: true }],
    ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', { deviceType: 'bot', isBot: true }],
    ['curl/8.5.0', { isBot: true }],
    ['python-requests/2.32.3', { isBot: true }],
  ])('parses %s', (ua, expected) => {
    expect(parseUserAgent(ua)).toMatchObject(expected);
  });

  it('answers repeats from the cache and, when full, forgets the oldest agent', () => {
    const cache = new UserAgentCache(2);
    const [a, b, c] = ['curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0', 'Wget/1.21'];
    const first = { a: cache.lookup(a), b: cache.lookup(b) };
    expect(cache.lookup(a)).toBe(first.a);
    expect(cache.lookup(b)).toBe(first.b);
    cache.lookup(c);
    const again = cache.lookup(a);
    expect(again).not.toBe(first.a);
    expect(again).toEqual(first.a);
  });
});
