/** The session-processor's settings, read once from the environment and checked. */
import { DEFAULT_MAX_FUTURE_MS } from '../shared/validate-event';
import type { EventTimeBounds } from '../shared/validate-event';
import { ConfigError } from './errors';
import type { Lifetimes } from './item-codec';
import type { SessionRules } from './sessionize';

export interface SessionProcessorConfig extends Lifetimes {
  readonly sessionsTable: string;
  readonly metricsTable: string;
  readonly rules: SessionRules;
  readonly bounds: EventTimeBounds;
}

const MINUTE = 60_000;

/** Environment variables and their defaults; the stack sets them, the local runtime passes the same names. */
export const CONFIG_DEFAULTS = {
  SESSION_TIMEOUT_MINUTES: 30,
  METRICS_WINDOW_MINUTES: 5,
  SESSION_TTL_DAYS: 7,
  METRICS_TTL_DAYS: 90,
  /** GA4's Measurement Protocol accepts events up to 72 hours old; so do we by default. */
  MAX_EVENT_AGE_HOURS: 72,
  JOURNEY_MAX_PAGES: 50,
  /**
   * Bounds of one session (Adobe Analytics ends a visit after 12 hours or 2,500 hits). The state item keeps an
   * 8-byte fingerprint per event of the current session: 1,000 events are 8 KB of a 400 KB item, and a
   * replay of any input is then recognised whole. A bot or a stuck client cannot grow one session forever.
   */
  SESSION_MAX_EVENTS: 1000,
  SESSION_MAX_HOURS: 12,
} as const;

/** Reads and validates the configuration; throws {@link ConfigError} naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SessionProcessorConfig {
  const windowMinutes = integer(env, 'METRICS_WINDOW_MINUTES', 1, 1440);
  if (1440 % windowMinutes !== 0) {
    throw new ConfigError('METRICS_WINDOW_MINUTES', `METRICS_WINDOW_MINUTES must divide a day (1440 minutes) so windows align; got ${windowMinutes}`);
  }
  return {
    sessionsTable: required(env, 'SESSIONS_TABLE'),
    metricsTable: required(env, 'METRICS_TABLE'),
    sessionTtlDays: integer(env, 'SESSION_TTL_DAYS', 1, 3650),
    metricsTtlDays: integer(env, 'METRICS_TTL_DAYS', 1, 3650),
    rules: {
      timeoutMs: integer(env, 'SESSION_TIMEOUT_MINUTES', 1, 1440) * MINUTE,
      windowMs: windowMinutes * MINUTE,
      journeyMaxPages: integer(env, 'JOURNEY_MAX_PAGES', 1, 500),
      maxSessionEvents: integer(env, 'SESSION_MAX_EVENTS', 10, 5000),
      maxSessionMs: integer(env, 'SESSION_MAX_HOURS', 1, 48) * 60 * MINUTE,
    },
    bounds: {
      maxAgeMs: integer(env, 'MAX_EVENT_AGE_HOURS', 1, 24 * 365) * 60 * MINUTE,
      maxFutureMs: DEFAULT_MAX_FUTURE_MS,
    },
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(name, `${name} is not set: set it to the name of the DynamoDB table (the stack does this for the deployed function)`);
  }
  return value.trim();
}

function integer(env: NodeJS.ProcessEnv, name: keyof typeof CONFIG_DEFAULTS, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return CONFIG_DEFAULTS[name];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}`);
  }
  return value;
}
