/** User-agent parsing (ua-parser-js) and bot detection (isbot), cached: the same few hundred agents repeat. */
import { isbot } from 'isbot';
import UAParser from 'ua-parser-js';

export interface UserAgentInfo {
  readonly browser: string | null;
  readonly browserVersion: string | null;
  readonly os: string | null;
  readonly osVersion: string | null;
  /** ua-parser-js's type, `desktop` when it names none, `bot` for crawlers. */
  readonly deviceType: string | null;
  readonly deviceVendor: string | null;
  readonly deviceModel: string | null;
  readonly isBot: boolean;
}

const NONE: UserAgentInfo = {
  browser: null,
  browserVersion: null,
  os: null,
  osVersion: null,
  deviceType: null,
  deviceVendor: null,
  deviceModel: null,
  isBot: false,
};

/** A parse cache with a bound: when full, the oldest entry goes (Map keeps insertion order). */
export class UserAgentCache {
  private readonly entries = new Map<string, UserAgentInfo>();

  constructor(private readonly capacity = 2000) {}

  lookup(userAgent: string | undefined): UserAgentInfo {
    if (userAgent === undefined || userAgent === '') return NONE;
    const cached = this.entries.get(userAgent);
    if (cached) return cached;
    const info = parseUserAgent(userAgent);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(userAgent, info);
    return info;
  }
}

/** Parses one user agent; no cache. */
export function parseUserAgent(userAgent: string): UserAgentInfo {
  const r = new UAParser(userAgent).getResult();
  const bot = isbot(userAgent);
  const device = r.device.type ?? (r.os.name || r.browser.name ? 'desktop' : null);
  return {
    browser: r.browser.name ?? null,
    browserVersion: r.browser.version ?? null,
    os: r.os.name ?? null,
    osVersion: r.os.version ?? null,
    deviceType: bot ? 'bot' : device,
    deviceVendor: r.device.vendor ?? null,
    deviceModel: r.device.model ?? null,
    isBot: bot,
  };
}
