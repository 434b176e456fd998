/**
 * User-agent parsing (ua-parser-js) and bot classification (bots.ts), cached: the same few hundred agents repeat.
 * Each result carries its archive columns as JSON text, so that a row writes them without serialising them again.
 */
import UAParser from 'ua-parser-js';
import { classifyBot } from './bots';
import type { BotCategory } from './bots';
import { jsonMembers } from './json-members';

export interface UserAgentInfo {
  readonly browser: string | null;
  readonly browserVersion: string | null;
  readonly os: string | null;
  readonly osVersion: string | null;
  /** ua-parser-js's type, `desktop` when it names none, `bot` for bots. */
  readonly deviceType: string | null;
  readonly deviceVendor: string | null;
  readonly deviceModel: string | null;
  readonly isBot: boolean;
  readonly botName: string | null;
  /** Null exactly when `isBot` is false. */
  readonly botCategory: BotCategory | null;
  /** The columns `ua_browser` to `bot_category` as JSON members, each after a comma. */
  readonly columns: string;
}

/** The default list of own apps: one object, so that the cache below keeps its entries across calls. */
const NO_APPS: readonly string[] = [];

/**
 * A parse cache with a bound: when full, the oldest entry goes (Map keeps insertion order). Its entries hold
 * for one list of the site's own apps; another list (a test's) starts the cache again.
 */
export class UserAgentCache {
  private readonly entries = new Map<string | undefined, UserAgentInfo>();
  private ownApps: readonly string[] | undefined;

  constructor(private readonly capacity = 2000) {}

  lookup(userAgent: string | undefined, ownApps: readonly string[] = NO_APPS): UserAgentInfo {
    if (ownApps !== this.ownApps) {
      this.entries.clear();
      this.ownApps = ownApps;
    }
    const cached = this.entries.get(userAgent);
    if (cached) return cached;
    const info = parseUserAgent(userAgent, ownApps);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value);
    this.entries.set(userAgent, info);
    return info;
  }
}

/** Parses one user agent (absent or empty: no browser, a bot of category `no_user_agent`); no cache. */
export function parseUserAgent(userAgent: string | undefined, ownApps: readonly string[] = []): UserAgentInfo {
  const bot = classifyBot(userAgent, ownApps);
  const r = userAgent === undefined || userAgent === '' ? undefined : new UAParser(userAgent).getResult();
  const device = r?.device.type ?? (r?.os.name || r?.browser.name ? 'desktop' : null);
  const info = {
    browser: r?.browser.name ?? null,
    browserVersion: r?.browser.version ?? null,
    os: r?.os.name ?? null,
    osVersion: r?.os.version ?? null,
    deviceType: bot.isBot && r !== undefined ? 'bot' : device,
    deviceVendor: r?.device.vendor ?? null,
    deviceModel: r?.device.model ?? null,
    isBot: bot.isBot,
    botName: bot.botName,
    botCategory: bot.botCategory,
  };
  return {
    ...info,
    columns: jsonMembers({
      ua_browser: info.browser,
      ua_browser_version: info.browserVersion,
      ua_os: info.os,
      ua_os_version: info.osVersion,
      ua_device_type: info.deviceType,
      ua_device_vendor: info.deviceVendor,
      ua_device_model: info.deviceModel,
      is_bot: info.isBot,
      bot_name: info.botName,
      bot_category: info.botCategory,
    }),
  };
}
