/**
 * The dashboard page in real headless Chromium (playwright-core, the system's /usr/bin/chromium): buildDashboard()'s
 * page served beside a fake API that answers from a generated data set and records the range of every request.
 * Every wait polls the page up to a deadline; no assertion depends on a fixed sleep. Pages run in UTC, so that a
 * `datetime-local` input reads as UTC.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { API_PATHS, RANGE_PRESETS } from '../../dashboard/api';
import type { RangePreset, SummaryResponse } from '../../dashboard/api';
import { buildDashboard } from '../../dashboard/build';
import type { DashboardBuild } from '../../dashboard/build';
import { channelLabel } from '../../dashboard/src/channels';
import { topCountries } from '../../dashboard/src/countries';
import { launchChromium } from '../helpers/browser';
import {
  EMPTY_DATASET,
  funnelOf,
  generateDataset,
  healthOf,
  newestEventMs,
  pagesOf,
  sessionsOf,
  summaryOf,
  trafficOf,
  windowsOf,
} from '../helpers/dashboard-data';
import type { FakeDataset, Range } from '../helpers/dashboard-data';
import { startDashboardServer } from '../helpers/dashboard-server';
import type { FakeDashboardServer } from '../helpers/dashboard-server';

// Chromium starts in about 3 s on 2 cores; each test loads the page once or twice.
jest.setTimeout(180_000);

const DEADLINE_MS = 30_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The pinned end of most tests, and the end of their data set. */
const END = Date.parse('2026-11-20T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const DATA_ENDPOINTS = Object.values(API_PATHS).filter((path) => path !== API_PATHS.about);

/** The few browser globals the functions run in the page use: the tests' TypeScript has no DOM library. */
interface PageElement {
  readonly textContent: string | null;
  readonly children: ArrayLike<PageElement>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
}
declare const document: {
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  readonly body: unknown;
};
declare const window: { loadingStates?: number };
declare const MutationObserver: new (callback: (records: readonly { readonly target: PageElement }[]) => void) => {
  observe(target: unknown, options: object): void;
};

let build: DashboardBuild;
let browser: Browser;
let fake: FakeDashboardServer;
let context: BrowserContext;
/** Exceptions and console errors the pages saw. */
let problems: string[];
/** Console errors a test expects (the browser's own line for a 500 answer). */
let expected: RegExp[];

beforeAll(async () => {
  [build, browser] = await Promise.all([buildDashboard(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  fake = await startDashboardServer(build, generateDataset({ end: END }));
  context = await browser.newContext({ timezoneId: 'UTC', locale: 'en-US', viewport: { width: 1280, height: 900 } });
  problems = [];
  expected = [];
});

afterEach(async () => {
  await context.close();
  await fake.close();
  expect(problems).toEqual([]);
});

/** Opens the dashboard at `query` and waits until every panel has loaded. */
async function open(query: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected.some((pattern) => pattern.test(message.text())))
      problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${fake.origin}/${query}`);
  await loaded(page);
  return page;
}

/** Waits until the page has finished loading its panels (`data-state="ready"` on the root). */
async function loaded(page: Page): Promise<void> {
  await page.waitForSelector('#dashboard[data-state="ready"]', { timeout: DEADLINE_MS });
}

/** Runs `wait` (a `page.waitForFunction`) with the deadline, naming `what` when it never holds. */
async function until(what: string, wait: (options: { timeout: number; polling: number }) => Promise<unknown>): Promise<void> {
  try {
    await wait({ timeout: DEADLINE_MS, polling: 50 });
  } catch (error) {
    throw new Error(`timed out after ${DEADLINE_MS} ms waiting for ${what}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}

const attr = async (page: Page, selector: string, name: string) => page.getAttribute(selector, name, { timeout: DEADLINE_MS });
const text = async (page: Page, selector: string) => ((await page.textContent(selector, { timeout: DEADLINE_MS })) ?? '').trim();
const rangeOf = async (page: Page): Promise<{ from: string | null; to: string | null }> => ({
  from: await attr(page, '#dashboard', 'data-from'),
  to: await attr(page, '#dashboard', 'data-to'),
});
const presetRange = (preset: RangePreset, end: number): Range => ({ from: end - RANGE_PRESETS[preset], to: end });

/**
 * For each element matching `selector`, the named fields: an attribute, `text` (its text) or `cellN` (the text of its
 * N-th child, a table cell).
 */
async function readAll(page: Page, selector: string, ...fields: string[]): Promise<(string | null)[][]> {
  return page.evaluate(
    ({ selector, fields }) =>
      [...document.querySelectorAll(selector)].map((node) =>
        fields.map((field) => {
          const cell = /^cell(\d+)$/.exec(field);
          if (cell) return node.children[Number(cell[1])]?.textContent ?? null;
          return field === 'text' ? node.textContent : node.getAttribute(field);
        }),
      ),
    { selector, fields },
  );
}

const count = (page: Page, selector: string) => page.locator(selector).count();

/** The raw `data-value` of every tile, by the summary field it shows. */
async function tileValues(page: Page): Promise<Record<string, string | null>> {
  return Object.fromEntries(
    (await readAll(page, '#panel-tiles .tile', 'data-key', 'data-value')).map(([key, value]): [string, string | null] => [
      String(key),
      value ?? null,
    ]),
  );
}

/** What the tiles' `data-value`s must be for `summary`: the exact numbers, `null` as "null". */
function expectedTiles(summary: SummaryResponse): Record<string, string> {
  return Object.fromEntries(
    Object.entries(summary)
      .filter(([key]) => key !== 'range')
      .map(([key, value]) => [key, String(value)]),
  );
}

/** Waits until the tiles show `summary`'s figures. */
async function untilTiles(page: Page, summary: SummaryResponse): Promise<void> {
  const want = expectedTiles(summary);
  await until(`the tiles to read ${JSON.stringify(want)}`, (options) =>
    page.waitForFunction(
      (w) => Object.entries(w).every(([key, value]) => document.getElementById(`tile-${key}`)?.getAttribute('data-value') === value),
      want,
      options,
    ),
  );
}

/** The ranges the API was asked for, per data endpoint, since request `since`. */
function askedRanges(since = 0): Set<string> {
  return new Set(
    fake.requests
      .slice(since)
      .filter((r) => r.path !== API_PATHS.about)
      .map((r) => `${r.path} ${r.from} ${r.to}`),
  );
}

function rangesFor(range: Range): Set<string> {
  return new Set(DATA_ENDPOINTS.map((path) => `${path} ${iso(range.from)} ${iso(range.to)}`));
}

describe('the dashboard page', () => {
  it('renders every panel from the API: exact tile figures, two uPlot charts, page and traffic tables, countries and the funnel in SVG, sessions and health', async () => {
    const page = await open(`?range=24h&end=${iso(END)}`);
    const range = presetRange('24h', END);
    const data = fake.data;

    expect(await readAll(page, '.panel', 'id', 'data-state')).toEqual(
      ['tiles', 'windows', 'pages', 'traffic', 'countries', 'funnel', 'health', 'sessions'].map((id) => [`panel-${id}`, 'ready']),
    );
    // One request per endpoint (the traffic and countries panels share /api/traffic's answer), all for the page's range.
    expect(fake.requests.map((r) => r.path).sort()).toEqual(Object.values(API_PATHS).sort());
    expect(askedRanges()).toEqual(rangesFor(range));
    expect(await text(page, '#source')).toBe('Source: fake API (dashboard test)');

    // Tiles: the raw figures in data-value, formatted for people in the text.
    const summary = summaryOf(data, range);
    expect(summary.sessions).toBeGreaterThan(10);
    expect(await tileValues(page)).toEqual(expectedTiles(summary));
    expect(await text(page, '#tile-events output')).toBe(summary.events.toLocaleString('en-US'));
    expect(await text(page, '#tile-revenue output')).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
    expect(await text(page, '#tile-conversionRate output')).toBe(`${(summary.conversionRate! * 100).toFixed(1)}%`);
    expect(await text(page, '#tile-medianSessionSeconds output')).toMatch(/^(\d+m \d{2}s|\d+s)$/);

    // Two uPlot charts: a canvas each, every 5-minute window of the 24 hours on the x axis, one series per event type.
    for (const chart of ['#chart-events', '#chart-users']) expect(await count(page, `${chart} canvas`)).toBeGreaterThan(0);
    expect(await attr(page, '#chart-events', 'data-points')).toBe('288');
    expect(await attr(page, '#chart-events', 'data-series')).toBe(windowsOf(data, range).eventTypes.join(','));

    // Pages: three tables with a bar per row.
    const pages = pagesOf(data, range);
    for (const [table, rows] of [
      ['#table-top-pages', pages.top],
      ['#table-landing-pages', pages.landing],
      ['#table-exit-pages', pages.exit],
    ] as const) {
      expect(await readAll(page, `${table} tbody tr`, 'cell0', 'data-value')).toEqual(rows.map((row) => [row.page, String(row.count)]));
      expect(await count(page, `${table} tbody .bar`)).toBe(rows.length);
    }

    // Traffic: by whole UTC days, channels drawn in SVG and listed with devices.
    const traffic = trafficOf(data, range);
    expect(await text(page, '#panel-traffic .panel-note')).toContain('by whole UTC days 2026-11-19–2026-11-20');
    expect(await count(page, '#table-channels tbody tr')).toBe(traffic.channels.length);
    expect(await count(page, '#table-devices tbody tr')).toBe(traffic.devices.length);
    const channels = new Set(traffic.channels.map((row) => row.channel));
    expect((await readAll(page, '#chart-channels svg g[data-channel]', 'data-channel')).flat().sort()).toEqual([...channels].sort());

    // Countries: the top ten by users with their English names and shares, the rest as Other, and DB-IP's credit.
    const countries = topCountries(traffic.countries);
    expect(traffic.countries.length).toBeGreaterThan(11);
    expect(countries.map((c) => c.name)).toContain('Unknown');
    expect(await readAll(page, '#chart-countries svg g[data-country]', 'data-country', 'data-label', 'data-users')).toEqual(
      countries.map((c) => [c.code, c.name, String(c.users)]),
    );
    expect(countries.slice(0, 2).map((c) => c.name)).toEqual(['United States', 'Germany']);
    expect(countries[10]!.name).toBe('Other');
    const shares = (await readAll(page, '#chart-countries svg .bar-value', 'text')).flat();
    expect(shares).toEqual(countries.map((c) => `${c.users.toLocaleString('en-US')}  (${(c.share * 100).toFixed(1)}%)`));
    expect(await readAll(page, '#panel-countries a', 'text', 'href', 'target', 'rel')).toEqual([
      ['IP geolocation by DB-IP', 'https://db-ip.com', '_blank', 'noopener'],
    ]);
    expect(await page.isVisible('#panel-countries a[href="https://db-ip.com"]')).toBe(true);

    // Funnel: an SVG with the three steps and their sessions.
    const funnel = funnelOf(data, range);
    expect(await readAll(page, '#chart-funnel svg g[data-step]', 'data-step', 'data-sessions')).toEqual(
      funnel.steps.map((step) => [step.step, String(step.sessions)]),
    );
    expect(await text(page, '#chart-funnel')).toContain('drop-off');

    // Sessions: newest first, with journeys.
    const sessions = sessionsOf(data, range);
    const rows = await readAll(page, '#table-sessions tbody tr', 'data-session', 'cell2', 'cell3');
    expect(rows).toEqual(sessions.sessions.map((s) => [s.session_id, s.journey.join(' → '), channelLabel(s.channel!)]));
    // Sessions by channel, from the sessions' own attribution, named and ordered as the API gives them.
    expect(await readAll(page, '#chart-session-channels svg g[data-channel]', 'data-channel')).toEqual(
      sessions.channels.map((c) => [c.channel]),
    );
    expect(await text(page, '#sessions-count')).toBe(`${sessions.sessions.length} of ${sessions.total} sessions`);

    // Health: counts, refused by reason, and the newest event on each path.
    const health = healthOf(data, range);
    for (const key of ['refused', 'duplicates', 'late', 'archiveObjects'] as const) {
      expect(await attr(page, `#health-${key}`, 'data-value')).toBe(String(health[key]));
    }
    expect(await text(page, '#panel-health .panel-note')).toContain('archive objects by whole UTC days 2026-11-19–2026-11-20');
    expect(await count(page, '#table-refused tbody tr')).toBe(Object.keys(health.refusedByReason).length);
    expect(await attr(page, '#health-newestSessionEvent', 'data-value')).toBe(health.newestSessionEvent);
    expect(await text(page, '#health-newestSessionEvent')).toMatch(/^2026-11-20 \d{2}:\d{2} \(\d+ (minute|hour|day)s? ago\)$/);
  });

  it.each(Object.keys(RANGE_PRESETS) as RangePreset[])(
    'asks the API for the %s before a pinned ?end= and shows that exact range',
    async (preset) => {
      const page = await open(`?range=${preset}&end=${iso(END)}`);
      const range = presetRange(preset, END);
      expect(await rangeOf(page)).toEqual({ from: iso(range.from), to: iso(range.to) });
      expect(askedRanges()).toEqual(rangesFor(range));
      expect(await attr(page, '#range-from', 'datetime')).toBe(iso(range.from));
      expect(await attr(page, '#range-to', 'datetime')).toBe(iso(range.to));
      expect(await text(page, '#range-to')).toBe('2026-11-20 12:00');
      expect(await attr(page, `[data-testid="range-preset-${preset}"]`, 'aria-pressed')).toBe('true');
      expect(await text(page, '#range-note')).toContain('up to a pinned end, 2026-11-20 12:00');
      await untilTiles(page, summaryOf(fake.data, range));
    },
  );

  it('ends a preset at now while the newest event lies inside its window', async () => {
    fake.data = generateDataset({ end: Date.now() });
    const before = Date.now();
    const page = await open('?range=1h');
    const after = Date.now();
    const { from, to } = await rangeOf(page);
    expect(Date.parse(to!)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(to!)).toBeLessThanOrEqual(after);
    expect(Date.parse(to!) - Date.parse(from!)).toBe(HOUR_MS);
    expect(askedRanges()).toEqual(rangesFor({ from: Date.parse(from!), to: Date.parse(to!) }));
    expect(await page.isHidden('#range-note')).toBe(true);
  });

  it('anchors a preset at the newest event, rounded up to the next 5 minutes, when that event is older than the window, and says so', async () => {
    fake.data = generateDataset({ end: Date.now() - 3 * DAY_MS });
    const newest = newestEventMs(fake.data)!;
    const page = await open('?range=24h');
    const to = (Math.floor(newest / 300_000) + 1) * 300_000;
    expect(await rangeOf(page)).toEqual({ from: iso(to - DAY_MS), to: iso(to) });
    expect(askedRanges()).toEqual(rangesFor({ from: to - DAY_MS, to }));
    expect(await attr(page, '#range-note', 'data-anchored')).toBe('true');
    const stamp = iso(newest).slice(0, 16).replace('T', ' ');
    expect(await text(page, '#range-note')).toContain(`Showing the 24 hours up to the newest event, ${stamp}`);
    await untilTiles(page, summaryOf(fake.data, { from: to - DAY_MS, to }));
    expect(await attr(page, '#panel-tiles', 'data-state')).toBe('ready');

    // A week reaches back to the newest event: it ends now.
    const since = fake.requests.length;
    await page.click('[data-testid="range-preset-7d"]');
    await until('the 7 days to end now', (options) =>
      page.waitForFunction(
        (t) => Date.parse(document.getElementById('dashboard')?.getAttribute('data-to') ?? '') > t,
        to + DAY_MS,
        options,
      ),
    );
    await loaded(page);
    expect(await page.isHidden('#range-note')).toBe(true);
    expect(new URL(page.url()).search).toBe('?range=7d');
    expect(fake.requests.length).toBeGreaterThan(since);
  });

  it('switches range from the picker: the URL, the requests and the figures follow, and a custom range is kept in the URL', async () => {
    const page = await open(`?range=24h&end=${iso(END)}`);
    const day = presetRange('24h', END);
    const week = presetRange('7d', END);
    expect(summaryOf(fake.data, week).sessions).toBeGreaterThan(summaryOf(fake.data, day).sessions);

    let since = fake.requests.length;
    await page.click('[data-testid="range-preset-7d"]');
    await untilTiles(page, summaryOf(fake.data, week));
    await loaded(page);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ range: '7d', end: iso(END) });
    expect(await rangeOf(page)).toEqual({ from: iso(week.from), to: iso(week.to) });
    expect(askedRanges(since)).toEqual(rangesFor(week));
    expect(await attr(page, '#chart-events', 'data-points')).toBe(String(7 * 288));

    // A custom range from the two inputs (the page's clock is UTC).
    const custom = { from: END - 2 * DAY_MS, to: END - DAY_MS + 6 * HOUR_MS };
    since = fake.requests.length;
    await page.fill('#range-from-input', iso(custom.from).slice(0, 16));
    await page.fill('#range-to-input', iso(custom.to).slice(0, 16));
    await page.click('#range-apply');
    await untilTiles(page, summaryOf(fake.data, custom));
    await loaded(page);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ from: iso(custom.from), to: iso(custom.to) });
    expect(await rangeOf(page)).toEqual({ from: iso(custom.from), to: iso(custom.to) });
    expect(askedRanges(since)).toEqual(rangesFor(custom));
    expect(await count(page, '.preset[aria-pressed="true"]')).toBe(0);
    expect(await text(page, '#panel-traffic .panel-note')).toContain('by whole UTC days 2026-11-18–2026-11-19');

    // The URL is the view: opened again, it shows the same range.
    const again = await open(new URL(page.url()).search);
    expect(await rangeOf(again)).toEqual({ from: iso(custom.from), to: iso(custom.to) });
    expect(await again.inputValue('#range-from-input')).toBe(iso(custom.from).slice(0, 16));
    await untilTiles(again, summaryOf(fake.data, custom));
  });

  it('filters sessions by user id from the search box, through /api/sessions?user=', async () => {
    const page = await open(`?range=24h&end=${iso(END)}`);
    const range = presetRange('24h', END);
    const all = sessionsOf(fake.data, range);
    const counts = new Map<string, number>();
    for (const s of all.sessions) counts.set(s.user_id, (counts.get(s.user_id) ?? 0) + 1);
    const [user, count] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    expect(count).toBeGreaterThan(1);
    expect(count).toBeLessThan(all.total);

    // Typed key by key: the search waits for a pause, so only the whole id is sent.
    await page.locator('#session-search').pressSequentially(user);
    await until(`only the ${count} sessions of ${user}`, (options) =>
      page.waitForFunction(
        ({ user, count }) => {
          const rows = [...document.querySelectorAll('#table-sessions tbody tr')];
          return rows.length === count && rows.every((row) => row.getAttribute('data-user') === user);
        },
        { user, count },
        options,
      ),
    );
    expect(fake.requests.filter((r) => r.path === API_PATHS.sessions && r.user === user).map((r) => [r.from, r.to])).toEqual([
      [iso(range.from), iso(range.to)],
    ]);
    expect(await text(page, '#sessions-count')).toBe(`${count} of ${count} sessions of user “${user}”`);

    await page.fill('#session-search', 'nobody-here');
    await page.waitForSelector('#panel-sessions[data-state="empty"]', { timeout: DEADLINE_MS });
    expect(await text(page, '#panel-sessions .panel-message')).toContain('No sessions of user “nobody-here” started in this range');
    // The search box stays, so that the search can be cleared.
    expect(await page.isVisible('#session-search')).toBe(true);

    await page.fill('#session-search', '');
    await until('every session again', (options) =>
      page.waitForFunction((n) => [...document.querySelectorAll('#table-sessions tbody tr')].length === n, all.sessions.length, options),
    );
    expect(fake.requests.filter((r) => r.path === API_PATHS.sessions).map((r) => r.user)).toEqual([null, user, 'nobody-here', null]);
  });

  it('says what to do when there is no data', async () => {
    fake.data = EMPTY_DATASET;
    const page = await open(`?range=24h&end=${iso(END)}`);
    for (const id of ['tiles', 'windows', 'pages', 'sessions']) {
      expect(await attr(page, `#panel-${id}`, 'data-state')).toBe('empty');
      expect(await text(page, `#panel-${id} .panel-message`)).toBe(
        'No events in this range yet: open the demo site or run `clickstream produce`, or pick a longer range.',
      );
    }
    for (const id of ['traffic', 'countries', 'funnel']) {
      expect(await attr(page, `#panel-${id}`, 'data-state')).toBe('empty');
      expect(await text(page, `#panel-${id} .panel-message`)).toMatch(/^No archived events for these days yet: .*clickstream produce/);
    }
    expect(await attr(page, '#panel-health', 'data-state')).toBe('ready');
    expect(await text(page, '#health-newestSessionEvent')).toBe('none yet');
    expect(await page.isVisible('#panel-tiles .panel-message')).toBe(true);
    expect(await page.isHidden('#panel-tiles .tiles')).toBe(true);
  });

  it('shows an API error in its own panel, and a failed /api/about in the header, and loads the rest', async () => {
    expected = [/^Failed to load resource: the server responded with a status of 50[03]/];
    fake.failures.set(API_PATHS.pages, { status: 500, message: 'the archive query failed: table not found' });
    fake.failures.set(API_PATHS.about, { status: 503, message: 'the sessions table is not reachable' });
    const page = await open(`?range=24h&end=${iso(END)}`);
    expect(await attr(page, '#panel-pages', 'data-state')).toBe('error');
    expect(await text(page, '#panel-pages .panel-message')).toBe(
      'Could not load this panel: the archive query failed: table not found (HTTP 500)',
    );
    expect(await text(page, '#source')).toBe('Source unknown: the sessions table is not reachable (HTTP 503)');
    expect((await readAll(page, '.panel:not(#panel-pages)', 'data-state')).flat()).toEqual(Array(7).fill('ready'));
    await untilTiles(page, summaryOf(fake.data, presetRange('24h', END)));
  });

  it('refreshes in place every refreshSeconds: new figures in the same tiles and chart canvases, no panel back to loading', async () => {
    fake.refreshSeconds = 1;
    const page = await open(`?range=24h&end=${iso(END)}`);
    expect(await text(page, '#last-refresh')).toMatch(/^Updated \d{2}:\d{2}:\d{2} · refreshes every 1 s$/);
    // Marks the charts' canvases and the tiles, and counts any panel that goes back to its loading state.
    await page.evaluate(() => {
      window.loadingStates = 0;
      for (const node of document.querySelectorAll('#panel-windows canvas, .tile')) node.setAttribute('data-first', '');
      new MutationObserver((records) => {
        for (const record of records)
          if (record.target.getAttribute('data-state') === 'loading') window.loadingStates = (window.loadingStates ?? 0) + 1;
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
    });
    const canvases = await count(page, '#panel-windows canvas');

    const more: FakeDataset = generateDataset({ end: END, sessions: 12, recent: 12, seed: 7, idPrefix: 'new' });
    fake.data = { sessions: [...fake.data.sessions, ...more.sessions] };
    const summary = summaryOf(fake.data, presetRange('24h', END));
    await untilTiles(page, summary);
    await page.waitForSelector('#dashboard:not([data-loads="1"])', { timeout: DEADLINE_MS });
    expect(await count(page, '#panel-windows canvas[data-first]')).toBe(canvases);
    expect(await count(page, '#panel-windows canvas:not([data-first])')).toBe(0);
    expect(await count(page, '.tile[data-first]')).toBe(await count(page, '.tile'));
    expect(await page.evaluate(() => window.loadingStates)).toBe(0);
  });
});
