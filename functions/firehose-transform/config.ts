/**
 * The firehose-transform's settings, declared once (default, values, reason, environment variable), and
 * read once from the environment and checked. The stack sets these variables; the local runtime passes them.
 */
import { USER_ID_KEY_SECRET_ARN, USER_ID_MODE } from '../shared/pseudonym';
import type { UserIdMode } from '../shared/pseudonym';
import { BOT_CATEGORIES } from '../shared/bot-categories';
import type { BotCategory } from '../shared/bot-categories';
import { choiceList, environmentOf, oneOf, readVariables, textList } from '../shared/settings';
import type { SettingValues } from '../shared/settings';
import { INTERNAL_HOSTS } from '../shared/traffic/internal-hosts';
import { DEFAULT_MAX_FUTURE_MS, MAX_EVENT_AGE_HOURS } from '../shared/validate-event';
import { IP_MODES } from './enrich/ip';
import type { IpMode } from './enrich/ip';
import { ConfigError } from './errors';
import type { TransformSettings } from './transform-batch';

export const TRANSFORM_SETTINGS = {
  /**
   * What the archive keeps of the client address: `anonymize` (/24 or /48), `full` or `omit`.
   * @default 'anonymize'
   */
  ipMode: oneOf<IpMode>({
    env: 'IP_MODE',
    default: 'anonymize',
    choices: IP_MODES,
    reason: 'a /24 or /48 network locates a visitor well enough for analytics without identifying them',
  }),
  /**
   * The bot categories whose events are dropped instead of archived (`bot_category`, enrich/bots.ts), e.g.
   * `monitoring,http_library`; none by default.
   * @default []
   */
  dropBots: choiceList<BotCategory>({
    env: 'DROP_BOTS',
    default: [],
    choices: BOT_CATEGORIES,
    reason:
      'bots are kept and named (is_bot, bot_name, bot_category), so a query can count or exclude them; a category is dropped only when named',
  }),
  /**
   * The user agents of this site's own apps, which bot classification never counts as bots: substrings
   * compared ignoring case, e.g. `ShopApp/,shop-sync`.
   * @default []
   */
  ownAppUserAgents: textList({
    env: 'OWN_APP_USER_AGENTS',
    default: [],
    what: "substrings of this site's own apps' user agents",
    reason: "an app's own agent can look like a script's (a library's name and version); list it so its events are never taken for a bot's",
  }),
  /**
   * This site's other hosts, whose referrals count as internal; the session-processor reads it too.
   * @default []
   */
  internalHosts: INTERNAL_HOSTS,
  /**
   * Oldest event accepted, in hours before its record's arrival (1 to 8760); both functions read it.
   * @default 72
   */
  maxEventAgeHours: MAX_EVENT_AGE_HOURS,
  /**
   * What the archive holds as a user's id: `keep` (as sent) or `hash` (HMAC-SHA-256 under a secret key); both
   * functions read it.
   * @default 'keep'
   */
  userIdMode: USER_ID_MODE,
} as const;

export type TransformSettingValues = SettingValues<typeof TRANSFORM_SETTINGS>;

/** Every variable the function reads, for the settings given. */
export function transformEnvironment(settings: TransformSettingValues): Record<string, string> {
  return environmentOf(TRANSFORM_SETTINGS, settings);
}

/** The transform's configuration: the settings of each batch, and where the user-id key comes from. */
export interface TransformConfig extends TransformSettings {
  readonly userIdMode: UserIdMode;
  /** The secret holding the key in `hash` mode (the stack sets it); the handler's overrides may give the key instead. */
  readonly userIdKeySecretArn: string | undefined;
}

/** Reads and validates the configuration; throws {@link ConfigError} naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TransformConfig {
  const settings = readVariables(env, TRANSFORM_SETTINGS, (variable, message) => new ConfigError(variable, message));
  return {
    ipMode: settings.ipMode,
    dropBots: new Set(settings.dropBots),
    ownAppUserAgents: settings.ownAppUserAgents,
    internalHosts: new Set(settings.internalHosts),
    bounds: { maxAgeMs: settings.maxEventAgeHours * 3_600_000, maxFutureMs: DEFAULT_MAX_FUTURE_MS },
    userIdMode: settings.userIdMode,
    userIdKeySecretArn: env[USER_ID_KEY_SECRET_ARN]?.trim() || undefined,
  };
}
