/** The firehose-transform's settings, read once from the environment and checked. */
import { DEFAULT_MAX_FUTURE_MS } from '../shared/validate-event';
import { IP_MODES } from './enrich/ip';
import type { IpMode } from './enrich/ip';
import { ConfigError } from './errors';
import type { TransformSettings } from './transform-batch';

export const TRANSFORM_DEFAULTS = {
  IP_MODE: 'anonymize',
  DROP_BOTS: 'false',
  INTERNAL_HOSTS: '',
  MAX_EVENT_AGE_HOURS: '72',
} as const;

/** Reads and validates the configuration; throws {@link ConfigError} naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TransformSettings {
  const get = (name: keyof typeof TRANSFORM_DEFAULTS) => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? TRANSFORM_DEFAULTS[name] : v.trim();
  };
  const ipMode = get('IP_MODE');
  if (!(IP_MODES as readonly string[]).includes(ipMode)) {
    throw new ConfigError('IP_MODE', `IP_MODE must be one of ${IP_MODES.join(', ')}; got ${JSON.stringify(ipMode)}`);
  }
  const dropBots = get('DROP_BOTS');
  if (dropBots !== 'true' && dropBots !== 'false') throw new ConfigError('DROP_BOTS', `DROP_BOTS must be true or false; got ${JSON.stringify(dropBots)}`);
  const maxAge = Number(get('MAX_EVENT_AGE_HOURS'));
  if (!Number.isInteger(maxAge) || maxAge < 1 || maxAge > 24 * 365) {
    throw new ConfigError('MAX_EVENT_AGE_HOURS', `MAX_EVENT_AGE_HOURS must be a whole number from 1 to 8760; got ${JSON.stringify(get('MAX_EVENT_AGE_HOURS'))}`);
  }
  const hosts = get('INTERNAL_HOSTS').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  return {
    ipMode: ipMode as IpMode,
    dropBots: dropBots === 'true',
    internalHosts: new Set(hosts),
    bounds: { maxAgeMs: maxAge * 3_600_000, maxFutureMs: DEFAULT_MAX_FUTURE_MS },
  };
}
