/**
 * The dashboard's JSON API, declared once: the server (local/dashboard) answers these shapes and the page
 * (dashboard/src) reads them. Types and constants only: the page bundles this file.
 *
 * Every endpoint is `GET /api/<name>?from=<ISO-8601>&to=<ISO-8601>`: the half-open range [from, to). Panels
 * read from the sessions and metrics tables by exact time, and from the archive (named queries) by the UTC
 * dates the range touches, since the archive is partitioned by day.
 */

/** The ranges the page offers besides a custom one; `?range=24h` in the page's URL. */
export const RANGE_PRESETS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

/** Endpoint paths, under `/api/`. */
export const API_PATHS = {
  summary: '/api/summary',
  windows: '/api/windows',
  pages: '/api/pages',
  traffic: '/api/traffic',
  funnel: '/api/funnel',
  sessions: '/api/sessions',
  health: '/api/health',
  /** What the server reads: `local` or a stack's name, and whether it refreshes (`clickstream up`). */
  about: '/api/about',
} as const;

/** The range an answer covers, as the server read it. */
export interface RangeEcho {
  readonly from: string;
  readonly to: string;
  /** The UTC dates the archive panels read (first and last, inclusive). */
  readonly fromDate: string;
  readonly toDate: string;
}

/** Headline tiles. Sessions are those that started in the range; windows those that start in it. */
export interface SummaryResponse {
  readonly range: RangeEcho;
  /** Valid events counted in the range's 5-minute windows (every type). */
  readonly events: number;
  readonly sessions: number;
  /** Distinct users of the sessions that started in the range. */
  readonly activeUsers: number;
  /** Conversion events in the range's windows. */
  readonly conversions: number;
  /** Revenue of those conversions. */
  readonly revenue: number;
  /** Converted sessions / sessions; null without sessions. */
  readonly conversionRate: number | null;
  /** Median of (last activity − start) over the sessions, in seconds; null without sessions. */
  readonly medianSessionSeconds: number | null;
  /** Sessions with exactly one page view / sessions; null without sessions. */
  readonly bounceRate: number | null;
}

/** One 5-minute window, all shards together. */
export interface WindowPoint {
  readonly start: string;
  readonly eventsByType: Readonly<Record<string, number>>;
  readonly activeUsers: number;
}

export interface WindowsResponse {
  readonly range: RangeEcho;
  /** Every event type seen in the range, sorted. */
  readonly eventTypes: readonly string[];
  /** Windows in time order; windows without events are absent. */
  readonly windows: readonly WindowPoint[];
}

export interface PageCount {
  readonly page: string;
  readonly count: number;
}

export interface PagesResponse {
  readonly range: RangeEcho;
  /** Page views by page path over the range's windows, most first (at most 20). */
  readonly top: readonly PageCount[];
  /** Sessions by landing page, most first (at most 20). */
  readonly landing: readonly PageCount[];
  /** Sessions by exit page, most first (at most 20). */
  readonly exit: readonly PageCount[];
}

/** Rows of a named query, as the engine gave them (numbers as numbers). */
export type QueryRow = Readonly<Record<string, string | number | boolean | null>>;

export interface TrafficResponse {
  readonly range: RangeEcho;
  /** `traffic_channels.sql`. */
  readonly channels: readonly QueryRow[];
  /** `devices_and_browsers.sql`. */
  readonly devices: readonly QueryRow[];
  /**
   * `countries.sql`: `country` (ISO 3166-1 alpha-2, `(unknown)` without one), `users`, `events`, `users_percent`
   * (each country's share of the users, to one decimal), most users first; bots left out. IP geolocation by DB-IP
   * (CC BY 4.0): a page that shows these rows links to https://db-ip.com.
   */
  readonly countries: readonly QueryRow[];
}

/** The credit DB-IP's licence (CC BY 4.0) asks for wherever `countries.sql`'s rows are shown, and where it links. */
export const DBIP_ATTRIBUTION = { text: 'IP geolocation by DB-IP', href: 'https://db-ip.com' } as const;

export interface FunnelStep {
  readonly step: 'page_view' | 'form_submit' | 'conversion';
  readonly sessions: number;
  /** Share of the previous step's sessions that did not reach this one; null on the first step. */
  readonly dropOff: number | null;
}

export interface FunnelResponse {
  readonly range: RangeEcho;
  /** `funnel.sql`. */
  readonly steps: readonly FunnelStep[];
}

/** A session as `clickstream export sessions` gives it. */
export interface SessionRow {
  readonly user_id: string;
  readonly session_id: string;
  readonly start_time: string;
  readonly last_activity_time: string;
  readonly event_count: number;
  readonly page_views: number;
  readonly landing_page: string;
  readonly exit_page: string;
  /** GA4's default channel group of the session (a direct session inherits the last non-direct one); null for sessions stored before. */
  readonly channel: string | null;
  readonly converted: boolean;
  readonly revenue: number;
  readonly journey: readonly string[];
}

export interface SessionsResponse {
  readonly range: RangeEcho;
  /** Sessions that started in the range, newest first (at most 50), of `?user=` when given. */
  readonly sessions: readonly SessionRow[];
  /** All that matched. */
  readonly total: number;
  /**
   * All that matched, by channel (GA4's last non-direct attribution, as the sessions carry it), most sessions
   * first; `(none)` for sessions stored before sessions had a channel.
   */
  readonly channels: readonly ChannelSessions[];
}

export interface ChannelSessions {
  readonly channel: string;
  readonly sessions: number;
  readonly conversions: number;
  readonly revenue: number;
}

export interface HealthResponse {
  readonly range: RangeEcho;
  /** Records refused by the contract in the range's windows (by arrival time), by reason. */
  readonly refusedByReason: Readonly<Record<string, number>>;
  readonly refused: number;
  readonly duplicates: number;
  readonly late: number;
  /** Objects the archive holds for the range's dates (data and error objects). */
  readonly archiveObjects: number;
  /** Newest event time seen on each path, whatever the range; null when none. */
  readonly newestSessionEvent: string | null;
  readonly newestArchiveEvent: string | null;
}

export interface AboutResponse {
  /** `local (…data dir…)` or `stack <name> (<region>)`. */
  readonly source: string;
  /** Seconds between refreshes while the pipeline runs here; null: no refresh. */
  readonly refreshSeconds: number | null;
  /** The newest event time on either path, so that the page can offer a range that holds data. */
  readonly newestEvent: string | null;
}
