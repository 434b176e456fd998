/**
 * A tiny site for the tracker's browser tests, on 127.0.0.1 and a free port: test pages, the built tracker,
 * and a fake `POST /collect` that records every request and answers as the collector's contract says.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CollectAccepted, CollectBatch, CollectRefused } from '../../collector/protocol';
import { COLLECT_PATH } from '../../collector/protocol';
import type { TrackerBuild } from '../../tracker/build';

/** One request the fake collector received. */
export interface CollectRequest {
  readonly batch: CollectBatch & { readonly events: Record<string, unknown>[] };
  readonly headers: IncomingHttpHeaders;
  /** Bytes of the body. */
  readonly bytes: number;
  /** The status it was answered with. */
  readonly status: number;
}

/** The fake collector's answer to one request: a status and its JSON body. */
export type CollectAnswer = { status: 200; body: CollectAccepted } | { status: number; body: CollectRefused };

/** Accepts every event, as the collector does when Kinesis takes them all. */
export const acceptAll = (batch: CollectBatch): CollectAnswer => ({
  status: 200,
  body: { accepted: batch.events.length, failed: 0, failedIndexes: [] },
});

export interface TrackerSite {
  /** `http://127.0.0.1:port` */
  readonly origin: string;
  readonly port: number;
  /** Requests to `POST /collect`, in the order they arrived. */
  readonly requests: CollectRequest[];
  /** CORS preflights (`OPTIONS`) received: a text/plain send should cause none. */
  readonly preflights: string[];
  /** Pages by path (query strings ignored). */
  readonly pages: Map<string, string>;
  /** How `/collect` answers its `n`-th request (from 0); accepts everything unless a test says otherwise. */
  answer: (batch: CollectBatch, n: number) => CollectAnswer;
  /** Whether answers carry `Access-Control-Allow-Origin` (as the stack's allowed origins do); true unless a test says otherwise. */
  cors: boolean;
  /** Every event received, with its request's `sentAt`, in arrival order. */
  events(): (Record<string, unknown> & { readonly sentAt: number })[];
  close(): Promise<void>;
}

/** Starts the site, serving `build.script` at `/tracker.js` and `build.module` at `/tracker.mjs`. */
export async function startTrackerSite(build: TrackerBuild): Promise<TrackerSite> {
  const requests: CollectRequest[] = [];
  const preflights: string[] = [];
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // The test pages and the collector may be on different origins; the API answers its allowed origins alike.
    if (site.cors) res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      preflights.push(path);
      res.writeHead(204, { 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type' }).end();
      return;
    }
    if (req.method === 'POST' && path === COLLECT_PATH) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks);
        const batch = JSON.parse(text.toString('utf8')) as CollectRequest['batch'];
        const { status, body } = site.answer(batch, requests.length);
        requests.push({ batch, headers: req.headers, bytes: text.length, status });
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      });
      return;
    }
    const script = path === '/tracker.js' ? build.script : path === '/tracker.mjs' ? build.module : undefined;
    if (script !== undefined) {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
      return;
    }
    const page = pages.get(path);
    if (page !== undefined) res.writeHead(200, { 'Content-Type': 'text/html;charset=utf-8' }).end(page);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const site: TrackerSite = {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    preflights,
    pages,
    answer: acceptAll,
    cors: true,
    events: () => requests.flatMap(({ batch }) => batch.events.map((event) => ({ ...event, sentAt: batch.sentAt! }))),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return site;
}

/** The queue stub a site puts before the tracker's script tag, as the README gives it. */
export const QUEUE_STUB =
  'window.clickstream=window.clickstream||function(){(window.clickstream.q=window.clickstream.q||[]).push(arguments)};';

/** A test page: `head` before the tracker's script tag (with `attributes`), then `body`. */
export function trackerPage({ attributes = '', head = '', body = '' }: { attributes?: string; head?: string; body?: string }): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Test page</title>${head}
<script async src="/tracker.js" ${attributes}></script></head><body>${body}</body></html>`;
}
