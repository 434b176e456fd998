/**
 * The dashboard's JSON API over a seeded run: every figure equals what `clickstream export` and
 * `clickstream query` give for the same range, computed here from their output by the range rule of the
 * README (sessions by start time, windows by start, archive panels by the UTC dates the range touches).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNamedQuery } from '../../local/commands/query';
import type { DashboardRun } from '../helpers/dashboard-run';
import { dashboardOverRun } from '../helpers/dashboard-run';

const dir = mkdtempSync(join(tmpdir(), 'dashboard-api-'));
let d: DashboardRun;

beforeAll(async () => {
  d = await dashboardOverRun(dir);
}, 180_000);

afterAll(async () => {
  await d?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function api(path: string, from: number, to: number, extra = ''): Promise<Record<string, unknown>> {
  const res = await fetch(`${d.server.url}api/${path}?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}${extra}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

const HOUR = 3_600_000;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const newestMs = () => Math.max(...d.sessions.map((s) => Date.parse(s.last_activity_time)));

/** The whole run, and its last six hours. */
const ranges = () => {
  const end = Math.ceil(newestMs() / HOUR) * HOUR + HOUR;
  return [
    { name: 'the whole run', from: end - 48 * HOUR, to: end },
    { name: 'its last six hours', from: end - 7 * HOUR, to: end - HOUR },
  ];
};

describe('the dashboard API over a seeded run', () => {
  it('has data to show', () => {
    expect(d.sessions.length).toBeGreaterThan(100);
    expect(d.windows.length).toBeGreaterThan(10);
  });

  it.each(['the whole run', 'its last six hours'])('gives the tiles the export gives over %s', async (name) => {
    const { from, to } = ranges().find((r) => r.name === name)!;
    const inRange = (iso: string) => Date.parse(iso) >= from && Date.parse(iso) < to;
    const sessions = d.sessions.filter((s) => inRange(s.start_time));
    const windows = d.windows.filter((w) => inRange(w.window_start));
    const got = await api('summary', from, to);
    expect(got).toMatchObject({
      events: sum(windows.map((w) => sum(Object.values(w.events_by_type)))),
      sessions: sessions.length,
      activeUsers: new Set(sessions.map((s) => s.user_id)).size,
      conversions: sum(windows.map((w) => w.conversions)),
      conversionRate: sessions.filter((s) => s.converted).length / sessions.length,
      bounceRate: sessions.filter((s) => s.page_views === 1).length / sessions.length,
    });
    expect(got['revenue']).toBeCloseTo(sum(windows.map((w) => w.revenue)), 6);
    expect(sessions.length).toBeGreaterThan(0);
  });

  it('gives each window its events by type and active users, all shards together', async () => {
    const { from, to } = ranges()[0]!;
    const got = (await api('windows', from, to)) as {
      windows: Array<{ start: string; eventsByType: Record<string, number>; activeUsers: number }>;
    };
    for (const point of got.windows) {
      const items = d.windows.filter((w) => w.window_start === point.start);
      expect(point.activeUsers).toBe(sum(items.map((w) => w.active_users)));
      expect(sum(Object.values(point.eventsByType))).toBe(sum(items.map((w) => sum(Object.values(w.events_by_type)))));
    }
    expect(sum(got.windows.map((p) => sum(Object.values(p.eventsByType))))).toBe(
      sum(d.windows.map((w) => sum(Object.values(w.events_by_type)))),
    );
  });

  it('gives the traffic, countries and funnel panels the rows `clickstream query` gives for the dates of the range', async () => {
    const { from, to } = ranges()[0]!;
    const traffic = await api('traffic', from, to);
    const days = { from: (traffic['range'] as { fromDate: string }).fromDate, to: (traffic['range'] as { toDate: string }).toDate };
    const numbers = (rows: Array<Record<string, unknown>>) =>
      rows.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v])),
      );
    expect(traffic['channels']).toEqual(numbers(await runNamedQuery('traffic_channels', d.dataDir, days)));
    expect(traffic['devices']).toEqual(numbers(await runNamedQuery('devices_and_browsers', d.dataDir, days)));
    expect(traffic['countries']).toEqual(numbers(await runNamedQuery('countries', d.dataDir, days)));
    // The seeded workload browses from the catalog's countries: the rows hold real codes, not only `(unknown)`.
    expect((traffic['countries'] as Array<{ country: string }>).map((r) => r.country)).toEqual(expect.arrayContaining(['US', 'DE']));
    const [row] = await runNamedQuery('funnel', d.dataDir, days);
    const funnel = (await api('funnel', from, to)) as { steps: Array<{ step: string; sessions: number }> };
    expect(funnel.steps.map((s) => s.sessions)).toEqual(
      [row!['sessions_with_page_view'], row!['then_form_submit'], row!['then_conversion']].map(Number),
    );
  });

  it('finds a user’s sessions by id, newest first', async () => {
    const { from, to } = ranges()[0]!;
    const user = d.sessions[0]!.user_id;
    const got = (await api('sessions', from, to, `&user=${encodeURIComponent(user)}`)) as {
      sessions: Array<{ user_id: string; start_time: string }>;
      total: number;
    };
    const expected = d.sessions.filter(
      (s) => s.user_id.includes(user) && Date.parse(s.start_time) >= from && Date.parse(s.start_time) < to,
    );
    expect(got.total).toBe(expected.length);
    expect(got.sessions.every((s) => s.user_id.includes(user))).toBe(true);
    const starts = got.sessions.map((s) => Date.parse(s.start_time));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('reports pipeline health: refusals by reason, duplicates, late events, archive objects and the newest events', async () => {
    const { from, to } = ranges()[0]!;
    const got = await api('health', from, to);
    const windows = d.windows.filter((w) => Date.parse(w.window_start) >= from && Date.parse(w.window_start) < to);
    expect(got['refused']).toBe(sum(windows.map((w) => w.refused)));
    expect(sum(Object.values(got['refusedByReason'] as Record<string, number>))).toBe(got['refused']);
    expect(got['duplicates']).toBe(sum(windows.map((w) => w.duplicates)));
    expect(got['archiveObjects']).toBeGreaterThan(0);
    expect(got['newestSessionEvent']).toBe(new Date(newestMs()).toISOString());
    expect(typeof got['newestArchiveEvent']).toBe('string');
  });

  it('answers a range wider than 366 days with 400, and a request under a foreign host name with 403', async () => {
    const wide = await fetch(`${d.server.url}api/health?from=1000-01-01&to=9000-01-01`);
    expect(wide.status).toBe(400);
    // fetch may not set Host; node:http may.
    const status = await new Promise<number | undefined>((resolve, reject) =>
      request(`${d.server.url}api/summary`, { headers: { Host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(403);
  });

  it('answers a range it cannot read with 400 naming the parameter', async () => {
    const res = await fetch(`${d.server.url}api/summary?from=yesterday&to=2026-11-27`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^from must be ISO-8601/);
  });
});
