/**
 * Named bot classification: whether a user agent is a bot, which one and of what kind. Rules, in order:
 * 1. the site's own apps (a setting) are never bots;
 * 2. no user agent (absent, empty or blank) is a bot of category `no_user_agent`: every browser sends one;
 * 3. the HTTP stacks native apps send by default (okhttp, Dalvik, CFNetwork) are not bots;
 * 4. isbot's rules decide the rest; for a bot, crawler-user-agents' named patterns give a name and a category,
 *    and a bot they do not name is of category `other`.
 * isbot decides first because it is fast (one prepared pattern, a few µs on a browser's agent, the common case);
 * one alternation of the list's 1,500 patterns took milliseconds per agent, and trying them one by one about 85 µs.
 * The price: the few list entries isbot does not flag are not bots here.
 */
import { isbotMatch } from 'isbot';
import type { BotCategory } from '../../shared/bot-categories';
import { BOT_PATTERNS } from './bot-patterns.generated';

export type { BotCategory } from '../../shared/bot-categories';

export interface BotClassification {
  readonly isBot: boolean;
  /** The bot's name as its user agent writes it (`Googlebot`, `GPTBot`, `curl`); null when not a bot or not named. */
  readonly botName: string | null;
  /** Null exactly when `isBot` is false. */
  readonly botCategory: BotCategory | null;
}

/** The site's own apps: substrings of their user agents (compared ignoring case), or a test of a user agent. */
export type OwnApps = readonly string[] | ((userAgent: string) => boolean);

const NOT_A_BOT: BotClassification = { isBot: false, botName: null, botCategory: null };
const NO_USER_AGENT: BotClassification = { isBot: true, botName: null, botCategory: 'no_user_agent' };

/**
 * Android's okhttp and Dalvik, and iOS's CFNetwork (`App/1.0 CFNetwork/1410 Darwin/22.6`): what a native app sends
 * unless it sets its own agent. The list and isbot count okhttp as a script, which would drop an app's events.
 */
const APP_HTTP_CLIENTS = /(?:^|[\s;(])okhttp\/|^Dalvik\/|\bCFNetwork\/[\d.]+ Darwin\//;

/** The patterns with their categories, in the order tried: categories in BOT_CATEGORIES order, then the list's. */
const NAMED: ReadonlyArray<readonly [RegExp, BotCategory]> = Object.entries(BOT_PATTERNS).flatMap(([category, patterns]) =>
  patterns.map((p) => [new RegExp(p), category as BotCategory] as const),
);

/** A name's characters: what product tokens (`Go-http-client/1.1`, `Pingdom.com_bot`) are made of, up to the version. */
const TOKEN = /[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z0-9]/g;

/** Words that name no particular bot: isbot's generic matches, and the boilerplate of browser-like agents. */
const GENERIC = new Set([
  'bot',
  'bots',
  'crawler',
  'spider',
  'scraper',
  'agent',
  'user',
  'node',
  'http',
  'https',
  'www',
  'mozilla',
  'compatible',
]);

const ownAppTests = new WeakMap<readonly string[], (userAgent: string) => boolean>();

/** A test for the own apps' substrings, compiled once per list (ignoring case; an empty list matches nothing). */
export function ownAppMatcher(substrings: readonly string[]): (userAgent: string) => boolean {
  let test = ownAppTests.get(substrings);
  if (test === undefined) {
    const listed = substrings.map((s) => s.trim()).filter((s) => s !== '');
    const re = listed.length === 0 ? undefined : new RegExp(listed.map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'i');
    test = re === undefined ? () => false : (userAgent) => re.test(userAgent);
    ownAppTests.set(substrings, test);
  }
  return test;
}

/** Classifies one user agent by the rules above; no cache (the transform's user-agent cache holds the results). */
export function classifyBot(userAgent: string | undefined, ownApps: OwnApps = []): BotClassification {
  const isOwnApp = typeof ownApps === 'function' ? ownApps : ownAppMatcher(ownApps);
  if (userAgent !== undefined && isOwnApp(userAgent)) return NOT_A_BOT;
  if (userAgent === undefined || userAgent.trim() === '') return NO_USER_AGENT;
  if (APP_HTTP_CLIENTS.test(userAgent)) return NOT_A_BOT;
  const generic = isbotMatch(userAgent);
  if (generic === null) return NOT_A_BOT;
  for (const [re, category] of NAMED) {
    const match = re.exec(userAgent);
    if (match) return { isBot: true, botName: nameOf(userAgent, match), botCategory: category };
  }
  return { isBot: true, botName: nameAround(userAgent, userAgent.indexOf(generic), generic.length), botCategory: 'other' };
}

/** A match inside a link (`+http://yandex.com/bots`): the bot's page, not its name. */
const IN_LINK = /(?:https?:\/\/|www\.)[^\s;()]*$/;
/** The name browser-like bots give after `compatible;` (`YandexBot` in `(compatible; YandexBot/3.0; +http://…)`). */
const COMPATIBLE_NAME = /compatible; ?([A-Za-z][A-Za-z0-9_.-]*)/;

/**
 * The first product token of the text a pattern matched, skipping generic words (`Googlebot/` gives `Googlebot`);
 * when the pattern matched the bot's link instead, the name after `compatible;`, if the agent gives one.
 */
function nameOf(userAgent: string, match: RegExpExecArray): string | null {
  // The match's first characters too, so that a pattern matching from `http` or `www.` on counts as in the link.
  const inLink = IN_LINK.test(userAgent.slice(0, match.index) + match[0].slice(0, 4));
  const named = inLink ? COMPATIBLE_NAME.exec(userAgent)?.[1] : undefined;
  if (named !== undefined && !GENERIC.has(named.toLowerCase())) return named;
  for (const [token] of match[0].matchAll(TOKEN)) if (!GENERIC.has(token.toLowerCase()) && /[A-Za-z]/.test(token)) return token;
  return null;
}

/** The product token of the agent that holds isbot's match, when it names something (`FooCrawler`, not `bot`). */
function nameAround(userAgent: string, at: number, length: number): string | null {
  for (const match of userAgent.matchAll(TOKEN)) {
    const end = match.index + match[0].length;
    if (end <= at) continue;
    if (match.index >= at + length) break;
    const token = match[0];
    if (!GENERIC.has(token.toLowerCase()) && /[A-Za-z]{2}/.test(token)) return token;
  }
  return null;
}
