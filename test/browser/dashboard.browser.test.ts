/**
 * The dashboard in real headless Chromium over a seeded run, read as a person reads it: the tiles show the
 * figures the export gives for the range the page says it shows, every chart has drawn, switching the range
 * changes the figures to those of the new range, and the page logs no error. Screenshots are kept under
 * test-output/ (not committed; README's docs/dashboard.png is a copy of one).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { QueryRow, SummaryResponse } from '../../dashboard/api';
import { topCountries } from '../../dashboard/src/countries';
import { runNamedQuery } from '../../local/commands/query';
import { launchChromium } from '../helpers/browser';
import type { DashboardRun } from '../helpers/dashboard-run';
import { dashboardOverRun } from '../helpers/dashboard-run';

const OUTPUT = join(__dirname, '..', '..', 'test-output');
const dir = mkdtempSync(join(tmpdir(), 'dashboard-browser-'));
let d: DashboardRun;
let browser: Browser;

beforeAll(async () => {
  d = await dashboardOverRun(dir);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await d?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Figure = Exclude<keyof SummaryResponse, 'range'>;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The tiles as the export gives them for [from, to): sessions by start, windows by start. */
function expectedTiles(from: number, to: number): Record<Figure, number | null> {
  const inRange = (iso: string) => Date.parse(iso) >= from && Date.parse(iso) < to;
  const sessions = d.sessions.filter((s) => inRange(s.start_time));
  const windows = d.windows.filter((w) => inRange(w.window_start));
  const lengths = sessions.map((s) => (Date.parse(s.last_activity_time) - Date.parse(s.start_time)) / 1000).sort((a, b) => a - b);
  const share = (n: number) => (sessions.length === 0 ? null : n / sessions.length);
  return {
    events: sum(windows.map((w) => sum(Object.values(w.events_by_type)))),
    sessions: sessions.length,
    activeUsers: new Set(sessions.map((s) => s.user_id)).size,
    conversions: sum(windows.map((w) => w.conversions)),
    revenue: Math.round(sum(windows.map((w) => Math.round(w.revenue * 1e6)))) / 1e6,
    conversionRate: share(sessions.filter((s) => s.converted).length),
    // The median as the run report takes it: the lower middle of an even count.
    medianSessionSeconds: lengths.length === 0 ? null : lengths[Math.ceil(lengths.length / 2) - 1]!,
    bounceRate: share(sessions.filter((s) => s.page_views === 1).length),
  };
}

async function shownRange(page: Page): Promise<{ from: number; to: number }> {
  const root = page.locator('[data-from][data-to]').first();
  return { from: Date.parse((await root.getAttribute('data-from'))!), to: Date.parse((await root.getAttribute('data-to'))!) };
}

async function shownTiles(page: Page): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const tile of await page.locator('[data-testid^="tile-"][data-value]').all()) {
    const key = (await tile.getAttribute('data-testid'))!.slice('tile-'.length);
    const raw = (await tile.getAttribute('data-value'))!;
    out[key] = raw === 'null' ? null : Number(raw);
  }
  return out;
}

function expectTilesEqual(shown: Record<string, number | null>, expected: Record<Figure, number | null>): void {
  expect(Object.keys(shown).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) {
    if (value === null || Number.isInteger(value)) expect([key, shown[key]]).toEqual([key, value]);
    else expect(shown[key]).toBeCloseTo(value, 9);
  }
}

describe('the dashboard in Chromium over a seeded run', () => {
  it('shows the export’s figures for its range, draws every chart, follows a range change, and logs no error', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    const newest = Math.max(...d.sessions.map((s) => Date.parse(s.last_activity_time)));
    const end = new Date(Math.ceil(newest / 300_000) * 300_000).toISOString();

    await page.goto(`${d.server.url}?range=24h&end=${encodeURIComponent(end)}`);
    await page.waitForSelector('[data-testid="tile-events"][data-value]');
    const day = await shownRange(page);
    expect(day).toEqual({ from: Date.parse(end) - 86_400_000, to: Date.parse(end) });
    expectTilesEqual(await shownTiles(page), expectedTiles(day.from, day.to));
    expect((await shownTiles(page))['events']).toBeGreaterThan(0);

    for (const chart of ['chart-events', 'chart-users', 'chart-channels']) {
      const drawn = page.locator(`[data-testid="${chart}"] canvas, [data-testid="${chart}"] svg`).first();
      await drawn.waitFor();
      expect((await drawn.boundingBox())!.width).toBeGreaterThan(100);
    }
    await page.locator('[data-testid="chart-funnel"] svg rect').first().waitFor();
    expect(await page.locator('[data-testid="chart-funnel"] svg rect').count()).toBeGreaterThanOrEqual(3);
    await page.locator('[data-testid="table-sessions"] tr').nth(1).waitFor();

    // Visitors by country: the countries query's rows for the range's UTC days, named, and DB-IP credited.
    const days = { from: new Date(day.from).toISOString().slice(0, 10), to: new Date(day.to - 1).toISOString().slice(0, 10) };
    const countries = topCountries((await runNamedQuery('countries', d.dataDir, days)) as QueryRow[]);
    expect(countries.map((c) => c.code)).toEqual(expect.arrayContaining(['US', 'DE']));
    const bars = page.locator('[data-testid="chart-countries"] svg g[data-country]');
    await bars.first().waitFor();
    const shown = await Promise.all(
      (await bars.all()).map(async (bar) => [await bar.getAttribute('data-label'), await bar.getAttribute('data-users')]),
    );
    expect(shown).toEqual(countries.map((c) => [c.name, String(c.users)]));
    expect(shown.map(([name]) => name)).toContain('United States');
    const credit = page.locator('[data-testid="panel-countries"] a[href="https://db-ip.com"]');
    expect(await credit.isVisible()).toBe(true);
    expect(await credit.textContent()).toBe('IP geolocation by DB-IP');

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'dashboard.png') });
    await page.screenshot({ path: join(OUTPUT, 'dashboard-full.png'), fullPage: true });

    const before = await shownTiles(page);
    await page.click('[data-testid="range-preset-1h"]');
    // Page scripts are given as text: the project's types have no DOM.
    await page.waitForFunction(
      `document.querySelector('[data-from]')?.getAttribute('data-from') !== ${JSON.stringify(new Date(day.from).toISOString())}`,
    );
    const hour = await shownRange(page);
    expect(hour.to - hour.from).toBe(3_600_000);
    expect(page.url()).toContain('range=1h');
    await page.waitForFunction(
      `document.querySelector('[data-testid="tile-events"]')?.getAttribute('data-value') !== ${JSON.stringify(String(before['events']))}`,
    );
    expectTilesEqual(await shownTiles(page), expectedTiles(hour.from, hour.to));

    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
