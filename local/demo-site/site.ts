/** The demo site's HTTP handler: its pages and the tracker script, built from `tracker/` when first asked for. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildTracker } from '../../tracker/build';
import { page } from './pages';
import type { PageContext } from './pages';

export class DemoSite {
  private script: Promise<string> | undefined;

  constructor(private readonly ctx: PageContext) {}

  /** Answers one request: a page, the tracker, or 404. A form post is read and dropped: the demo stores nothing. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    req.resume();
    if (url.pathname === '/tracker.js') {
      this.script ??= buildTracker().then((b) => b.script);
      // A failed build is not kept: the next request builds again. The caller answers the error with a 500.
      const script = await this.script.catch((err: unknown) => {
        this.script = undefined;
        throw err;
      });
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
      res.end(script);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const html = page(url.pathname, url.searchParams, this.ctx);
    res.writeHead(html === undefined ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html ?? '<!doctype html><title>Not found</title><p>No such page. <a href="/">Home</a></p>');
  }
}
