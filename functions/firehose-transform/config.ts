/**
 * The firehose-transform's settings, declared once (default, values, reason, environment variable), and
 * read once from the environment and checked. The stack sets these variables; the local runtime passes them.
 */
import { environmentOf, hostList, oneOf, readVariables, yesOrNo } from '../shared/settings';
import type { SettingValues } from '../shared/settings';
import { DEFAULT_MAX_FUTURE_MS, MAX_EVENT_AGE_HOURS } from '../shared/validate-event';
import { IP_MODES } from './enrich/ip';
import type { IpMode } from './enrich/ip';
import { ConfigError } from './errors';
import type { TransformSettings } from './transform-batch';

export const TRANSFORM_SETTINGS = {
  ipMode: oneOf<IpMode>({ env: 'IP_MODE', default: 'anonymize', choices: IP_MODES, reason: 'a /24 or /48 network locates a visitor well enough for analytics without identifying them' }),
  dropBots: yesOrNo({ env: 'DROP_BOTS', default: false, reason: 'bots are kept and flagged (is_bot), so a query can count or exclude them' }),
  internalHosts: hostList({
    env: 'INTERNAL_HOSTS',
    default: [],
    reason: "the page's own host is always internal; list this site's other hosts so that moving between them is not a referral",
  }),
  maxEventAgeHours: MAX_EVENT_AGE_HOURS,
} as const;

export type TransformSettingValues = SettingValues<typeof TRANSFORM_SETTINGS>;

/** Every variable the function reads, for the settings given. */
export function transformEnvironment(settings: TransformSettingValues): Record<string, string> {
  return environmentOf(TRANSFORM_SETTINGS, settings);
}

/** Reads and validates the configuration; throws {@link ConfigError} naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TransformSettings {
  const settings = readVariables(env, TRANSFORM_SETTINGS, (variable, message) => new ConfigError(variable, message));
  return {
    ipMode: settings.ipMode,
    dropBots: settings.dropBots,
    internalHosts: new Set(settings.internalHosts),
    bounds: { maxAgeMs: settings.maxEventAgeHours * 3_600_000, maxFutureMs: DEFAULT_MAX_FUTURE_MS },
  };
}
