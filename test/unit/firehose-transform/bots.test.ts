import fc from 'fast-check';
import { isbot } from 'isbot';
import { BOT_CATEGORIES } from '../../../functions/shared/bot-categories';
import { BOT_PATTERNS } from '../../../functions/firehose-transform/enrich/bot-patterns.generated';
import { TRANSFORM_SETTINGS, loadConfig } from '../../../functions/firehose-transform/config';
import { classifyBot, ownAppMatcher } from '../../../functions/firehose-transform/enrich/bots';
import { readVariables } from '../../../functions/shared/settings';

const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

/** Real user agents, as their owners document them or as access logs show them: [what, agent, name, category]. */
const BOTS: ReadonlyArray<readonly [string, string, string | null, string]> = [
  ['Googlebot desktop', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Googlebot', 'search_crawler'],
  [
    'Googlebot smartphone',
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.201 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Googlebot',
    'search_crawler',
  ],
  ['Googlebot-Image', 'Googlebot-Image/1.0', 'Googlebot-Image', 'search_crawler'],
  ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'bingbot', 'search_crawler'],
  ['DuckDuckBot', 'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)', 'DuckDuckBot', 'search_crawler'],
  ['YandexBot', 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', 'YandexBot', 'search_crawler'],
  ['Baiduspider', 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)', 'Baiduspider', 'search_crawler'],
  [
    'Applebot',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
    'Applebot',
    'search_crawler',
  ],
  [
    'GPTBot',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.1; +https://openai.com/gptbot)',
    'GPTBot',
    'ai_crawler',
  ],
  [
    'OAI-SearchBot',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; OAI-SearchBot/1.0; +https://openai.com/searchbot',
    'OAI-SearchBot',
    'ai_crawler',
  ],
  [
    'ChatGPT-User',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot',
    'ChatGPT-User',
    'ai_assistant',
  ],
  [
    'ClaudeBot',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)',
    'ClaudeBot',
    'ai_crawler',
  ],
  [
    'Claude-User',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Claude-User/1.0; +Claude-User@anthropic.com)',
    'Claude-User',
    'ai_assistant',
  ],
  [
    'PerplexityBot',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)',
    'PerplexityBot',
    'ai_crawler',
  ],
  [
    'Perplexity-User',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Perplexity-User/1.0; +https://perplexity.ai/perplexity-user)',
    'Perplexity-User',
    'ai_assistant',
  ],
  ['CCBot', 'CCBot/2.0 (https://commoncrawl.org/faq/)', 'CCBot', 'ai_crawler'],
  [
    'Bytespider',
    'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)',
    'Bytespider',
    'ai_crawler',
  ],
  [
    'Amazonbot',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Amazonbot/0.1; +https://developer.amazon.com/support/amazonbot) Chrome/119.0.6045.214 Safari/537.36',
    'Amazonbot',
    'search_crawler',
  ],
  [
    'meta-externalagent',
    'meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
    'meta-externalagent',
    'ai_crawler',
  ],
  [
    'facebookexternalhit',
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    'facebookexternalhit',
    'social_preview',
  ],
  ['Twitterbot', 'Twitterbot/1.0', 'Twitterbot', 'social_preview'],
  ['LinkedInBot', 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)', 'LinkedInBot', 'social_preview'],
  ['Slackbot', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'Slackbot', 'social_preview'],
  ['Discordbot', 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)', 'Discordbot', 'social_preview'],
  ['WhatsApp', 'WhatsApp/2.23.20.0', 'WhatsApp', 'social_preview'],
  ['UptimeRobot', 'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)', 'UptimeRobot', 'monitoring'],
  ['Pingdom', 'Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)', 'Pingdom', 'monitoring'],
  [
    'StatusCake',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/98.0.4758.102 Safari/537.36 StatusCake',
    'StatusCake',
    'monitoring',
  ],
  [
    'Datadog synthetics',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 DatadogSynthetics',
    'DatadogSynthetics',
    'monitoring',
  ],
  ['AhrefsBot', 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', 'AhrefsBot', 'seo'],
  ['SemrushBot', 'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)', 'SemrushBot', 'seo'],
  ['MJ12bot', 'Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)', 'MJ12bot', 'seo'],
  ['curl', 'curl/8.5.0', 'curl', 'http_library'],
  ['Wget', 'Wget/1.21.4', 'Wget', 'http_library'],
  ['python-requests', 'python-requests/2.31.0', 'python-requests', 'http_library'],
  ['Go-http-client', 'Go-http-client/1.1', 'Go-http-client', 'http_library'],
  ['axios', 'axios/1.6.7', 'axios', 'http_library'],
  ['node-fetch', 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', 'node-fetch', 'http_library'],
  [
    'HeadlessChrome',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.6367.60 Safari/537.36',
    'HeadlessChrome',
    'browser_automation',
  ],
];

const BROWSERS_AND_APPS: ReadonlyArray<readonly [string, string]> = [
  ['Chrome on Windows', CHROME_WIN],
  ['Chrome on Android', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36'],
  [
    'Safari on macOS',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  ],
  [
    'Safari on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  ],
  ['Firefox on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0'],
  ['Firefox on Android', 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0'],
  ['Edge on Windows', `${CHROME_WIN} Edg/124.0.2478.80`],
  [
    'Edge on Android',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.2478.64',
  ],
  [
    'a phone on the Android build the list names as a scanner',
    'Mozilla/5.0 (Linux; Android 15; CPH2557 Build/AP3A.240617.008; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/142.0.7444.142 Mobile Safari/537.36',
  ],
  ['okhttp, the default agent of Android apps', 'okhttp/4.12.0'],
  ['okhttp after an app name', 'ShopApp/3.2.1 (Android 14) okhttp/4.12.0'],
  ['Dalvik, Android apps through HttpURLConnection', 'Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230901.001)'],
  ['CFNetwork, iOS apps', 'ShopApp/5.2.1 CFNetwork/1494.0.7 Darwin/23.4.0'],
];

describe('classifyBot', () => {
  it.each(BOTS)('names %s', (_what, userAgent, name, category) => {
    expect(classifyBot(userAgent)).toEqual({ isBot: true, botName: name, botCategory: category });
  });

  it.each(BROWSERS_AND_APPS)('does not count %s as a bot', (_what, userAgent) => {
    expect(classifyBot(userAgent)).toEqual({ isBot: false, botName: null, botCategory: null });
  });

  it.each([[undefined], [''], ['   ']])('counts a hit without a user agent (%j) as a bot of category no_user_agent', (userAgent) => {
    expect(classifyBot(userAgent)).toEqual({ isBot: true, botName: null, botCategory: 'no_user_agent' });
  });

  it("names a bot the list does not know after the agent's product token, in category other", () => {
    const userAgent = 'AcmeInventoryCrawler/0.3 (+https://acme.example/crawler)';
    expect(BOTS.some(([, ua]) => ua === userAgent)).toBe(false);
    expect(classifyBot(userAgent)).toEqual({ isBot: true, botName: 'AcmeInventoryCrawler', botCategory: 'other' });
  });

  it('gives no name when isbot matched only a generic word', () => {
    expect(classifyBot('Mozilla/5.0 (compatible; bot)')).toEqual({ isBot: true, botName: null, botCategory: 'other' });
  });

  it("never counts the site's own apps as bots, whatever else their agent says", () => {
    const own = ['ShopApp/', 'shop-sync'];
    expect(classifyBot('ShopApp/5.2 (iPhone; iOS 17.4) bot-compatible', own)).toEqual({ isBot: false, botName: null, botCategory: null });
    expect(classifyBot('Shop-Sync/1.0 python-requests/2.31.0', own).isBot).toBe(false);
    expect(classifyBot('python-requests/2.31.0', own).botName).toBe('python-requests');
    expect(classifyBot('python-requests/2.31.0', (ua) => ua.startsWith('python-')).isBot).toBe(false);
  });

  it('compiles an own-app list once, escaping its characters and ignoring blank entries', () => {
    const own = ['App (beta)', ' ', ''];
    expect(ownAppMatcher(own)).toBe(ownAppMatcher(own));
    expect(ownAppMatcher(own)('My App (Beta) 2.0')).toBe(true);
    expect(ownAppMatcher(own)('My App beta')).toBe(false);
    expect(ownAppMatcher([])('anything')).toBe(false);
  });

  it('files the list, all but the patterns left out, under categories of the closed set', () => {
    expect(Object.keys(BOT_PATTERNS).every((c) => (BOT_CATEGORIES as readonly string[]).includes(c))).toBe(true);
    expect(Object.values(BOT_PATTERNS).flat()).toHaveLength(1499);
  });

  it('calls a bot only what isbot calls a bot, apart from an empty agent and the app HTTP stacks', () => {
    for (const [, userAgent] of [...BOTS, ...BROWSERS_AND_APPS]) {
      const appStack = /okhttp|Dalvik|CFNetwork/.test(userAgent);
      if (!appStack) expect([userAgent, classifyBot(userAgent).isBot]).toEqual([userAgent, isbot(userAgent)]);
    }
  });
});

describe('OWN_APP_USER_AGENTS', () => {
  const OWN_APP_USER_AGENTS = TRANSFORM_SETTINGS.ownAppUserAgents;
  const read = (value: string | undefined) =>
    readVariables({ OWN_APP_USER_AGENTS: value }, { ownApps: OWN_APP_USER_AGENTS }, (_v, m) => new Error(m)).ownApps;

  it('reads a comma-separated list of substrings, keeping their case, none by default', () => {
    expect(read('ShopApp/, shop-sync ,')).toEqual(['ShopApp/', 'shop-sync']);
    expect(read(undefined)).toEqual([]);
    expect(classifyBot('shop-sync/2.0 (okhttp) curl/8.5.0', read('ShopApp/, shop-sync')).isBot).toBe(false);
  });

  it('writes the list back as the variable carries it', () => {
    expect(OWN_APP_USER_AGENTS.text(['ShopApp/', 'shop-sync'])).toBe('ShopApp/,shop-sync');
  });

  it("is the transform's setting: loadConfig reads it", () => {
    expect(loadConfig({ OWN_APP_USER_AGENTS: 'ShopApp/' }).ownAppUserAgents).toEqual(['ShopApp/']);
  });
});

describe('DROP_BOTS', () => {
  it('names bot categories, none by default, and refuses anything else with the categories it takes', () => {
    expect([...loadConfig({}).dropBots]).toEqual([]);
    expect([...loadConfig({ DROP_BOTS: 'monitoring, http_library' }).dropBots]).toEqual(['monitoring', 'http_library']);
    expect(() => loadConfig({ DROP_BOTS: 'true' })).toThrow(
      /DROP_BOTS must be some of ai_assistant, .*, no_user_agent, separated by commas; got "true"/,
    );
  });
});

describe("classifyBot on any agent up to the contract's 1,024 characters", () => {
  const agent = fc.oneof(
    fc.string({ maxLength: 1024 }),
    fc
      .array(fc.constantFrom(...BOTS.map(([, ua]) => ua), CHROME_WIN, ' ', '/', 'bot', 'http://x.example/'), { maxLength: 20 })
      .map((parts) => parts.join('').slice(0, 1024)),
  );

  it('has a category exactly when it is a bot, and a name only then, taken from the agent', () => {
    fc.assert(
      fc.property(agent, (userAgent) => {
        const { isBot, botName, botCategory } = classifyBot(userAgent);
        expect(botCategory !== null).toBe(isBot);
        if (botName !== null) expect(isBot && userAgent.includes(botName)).toBe(true);
      }),
    );
  });
});
