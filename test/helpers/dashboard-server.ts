/**
 * A stand-in dashboard server for the page's browser tests, on 127.0.0.1 and a free port: the built page at `/`
 * (and its script and CSS at their paths), and a fake `/api/*` answering from a generated data set
 * (test/helpers/dashboard-data.ts). It records the range of every API request.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AboutResponse } from '../../dashboard/api';
import { DASHBOARD_CSS_PATH, DASHBOARD_SCRIPT_PATH } from '../../dashboard/build';
import type { DashboardBuild } from '../../dashboard/build';
import { aboutOf, answer } from './dashboard-data';
import type { FakeDataset } from './dashboard-data';

/** One API request the fake received. */
export interface ApiRequest {
  readonly path: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly user: string | null;
}

export interface FakeDashboardServer {
  /** `http://127.0.0.1:port` */
  readonly origin: string;
  readonly requests: ApiRequest[];
  /** What the API answers from; a test may replace it at any time. */
  data: FakeDataset;
  /** `/api/about`'s refresh interval. */
  refreshSeconds: number | null;
  /** Overrides `/api/about`'s newest event (otherwise the data set's). */
  newestEvent: string | null | undefined;
  /** Endpoints that fail, with the status and message they answer. */
  readonly failures: Map<string, { status: number; message: string }>;
  close(): Promise<void>;
}

export async function startDashboardServer(build: DashboardBuild, data: FakeDataset): Promise<FakeDashboardServer> {
  const requests: ApiRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, type: string, body: string) =>
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
    if (url.pathname.startsWith('/api/')) {
      requests.push({
        path: url.pathname,
        from: url.searchParams.get('from'),
        to: url.searchParams.get('to'),
        user: url.searchParams.get('user'),
      });
      const failure = fake.failures.get(url.pathname);
      const about: AboutResponse = {
        ...aboutOf(fake.data, fake.refreshSeconds),
        ...(fake.newestEvent === undefined ? {} : { newestEvent: fake.newestEvent }),
      };
      const { status, body } = failure
        ? { status: failure.status, body: { message: failure.message } }
        : answer(fake.data, about, url.pathname, url.searchParams);
      send(status, 'application/json', JSON.stringify(body));
    } else if (url.pathname === '/') send(200, 'text/html;charset=utf-8', build.html);
    else if (url.pathname === DASHBOARD_SCRIPT_PATH) send(200, 'text/javascript', build.script);
    else if (url.pathname === DASHBOARD_CSS_PATH) send(200, 'text/css', build.css);
    else send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeDashboardServer = {
    origin: `http://127.0.0.1:${port}`,
    requests,
    data,
    refreshSeconds: null,
    newestEvent: undefined,
    failures: new Map(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return fake;
}
