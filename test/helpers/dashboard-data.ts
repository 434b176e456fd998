/**
 * A small generated clickstream for the dashboard's browser tests, and the dashboard API's answers computed from it
 * as `dashboard/api.ts` declares them: the fake server answers with these, and the tests expect the same figures.
 */
import { API_PATHS } from '../../dashboard/api';
import type {
  AboutResponse,
  FunnelResponse,
  HealthResponse,
  PageCount,
  PagesResponse,
  QueryRow,
  RangeEcho,
  SessionRow,
  SessionsResponse,
  SummaryResponse,
  TrafficResponse,
  WindowsResponse,
} from '../../dashboard/api';

const WINDOW_MS = 300_000;
const DAY_MS = 86_400_000;

export interface FakeEvent {
  readonly time: number;
  readonly type: 'page_view' | 'click' | 'form_submit' | 'conversion';
  readonly page: string;
  readonly userId: string;
  readonly sessionId: string;
  readonly revenue?: number;
  readonly device: string;
  readonly os: string;
  readonly browser: string;
  /** The archive's `geo_country`: ISO 3166-1 alpha-2, null when the address has none. */
  readonly country: string | null;
}

export interface FakeSession {
  readonly userId: string;
  readonly sessionId: string;
  readonly start: number;
  readonly last: number;
  readonly channel: string;
  readonly source: string;
  readonly events: readonly FakeEvent[];
}

export interface FakeDataset {
  readonly sessions: readonly FakeSession[];
}

export interface DatasetOptions {
  /** Every session ends before this time. */
  readonly end: number;
  /** Sessions spread over this many days before `end`. */
  readonly days?: number;
  readonly sessions?: number;
  /** Of those, how many start in the last hour before `end`. */
  readonly recent?: number;
  readonly users?: number;
  readonly seed?: number;
  /** Prefix of session ids, so that sessions added later do not collide. */
  readonly idPrefix?: string;
}

/** A small, seeded pseudo-random generator (mulberry32): the same options give the same data set. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const LANDING = ['/', '/products', '/blog/launch', '/pricing'];
const PAGES = ['/', '/products', '/products/espresso', '/products/grinder', '/cart', '/checkout', '/about', '/pricing'];
const CHANNELS = [
  ['direct', '(direct)'],
  ['organic_search', 'google'],
  ['paid_search', 'google'],
  ['referral', 'news.example'],
  ['email', 'newsletter'],
] as const;
const DEVICES = [
  ['desktop', 'Linux', 'Chrome'],
  ['desktop', 'Windows', 'Edge'],
  ['mobile', 'iOS', 'Mobile Safari'],
  ['mobile', 'Android', 'Chrome'],
  ['tablet', 'iOS', 'Mobile Safari'],
] as const;

/**
 * The country of user N (N modulo the list's length): many in a few countries, one or two in each of the others, and
 * some without a country, so that the countries panel has more than its top ten and an unknown row.
 */
// prettier-ignore
const USER_COUNTRIES = [
  'US', 'US', 'US', 'US', 'US', 'US', 'DE', 'DE', 'DE', 'GB', 'GB', 'IN', 'FR', 'BR', 'JP',
  'CA', 'NL', 'AU', 'SE', 'ES', 'IT', 'MX', 'KR', 'PL', 'CH', 'BE', null, null, 'ZA', 'NZ',
] as const;

/** Sessions of a few users over the days before `end`, each a run of page views, clicks, forms and conversions. */
export function generateDataset(options: DatasetOptions): FakeDataset {
  const { end, days = 8, sessions = 160, recent = 20, users = 30, seed = 1, idPrefix = 's' } = options;
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const out: FakeSession[] = [];
  for (let i = 0; i < sessions; i++) {
    // Recent sessions start 55 to 10 minutes before the end; the others anywhere in the days before it.
    const start = Math.round(i < recent ? end - 3_300_000 + rand() * 2_700_000 : end - 600_000 - rand() * (days * DAY_MS - 600_000));
    const user = Math.floor(rand() * users);
    const userId = `user-${String(user).padStart(3, '0')}`;
    const country = USER_COUNTRIES[user % USER_COUNTRIES.length]!;
    const sessionId = `${idPrefix}-${String(i).padStart(4, '0')}`;
    const [channel, source] = pick(CHANNELS);
    const [device, os, browser] = pick(DEVICES);
    const events: FakeEvent[] = [];
    let t = start;
    const add = (type: FakeEvent['type'], page: string, revenue?: number) =>
      events.push({ time: t, type, page, userId, sessionId, device, os, browser, country, ...(revenue === undefined ? {} : { revenue }) });
    const views = 1 + Math.floor(rand() * 5);
    for (let v = 0; v < views; v++) {
      if (v > 0) t += 15_000 + Math.floor(rand() * 75_000);
      add('page_view', v === 0 ? pick(LANDING) : pick(PAGES));
      if (rand() < 0.5) {
        t += 5_000;
        add('click', events[events.length - 1]!.page);
      }
    }
    const lastPage = events[events.length - 1]!.page;
    if (rand() < 0.45) {
      t += 20_000;
      add('form_submit', lastPage);
      if (rand() < 0.55) {
        t += 30_000;
        add('conversion', lastPage, Math.round((10 + rand() * 190) * 100) / 100);
      }
    }
    out.push({ userId, sessionId, start, last: t, channel, source, events });
  }
  return { sessions: out };
}

/** A data set with nothing in it. */
export const EMPTY_DATASET: FakeDataset = { sessions: [] };

/** The newest event time of `data`, or undefined. */
export function newestEventMs(data: FakeDataset): number | undefined {
  const times = data.sessions.map((s) => s.last);
  return times.length ? Math.max(...times) : undefined;
}

// ---- The API's answers ----

export interface Range {
  readonly from: number;
  readonly to: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const round2 = (n: number) => Math.round(n * 100) / 100;
const inRange = (ms: number, r: Range) => ms >= r.from && ms < r.to;
/** Events whose 5-minute window starts in the range. */
const windowEvents = (data: FakeDataset, r: Range) =>
  data.sessions.flatMap((s) => s.events).filter((e) => inRange(Math.floor(e.time / WINDOW_MS) * WINDOW_MS, r));
const startedIn = (data: FakeDataset, r: Range) => data.sessions.filter((s) => inRange(s.start, r));
const converted = (s: FakeSession) => s.events.some((e) => e.type === 'conversion');
const pageViews = (s: FakeSession) => s.events.filter((e) => e.type === 'page_view');

export function rangeEcho(r: Range): RangeEcho {
  return { from: iso(r.from), to: iso(r.to), fromDate: iso(r.from).slice(0, 10), toDate: iso(r.to - 1).slice(0, 10) };
}

/** Sessions whose start falls on the UTC days the range touches (the archive is read by day). */
const onDays = (data: FakeDataset, r: Range) => {
  const { fromDate, toDate } = rangeEcho(r);
  return data.sessions.filter((s) => {
    const day = iso(s.start).slice(0, 10);
    return day >= fromDate && day <= toDate;
  });
};

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summaryOf(data: FakeDataset, r: Range): SummaryResponse {
  const events = windowEvents(data, r);
  const sessions = startedIn(data, r);
  const conversions = events.filter((e) => e.type === 'conversion');
  const n = sessions.length;
  return {
    range: rangeEcho(r),
    events: events.length,
    sessions: n,
    activeUsers: new Set(sessions.map((s) => s.userId)).size,
    conversions: conversions.length,
    revenue: round2(conversions.reduce((sum, e) => sum + (e.revenue ?? 0), 0)),
    conversionRate: n ? sessions.filter(converted).length / n : null,
    medianSessionSeconds: median(sessions.map((s) => (s.last - s.start) / 1000)),
    bounceRate: n ? sessions.filter((s) => pageViews(s).length === 1).length / n : null,
  };
}

export function windowsOf(data: FakeDataset, r: Range): WindowsResponse {
  const byStart = new Map<number, { counts: Record<string, number>; users: Set<string> }>();
  for (const e of windowEvents(data, r)) {
    const start = Math.floor(e.time / WINDOW_MS) * WINDOW_MS;
    const w = byStart.get(start) ?? { counts: {}, users: new Set<string>() };
    w.counts[e.type] = (w.counts[e.type] ?? 0) + 1;
    w.users.add(e.userId);
    byStart.set(start, w);
  }
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  return {
    range: rangeEcho(r),
    eventTypes: [...new Set(windowEvents(data, r).map((e) => e.type))].sort(),
    windows: starts.map((start) => ({
      start: iso(start),
      eventsByType: byStart.get(start)!.counts,
      activeUsers: byStart.get(start)!.users.size,
    })),
  };
}

function ranked(keys: string[]): PageCount[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts]
    .map(([page, count]) => ({ page, count }))
    .sort((a, b) => b.count - a.count || a.page.localeCompare(b.page))
    .slice(0, 20);
}

export function pagesOf(data: FakeDataset, r: Range): PagesResponse {
  const sessions = startedIn(data, r);
  return {
    range: rangeEcho(r),
    top: ranked(
      windowEvents(data, r)
        .filter((e) => e.type === 'page_view')
        .map((e) => e.page),
    ),
    landing: ranked(sessions.map((s) => pageViews(s)[0]!.page)),
    exit: ranked(sessions.map((s) => pageViews(s).pop()!.page)),
  };
}

export function trafficOf(data: FakeDataset, r: Range): TrafficResponse {
  const channels = new Map<string, { channel: string; source: string; sessions: number; conversions: number; revenue: number }>();
  const devices = new Map<string, { device_type: string; os: string; browser: string; users: Set<string>; events: number }>();
  const countries = new Map<string, { users: Set<string>; events: number }>();
  for (const s of onDays(data, r)) {
    const key = `${s.channel}\n${s.source}`;
    const c = channels.get(key) ?? { channel: s.channel, source: s.source, sessions: 0, conversions: 0, revenue: 0 };
    c.sessions += 1;
    c.conversions += converted(s) ? 1 : 0;
    c.revenue = round2(c.revenue + s.events.reduce((sum, e) => sum + (e.revenue ?? 0), 0));
    channels.set(key, c);
    for (const e of s.events) {
      const dkey = `${e.device}\n${e.os}\n${e.browser}`;
      const d = devices.get(dkey) ?? { device_type: e.device, os: e.os, browser: e.browser, users: new Set<string>(), events: 0 };
      d.users.add(e.userId);
      d.events += 1;
      devices.set(dkey, d);
      const country = e.country ?? '(unknown)';
      const c = countries.get(country) ?? { users: new Set<string>(), events: 0 };
      c.users.add(e.userId);
      c.events += 1;
      countries.set(country, c);
    }
  }
  const countryUsers = [...countries.values()].reduce((sum, c) => sum + c.users.size, 0);
  return {
    range: rangeEcho(r),
    channels: [...channels.values()].sort(
      (a, b) => b.sessions - a.sessions || a.channel.localeCompare(b.channel) || a.source.localeCompare(b.source),
    ),
    devices: [...devices.values()]
      .map(({ users, ...d }): QueryRow => ({ ...d, users: users.size }))
      .sort((a, b) => (b.users as number) - (a.users as number)),
    // As countries.sql: most users first, then by code (byte order, as the engines sort text).
    countries: [...countries]
      .map(([country, c]) => ({
        country,
        users: c.users.size,
        events: c.events,
        users_percent: Math.round((1000 * c.users.size) / countryUsers) / 10,
      }))
      .sort((a, b) => b.users - a.users || (a.country < b.country ? -1 : a.country > b.country ? 1 : 0)),
  };
}

export function funnelOf(data: FakeDataset, r: Range): FunnelResponse {
  const sessions = onDays(data, r);
  const has = (type: FakeEvent['type']) => sessions.filter((s) => s.events.some((e) => e.type === type)).length;
  const [views, forms, conversions] = [has('page_view'), has('form_submit'), has('conversion')];
  const dropOff = (reached: number, before: number) => (before ? 1 - reached / before : null);
  return {
    range: rangeEcho(r),
    steps: [
      { step: 'page_view', sessions: views, dropOff: null },
      { step: 'form_submit', sessions: forms, dropOff: dropOff(forms, views) },
      { step: 'conversion', sessions: conversions, dropOff: dropOff(conversions, forms) },
    ],
  };
}

function sessionRow(s: FakeSession): SessionRow {
  const views = pageViews(s);
  return {
    user_id: s.userId,
    session_id: s.sessionId,
    start_time: iso(s.start),
    last_activity_time: iso(s.last),
    event_count: s.events.length,
    page_views: views.length,
    landing_page: views[0]!.page,
    exit_page: views[views.length - 1]!.page,
    channel: s.channel,
    converted: converted(s),
    revenue: round2(s.events.reduce((sum, e) => sum + (e.revenue ?? 0), 0)),
    journey: views.map((e) => e.page),
  };
}

export function sessionsOf(data: FakeDataset, r: Range, user?: string): SessionsResponse {
  const matching = startedIn(data, r)
    .filter((s) => user === undefined || s.userId === user)
    .sort((a, b) => b.start - a.start);
  const channels = new Map<string, { channel: string; sessions: number; conversions: number; revenue: number }>();
  for (const s of matching) {
    const c = channels.get(s.channel) ?? { channel: s.channel, sessions: 0, conversions: 0, revenue: 0 };
    c.sessions += 1;
    if (converted(s)) c.conversions += 1;
    c.revenue = round2(c.revenue + s.events.reduce((sum, e) => sum + (e.revenue ?? 0), 0));
    channels.set(s.channel, c);
  }
  return {
    range: rangeEcho(r),
    sessions: matching.slice(0, 50).map(sessionRow),
    total: matching.length,
    channels: [...channels.values()].sort((a, b) => b.sessions - a.sessions || a.channel.localeCompare(b.channel)),
  };
}

export function healthOf(data: FakeDataset, r: Range): HealthResponse {
  const events = windowEvents(data, r).length;
  const reasons = { 'missing field eventId': Math.floor(events / 40), 'eventTime too far in the past': Math.floor(events / 90) };
  const refusedByReason = Object.fromEntries(Object.entries(reasons).filter(([, n]) => n > 0));
  const newest = newestEventMs(data);
  const { fromDate, toDate } = rangeEcho(r);
  const days = (Date.parse(toDate) - Date.parse(fromDate)) / DAY_MS + 1;
  return {
    range: rangeEcho(r),
    refusedByReason,
    refused: Object.values(refusedByReason).reduce((a, b) => a + b, 0),
    duplicates: Math.floor(events / 30),
    late: Math.floor(events / 60),
    archiveObjects: onDays(data, r).length ? days * 4 : 0,
    newestSessionEvent: newest === undefined ? null : iso(newest),
    newestArchiveEvent: newest === undefined ? null : iso(newest - 120_000),
  };
}

export function aboutOf(data: FakeDataset, refreshSeconds: number | null = null): AboutResponse {
  const newest = newestEventMs(data);
  return { source: 'fake API (dashboard test)', refreshSeconds, newestEvent: newest === undefined ? null : iso(newest) };
}

/** The answer to `GET <path>?<params>` over `data` (the about answer given), or a 400 naming what is wrong. */
export function answer(data: FakeDataset, about: AboutResponse, path: string, params: URLSearchParams): { status: number; body: unknown } {
  if (path === API_PATHS.about) return { status: 200, body: about };
  const from = Date.parse(params.get('from') ?? '');
  const to = Date.parse(params.get('to') ?? '');
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
    return {
      status: 400,
      body: { message: `from and to must be ISO-8601 times, from before to (saw from=${params.get('from')}, to=${params.get('to')})` },
    };
  }
  const r = { from, to };
  switch (path) {
    case API_PATHS.summary:
      return { status: 200, body: summaryOf(data, r) };
    case API_PATHS.windows:
      return { status: 200, body: windowsOf(data, r) };
    case API_PATHS.pages:
      return { status: 200, body: pagesOf(data, r) };
    case API_PATHS.traffic:
      return { status: 200, body: trafficOf(data, r) };
    case API_PATHS.funnel:
      return { status: 200, body: funnelOf(data, r) };
    case API_PATHS.sessions:
      return { status: 200, body: sessionsOf(data, r, params.get('user') ?? undefined) };
    case API_PATHS.health:
      return { status: 200, body: healthOf(data, r) };
    default:
      return { status: 404, body: { message: `no such endpoint: ${path}` } };
  }
}
