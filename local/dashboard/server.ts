/**
 * The dashboard's HTTP server on loopback: the page (built from dashboard/ with esbuild) and the JSON API of
 * dashboard/api.ts, computed by ./panels from one source. `GET /api/<name>?from=<ISO>&to=<ISO>`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_PATHS } from '../../dashboard/api';
import type { AboutResponse } from '../../dashboard/api';
import { buildDashboard } from '../../dashboard/build';
import type { MetricsExport, SessionExport } from '../commands/export';
import { listen } from '../emulators/dynalite';
import type { RunningEmulator } from '../emulators/dynalite';
import { datesOf, parseTimeRange } from '../runtime/time-range';
import type { TimeRange } from '../runtime/time-range';
import { funnel, health, newestSessionEventMs, pages, rangeEcho, recentSessions, summary, windowSeries } from './panels';
import type { DashboardSource } from './source';

export interface DashboardServerOptions {
  readonly source: DashboardSource;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Seconds between the page's refreshes while a pipeline writes; undefined: the page does not refresh. */
  readonly refreshSeconds?: number;
}

/** The widest range one request may ask for: a year and a day, so that no request lists years of archive days. */
const MAX_RANGE_MS = 366 * 86_400_000;
/** Event times the archive can hold: 1970 up to the year 9999 (ISO-8601's four-digit years). */
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** The range of a request: `from` and `to`, or the 24 hours up to now. */
function requestRange(url: URL): TimeRange {
  const from = url.searchParams.get('from');
  const to = url.searchParams.get('to');
  if (from === null && to === null) {
    const now = Date.now();
    return { fromMs: now - 86_400_000, toMs: now };
  }
  if (from === null || to === null) throw new BadRequest('give both from and to (ISO-8601 with a zone), or neither for the last 24 hours');
  let range: TimeRange;
  try {
    range = parseTimeRange(from, to, { from: 'from', to: 'to' });
  } catch (err) {
    throw new BadRequest((err as Error).message);
  }
  if (range.fromMs < 0 || range.toMs > LATEST_MS) throw new BadRequest('from and to must lie between 1970 and the year 9999');
  if (range.toMs - range.fromMs > MAX_RANGE_MS) throw new BadRequest('a range may span at most 366 days; ask for a shorter one');
  return range;
}

class BadRequest extends Error {
  override readonly name = 'BadRequest';
}

/** Reads of the source shared by the requests of one page load (a page asks for every panel at once). */
class ReadCache {
  private entries = new Map<string, { atMs: number; value: Promise<unknown> }>();
  constructor(private readonly ttlMs: number) {}

  get<T>(key: string, read: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.atMs < this.ttlMs) return hit.value as Promise<T>;
    const value = read();
    this.entries.set(key, { atMs: Date.now(), value });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

export class DashboardServer {
  private constructor(
    /** The page's URL. */
    readonly url: string,
    private readonly server: RunningEmulator,
  ) {}

  static async start(o: DashboardServerOptions): Promise<DashboardServer> {
    const api = new DashboardApi(o.source, o.refreshSeconds);
    const page = buildDashboard();
    page.catch(() => undefined);
    // Answered only under its own loopback names: a page elsewhere that points a DNS name at 127.0.0.1 reads nothing.
    const hosts = new Set<string>();
    const server = await listen(
      createServer((req, res) => {
        if (!hosts.has(req.headers.host ?? '')) {
          req.resume();
          return send(res, 403, { message: `the dashboard answers at ${[...hosts].map((h) => `http://${h}/`).join(' or ')} only` });
        }
        handle(req, res, api, page).catch((err: unknown) => send(res, 500, { message: `internal error: ${(err as Error).message}` }));
      }),
      o.port ?? 0,
      'dashboard',
    );
    hosts.add(`127.0.0.1:${server.port}`).add(`localhost:${server.port}`);
    return new DashboardServer(`${server.endpoint}/`, server);
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  api: DashboardApi,
  page: ReturnType<typeof buildDashboard>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  req.resume();
  if (req.method !== 'GET') return send(res, 405, { message: 'the dashboard answers GET only' });
  if (url.pathname === '/') return sendText(res, 'text/html; charset=utf-8', (await page).html);
  if (url.pathname === '/dashboard.js') return sendText(res, 'text/javascript; charset=utf-8', (await page).script);
  if (url.pathname === '/dashboard.css') return sendText(res, 'text/css; charset=utf-8', (await page).css);
  if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
  if (!url.pathname.startsWith('/api/')) return send(res, 404, { message: `no page at ${url.pathname}; the dashboard is at /` });
  try {
    const body = await api.answer(url);
    if (body === undefined) return send(res, 404, { message: `no endpoint ${url.pathname}; see README, The dashboard` });
    send(res, 200, body);
  } catch (err) {
    if (err instanceof BadRequest) return send(res, 400, { message: err.message });
    send(res, 500, { message: (err as Error).message });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, type: string, text: string): void {
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  res.end(text);
}

/** The endpoints, each computed by ./panels from the source's reads. */
class DashboardApi {
  private readonly cache = new ReadCache(2000);

  constructor(
    private readonly source: DashboardSource,
    private readonly refreshSeconds: number | undefined,
  ) {}

  private sessions(): Promise<SessionExport[]> {
    return this.cache.get('sessions', () => this.source.sessions());
  }

  private windows(): Promise<MetricsExport[]> {
    return this.cache.get('windows', () => this.source.windows());
  }

  private newestArchiveEventMs(): Promise<number | undefined> {
    return this.cache.get('newest', () => this.source.newestArchiveEventMs());
  }

  async answer(url: URL): Promise<unknown> {
    switch (url.pathname) {
      case API_PATHS.about:
        return this.about();
      case API_PATHS.summary: {
        const range = requestRange(url);
        return summary(await this.sessions(), await this.windows(), range);
      }
      case API_PATHS.windows:
        return windowSeries(await this.windows(), requestRange(url));
      case API_PATHS.pages: {
        const range = requestRange(url);
        return pages(await this.sessions(), await this.windows(), range);
      }
      case API_PATHS.traffic: {
        const range = requestRange(url);
        const days = datesOf(range);
        const [channels, devices, countries] = [
          await this.source.namedQuery('traffic_channels', days),
          await this.source.namedQuery('devices_and_browsers', days),
          await this.source.namedQuery('countries', days),
        ];
        return { range: rangeEcho(range), channels, devices, countries };
      }
      case API_PATHS.funnel: {
        const range = requestRange(url);
        return funnel(await this.source.namedQuery('funnel', datesOf(range)), range);
      }
      case API_PATHS.sessions:
        return recentSessions(await this.sessions(), requestRange(url), url.searchParams.get('user') ?? undefined);
      case API_PATHS.health: {
        const range = requestRange(url);
        const facts = {
          archiveObjects: await this.source.archiveObjects(datesOf(range)),
          newestArchiveEventMs: await this.newestArchiveEventMs(),
        };
        return health(await this.sessions(), await this.windows(), range, facts);
      }
      default:
        return undefined;
    }
  }

  private async about(): Promise<AboutResponse> {
    const newest = Math.max(newestSessionEventMs(await this.sessions()) ?? -Infinity, (await this.newestArchiveEventMs()) ?? -Infinity);
    return {
      source: this.source.description,
      refreshSeconds: this.refreshSeconds ?? null,
      newestEvent: Number.isFinite(newest) ? new Date(newest).toISOString() : null,
    };
  }
}
