/**
 * The session-processor's settings, declared once (default, range, reason, environment variable), and
 * read once from the environment and checked. The stack sets these variables; the local runtime passes them.
 */
import { USER_ID_KEY_SECRET_ARN, USER_ID_MODE } from '../shared/pseudonym';
import type { UserIdMode } from '../shared/pseudonym';
import { environmentOf, readVariables, wholeNumber } from '../shared/settings';
import type { SettingValues } from '../shared/settings';
import { INTERNAL_HOSTS } from '../shared/traffic/internal-hosts';
import { DEFAULT_MAX_FUTURE_MS, MAX_EVENT_AGE_HOURS } from '../shared/validate-event';
import type { EventTimeBounds } from '../shared/validate-event';
import { ConfigError } from './errors';
import type { Lifetimes } from './item-codec';
import type { SessionRules } from './sessionize';

export interface SessionProcessorConfig extends Lifetimes {
  readonly sessionsTable: string;
  readonly metricsTable: string;
  readonly rules: SessionRules;
  readonly bounds: EventTimeBounds;
  readonly userIdMode: UserIdMode;
  /** The secret holding the key in `hash` mode (the stack sets it); the handler's overrides may give the key instead. */
  readonly userIdKeySecretArn: string | undefined;
}

const MINUTE = 60_000;

/** The settings of the session rule, metrics windows and item lifetimes. */
export const SESSION_PROCESSOR_SETTINGS = {
  /**
   * Minutes of inactivity after which a user's next event starts a new session (1 to 1440).
   * @default 30
   */
  sessionTimeoutMinutes: wholeNumber({
    env: 'SESSION_TIMEOUT_MINUTES',
    default: 30,
    min: 1,
    max: 1440,
    reason: 'the inactivity timeout of GA4 and Adobe Analytics',
  }),
  /**
   * Length of a metrics window, minutes (1 to 1440, dividing a day).
   * @default 5
   */
  metricsWindowMinutes: wholeNumber({
    env: 'METRICS_WINDOW_MINUTES',
    default: 5,
    min: 1,
    max: 1440,
    divides: { total: 1440, why: 'a day (1440 minutes), so that windows align' },
    reason: 'fine enough for a live dashboard, coarse enough that a shard writes one item per window per batch',
  }),
  /**
   * Days after the last activity when sessions and user states expire (1 to 3650).
   * @default 7
   */
  sessionTtlDays: wholeNumber({
    env: 'SESSION_TTL_DAYS',
    default: 7,
    min: 1,
    max: 3650,
    reason: 'sessions are for recent journeys; the archive keeps every event',
  }),
  /**
   * Days after the window when metrics items expire (1 to 3650).
   * @default 90
   */
  metricsTtlDays: wholeNumber({
    env: 'METRICS_TTL_DAYS',
    default: 90,
    min: 1,
    max: 3650,
    reason: 'a quarter of windows for dashboards; Athena answers older questions',
  }),
  /**
   * Oldest event accepted, in hours before its record's arrival (1 to 8760); both functions read it.
   * @default 72
   */
  maxEventAgeHours: MAX_EVENT_AGE_HOURS,
  /**
   * What the stores hold as a user's id: `keep` (as sent) or `hash` (HMAC-SHA-256 under a secret key); both
   * functions read it.
   * @default 'keep'
   */
  userIdMode: USER_ID_MODE,
  /**
   * This site's other hosts, whose referrals count as internal when a session's channel is classified; both
   * functions read it, so sessions and archive rows agree.
   * @default []
   */
  internalHosts: INTERNAL_HOSTS,
  /**
   * Page views a session's journey keeps (1 to 500); the rest are counted in `journeyCut`.
   * @default 50
   */
  journeyMaxPages: wholeNumber({
    env: 'JOURNEY_MAX_PAGES',
    default: 50,
    min: 1,
    max: 500,
    reason: 'a journey longer than 50 pages is read in the archive, not in a session item',
  }),
  /**
   * Applied events a session holds at most (10 to 5000); the next later event starts a new session.
   * Bounds of one session (Adobe Analytics ends a visit after 12 hours or 2,500 hits). The state item keeps an
   * 8-byte fingerprint per event of the current session: 1,000 events are 8 KB of a 400 KB item, and a
   * replay of any input is then recognised whole. A bot or a stuck client cannot grow one session forever.
   * @default 1000
   */
  sessionMaxEvents: wholeNumber({
    env: 'SESSION_MAX_EVENTS',
    default: 1000,
    min: 10,
    max: 5000,
    reason: 'fingerprints of 1,000 events are 8 KB of the 400 KB item limit',
  }),
  /**
   * Longest span of a session, hours from its first event (1 to 48).
   * @default 12
   */
  sessionMaxHours: wholeNumber({
    env: 'SESSION_MAX_HOURS',
    default: 12,
    min: 1,
    max: 48,
    reason: 'Adobe Analytics ends a visit after 12 hours',
  }),
} as const;

export type SessionProcessorSettings = SettingValues<typeof SESSION_PROCESSOR_SETTINGS>;

/** The variables that name the tables; the stack sets them to the tables it creates. */
export const TABLE_VARIABLES = { sessionsTable: 'SESSIONS_TABLE', metricsTable: 'METRICS_TABLE' } as const;

/** Every variable the function reads, for the tables named and the settings given. */
export function sessionProcessorEnvironment(
  tables: { readonly sessionsTable: string; readonly metricsTable: string },
  settings: SessionProcessorSettings,
): Record<string, string> {
  return {
    [TABLE_VARIABLES.sessionsTable]: tables.sessionsTable,
    [TABLE_VARIABLES.metricsTable]: tables.metricsTable,
    ...environmentOf(SESSION_PROCESSOR_SETTINGS, settings),
  };
}

/** Reads and validates the configuration; throws {@link ConfigError} naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SessionProcessorConfig {
  const settings = readVariables(env, SESSION_PROCESSOR_SETTINGS, (variable, message) => new ConfigError(variable, message));
  return {
    sessionsTable: tableName(env, TABLE_VARIABLES.sessionsTable),
    metricsTable: tableName(env, TABLE_VARIABLES.metricsTable),
    sessionTtlDays: settings.sessionTtlDays,
    metricsTtlDays: settings.metricsTtlDays,
    rules: {
      timeoutMs: settings.sessionTimeoutMinutes * MINUTE,
      windowMs: settings.metricsWindowMinutes * MINUTE,
      journeyMaxPages: settings.journeyMaxPages,
      maxSessionEvents: settings.sessionMaxEvents,
      maxSessionMs: settings.sessionMaxHours * 60 * MINUTE,
      internalHosts: new Set(settings.internalHosts),
    },
    bounds: { maxAgeMs: settings.maxEventAgeHours * 60 * MINUTE, maxFutureMs: DEFAULT_MAX_FUTURE_MS },
    userIdMode: settings.userIdMode,
    userIdKeySecretArn: env[USER_ID_KEY_SECRET_ARN]?.trim() || undefined,
  };
}

function tableName(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(
      name,
      `${name} is not set: set it to the name of the DynamoDB table (the stack does this for the deployed function)`,
    );
  }
  return value.trim();
}
