/**
 * The browser tracker in real headless Chromium (playwright-core, the system's /usr/bin/chromium): the built
 * script on a test site with a fake collector. Every wait polls what the collector received, up to a deadline;
 * no assertion depends on a fixed sleep. Every event received is checked against the event contract.
 */
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_MAX_FUTURE_MS, validateRecord } from '../../functions/shared/validate-event';
import { buildTracker } from '../../tracker/build';
import type { TrackerBuild } from '../../tracker/build';
import { acceptAll, QUEUE_STUB, startTrackerSite, trackerPage } from '../helpers/tracker-server';
import type { TrackerSite } from '../helpers/tracker-server';

// Chromium starts in about 3 s on 2 cores; retries wait up to a few seconds of backoff.
jest.setTimeout(120_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DEADLINE_MS = 30_000;

/** Counts the tracker's sends to `/collect` in the page, synchronously: a send that did not happen is seen at once. */
const SEND_SPY = `
window.__sends = 0;
const fetch0 = window.fetch;
window.fetch = function (url) { if (String(url).includes('/collect')) window.__sends++; return fetch0.apply(this, arguments); };
const beacon0 = navigator.sendBeacon.bind(navigator);
navigator.sendBeacon = function (url, body) { if (String(url).includes('/collect')) window.__sends++; return beacon0(url, body); };`;

let build: TrackerBuild;
let browser: Browser;
let site: TrackerSite;
let context: BrowserContext;
/** Exceptions and console errors the pages saw. */
let errors: string[];

beforeAll(async () => {
  [build, browser] = await Promise.all([
    buildTracker(),
    chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] }),
  ]);
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  site = await startTrackerSite(build);
  context = await browser.newContext();
  errors = [];
});

afterEach(async () => {
  await context.close();
  await site.close();
  expect(errors).toEqual([]);
  // Arrival on the device's clock: some tests move the page's clock forward.
  const bounds = { maxAgeMs: 3_600_000, maxFutureMs: DEFAULT_MAX_FUTURE_MS };
  const refused = site
    .events()
    .map((event) => validateRecord(Buffer.from(JSON.stringify(event)), event.sentAt, bounds))
    .filter((result) => !result.ok);
  expect(refused).toEqual([]);
});

/** Records the exceptions and console errors `page` sees. */
function watch(page: Page): Page {
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every 4xx and 5xx answer as "Failed to load resource"; that is the browser, not the page.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
  });
  return page;
}

/** Opens `html` at `path` in a new page, watched; `prepare` runs before the page loads. */
async function open(html: string, path = '/page', prepare?: (page: Page) => Promise<void>): Promise<Page> {
  site.pages.set(new URL(path, site.origin).pathname, html);
  const page = watch(await context.newPage());
  await prepare?.(page);
  await page.goto(site.origin + path);
  return page;
}

/** Polls `probe` until it returns something truthy, or fails after the deadline naming `what`. */
async function until<T>(what: string, probe: () => T | Promise<T>): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await probe();
    if (value) return value as Exclude<T, false | 0 | '' | null | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out after ${DEADLINE_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Calls `window.clickstream(method, ...args)` in the page. */
function cs(page: Page, method: string, ...args: unknown[]): Promise<unknown> {
  return page.evaluate(`clickstream(${[method, ...args].map((arg) => JSON.stringify(arg)).join(',')})`);
}

/** Events of `eventType` received so far. */
const received = (eventType: string) => site.events().filter((event) => event.eventType === eventType);

/** Waits until `count` events of `eventType` have arrived, and returns them. */
const receive = (eventType: string, count = 1) =>
  until(`${count} ${eventType} event(s)`, () => received(eventType).length >= count && received(eventType));

/**
 * Sends a conversion marked `marker` at once and waits for it: every event recorded before it has arrived by then (or
 * went into an earlier request), so a count taken afterwards is final.
 */
async function settle(page: Page, marker: string): Promise<void> {
  await cs(page, 'track', 'conversion', { marker });
  await cs(page, 'flush');
  await until(`the marker ${marker}`, () => site.events().some((event) => (event.properties as { marker?: string }).marker === marker));
}

const cookies = async () => (await context.cookies()).filter((cookie) => cookie.name.startsWith('_cs_'));

describe('the tracker in a browser', () => {
  it('sends a page view on load with every field the contract requires, an eventId, and nothing the collector owns', async () => {
    await open(trackerPage({}), '/landing?campaign=spring');
    const [view] = await receive('page_view');
    expect(Object.keys(view!).sort()).toEqual(
      ['eventId', 'eventType', 'properties', 'referrer', 'sentAt', 'sessionId', 'timestamp', 'url', 'userId'].sort(),
    );
    expect(view).toMatchObject({ eventType: 'page_view', url: `${site.origin}/landing?campaign=spring`, referrer: null, properties: {} });
    for (const id of [view!.eventId, view!.userId, view!.sessionId]) expect(id).toMatch(UUID);
    expect(typeof view!.timestamp).toBe('number');
    expect(view!.sentAt).toBeGreaterThanOrEqual(view!.timestamp as number);
    expect(site.requests[0]!.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(site.preflights).toEqual([]);
  });

  it('works as an ES module: calls before init() wait for it, then the same events leave', async () => {
    await open(
      `<!doctype html><title>Module</title><script type="module">
        import { init, track } from '/tracker.mjs';
        track('conversion', { before: 'init' });
        init({ storage: 'none' });
        track('conversion', { after: 'init' });
      </script>`,
    );
    const conversions = await receive('conversion', 2);
    expect(conversions.map((event) => event.properties)).toEqual([{ before: 'init' }, { after: 'init' }]);
    expect(await receive('page_view')).toHaveLength(1);
    expect(await cookies()).toEqual([]);
  });

  it('records a page view for each History API navigation that changes the URL, and for back and forward', async () => {
    const page = await open(trackerPage({}), '/app');
    await receive('page_view');
    await page.evaluate(
      `history.pushState({}, '', '/app/cart'); history.replaceState({}, '', '/app/cart'); history.replaceState({}, '', '/app/cart?step=2')`,
    );
    await receive('page_view', 3);
    await page.evaluate('history.back()');
    await receive('page_view', 4);
    await settle(page, 'end');
    expect(received('page_view').map((event) => event.url)).toEqual(
      ['/app', '/app/cart', '/app/cart?step=2', '/app'].map((path) => site.origin + path),
    );
  });

  it('records clicks on links (href, text, outbound) and on data-cs-event elements (name and data-cs-* properties)', async () => {
    const page = await open(
      trackerPage({
        body: `<a id="out" href="https://example.org/pricing" onclick="return false">  See
            <b>pricing</b> </a>
          <a id="in" href="/docs#start" onclick="return false">Docs</a>
          <button id="signup" data-cs-event="signup" data-cs-plan="pro" data-cs-seats="3"><span>Sign up</span></button>
          <p id="plain">Not tracked</p>`,
      }),
    );
    for (const selector of ['#out', '#in', '#signup span', '#plain']) await page.click(selector);
    await receive('click', 3);
    await settle(page, 'end');
    expect(received('click').map(({ eventName, properties }) => ({ eventName, properties }))).toEqual([
      { eventName: undefined, properties: { href: 'https://example.org/pricing', text: 'See pricing', outbound: true } },
      { eventName: undefined, properties: { href: `${site.origin}/docs#start`, text: 'Docs', outbound: false } },
      { eventName: 'signup', properties: { plan: 'pro', seats: '3' } },
    ]);
  });

  it('records a form submit with the form id, name and action, and never a field value', async () => {
    const page = await open(
      trackerPage({
        body: `<form id="newsletter-form" name="newsletter" action="/subscribe" onsubmit="return false">
          <input name="email" value="ada@example.org"><input name="action" value="secret-field">
          <input type="password" name="pw" value="hunter2"><button id="go">Subscribe</button></form>`,
      }),
    );
    await page.click('#go');
    const [submit] = await receive('form_submit');
    expect(submit!.properties).toEqual({ id: 'newsletter-form', name: 'newsletter', action: `${site.origin}/subscribe` });
    const sent = JSON.stringify(site.requests.map((request) => request.batch));
    for (const value of ['ada@example.org', 'secret-field', 'hunter2']) expect(sent).not.toContain(value);
  });

  it('reports scroll depth 25, 50, 75 and 100 once per page view', async () => {
    const page = await open(trackerPage({ body: '<div style="height: 5000px">A long page</div>' }), '/long');
    const scrollTo = (share: number) =>
      page.evaluate(`scrollTo(0, ${share} * document.documentElement.scrollHeight - innerHeight); new Promise(requestAnimationFrame)`);
    await scrollTo(0.6);
    await receive('scroll', 2);
    await scrollTo(1);
    await receive('scroll', 4);
    await scrollTo(0);
    await scrollTo(1);
    await page.evaluate(`history.pushState({}, '', '/long/2')`);
    await scrollTo(0);
    await scrollTo(1);
    await receive('scroll', 8);
    await settle(page, 'end');
    expect(
      received('scroll').map((event) => [new URL(event.url as string).pathname, (event.properties as { depth: number }).depth]),
    ).toEqual([
      ['/long', 25],
      ['/long', 50],
      ['/long', 75],
      ['/long', 100],
      ['/long/2', 25],
      ['/long/2', 50],
      ['/long/2', 75],
      ['/long/2', 100],
    ]);
  });

  it('sends custom events: track(eventType, properties, eventName)', async () => {
    const page = await open(trackerPage({}));
    await cs(page, 'track', 'conversion', { revenue: 42.5, currency: 'EUR' });
    await cs(page, 'track', 'video_play', { video: 'intro' }, 'intro_video');
    const [conversion] = await receive('conversion');
    const [play] = await receive('video_play');
    expect(conversion).toMatchObject({ properties: { revenue: 42.5, currency: 'EUR' } });
    expect(conversion!.eventName).toBeUndefined();
    expect(play).toMatchObject({ eventName: 'intro_video', properties: { video: 'intro' } });
  });

  it('replays the calls queued by the stub before the script loaded, then replaces the stub', async () => {
    const page = await open(
      trackerPage({
        head: `<script>${QUEUE_STUB}clickstream('identify', 'user-42'); clickstream('track', 'conversion', { revenue: 10 });</script>`,
      }),
    );
    const [conversion] = await receive('conversion');
    const [view] = await receive('page_view');
    expect(conversion).toMatchObject({ userId: 'user-42', properties: { revenue: 10 } });
    expect(view!.userId).toBe('user-42');
    expect(await page.evaluate('clickstream.q')).toBeUndefined();
    expect((await cookies()).find((cookie) => cookie.name === '_cs_id')!.value).toBe('user-42');
  });

  it('sends again only the events the collector reports failed, with the same eventIds', async () => {
    site.answer = (batch, n) =>
      n === 0 ? { status: 200, body: { accepted: batch.events.length - 1, failed: 1, failedIndexes: [1] } } : acceptAll(batch);
    const page = await open(trackerPage({ head: `<script>${QUEUE_STUB}clickstream('track', 'conversion', { revenue: 5 });</script>` }));
    await until('the failed event sent again', () => site.requests.length >= 2);
    const [first, second] = site.requests;
    expect(first!.batch.events).toHaveLength(2);
    expect(second!.batch.events).toEqual([first!.batch.events[1]]);
    expect(second!.batch.sentAt).toBeGreaterThan(first!.batch.sentAt!);
    await settle(page, 'end');
    expect(site.events().filter((event) => event.eventId === first!.batch.events[1]!.eventId)).toHaveLength(2);
    expect(await cs(page, 'dropped')).toBe(0);
  });

  it('sends a whole batch again after a 503, with the same eventIds and a new sentAt', async () => {
    site.answer = (batch, n) => (n === 0 ? { status: 503, body: { message: 'the stream is unavailable' } } : acceptAll(batch));
    await open(trackerPage({ head: `<script>${QUEUE_STUB}clickstream('track', 'conversion', { revenue: 5 });</script>` }));
    await until('the batch sent again', () => site.requests.length >= 2);
    const [first, second] = site.requests;
    expect(second!.batch.events.map((event) => event.eventId)).toEqual(first!.batch.events.map((event) => event.eventId));
    expect(second!.batch.events).toEqual(first!.batch.events);
    expect(second!.batch.sentAt).toBeGreaterThan(first!.batch.sentAt!);
  });

  it('gives a batch up after 5 attempts, with backoff between them, and counts it as dropped', async () => {
    site.answer = () => ({ status: 503, body: { message: 'the stream is unavailable' } });
    const page = await open(trackerPage({}), '/page', (p) => p.clock.install());
    for (let attempt = 1; attempt <= 5; attempt++) {
      await until(`attempt ${attempt}`, () => site.requests.length >= attempt);
      // Past the longest delay (8 s at most) of the next retry.
      await page.clock.fastForward('00:10');
    }
    await until('the batch counted as dropped', async () => (await cs(page, 'dropped')) === 1);
    expect(site.requests).toHaveLength(5);
    const ids = site.requests.map((request) => request.batch.events.map((event) => event.eventId).join());
    expect(new Set(ids).size).toBe(1);
    const sentAt = site.requests.map((request) => request.batch.sentAt!);
    expect(sentAt).toEqual([...sentAt].sort((a, b) => a - b));
    expect(new Set(sentAt).size).toBe(5);
  });

  it('never sends a refused (400) batch again, and counts it as dropped', async () => {
    site.answer = (batch, n) => (n === 0 ? { status: 400, body: { message: 'the request body is not valid' } } : acceptAll(batch));
    const page = await open(trackerPage({}));
    await until('the refused page view counted as dropped', async () => (await cs(page, 'dropped')) === 1);
    await settle(page, 'end');
    expect(site.requests.map((request) => request.batch.events.map((event) => event.eventType))).toEqual([['page_view'], ['conversion']]);
  });

  it('sends nothing and stores nothing under Global Privacy Control', async () => {
    await context.addInitScript(`Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }); ${SEND_SPY}`);
    const page = await open(trackerPage({}));
    await cs(page, 'track', 'conversion', { revenue: 1 });
    await cs(page, 'consent', true);
    await cs(page, 'flush');
    await page.evaluate(`dispatchEvent(new Event('pagehide'))`);
    expect(await page.evaluate('window.__sends')).toBe(0);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(await cookies()).toEqual([]);
    expect(site.requests).toEqual([]);
  });

  it('with requireConsent, stores and sends nothing until consent(true); consent(false) forgets the ids and the queue', async () => {
    await context.addInitScript(SEND_SPY);
    const page = await open(trackerPage({ attributes: 'data-require-consent="true"' }));
    await cs(page, 'track', 'conversion', { revenue: 1 });
    await cs(page, 'flush');
    expect(await page.evaluate('window.__sends')).toBe(0);
    expect(await cookies()).toEqual([]);

    await cs(page, 'consent', true);
    const [view] = await receive('page_view');
    const [conversion] = await receive('conversion');
    expect(conversion!.userId).toBe(view!.userId);
    expect((await cookies()).map((cookie) => [cookie.name, cookie.value])).toEqual(expect.arrayContaining([['_cs_id', view!.userId]]));

    const sends = await page.evaluate('window.__sends');
    await page.evaluate(`clickstream('track', 'conversion', { revenue: 2 }); clickstream('consent', false); clickstream('flush')`);
    await cs(page, 'track', 'conversion', { revenue: 3 });
    await cs(page, 'flush');
    expect(await page.evaluate('window.__sends')).toBe(sends);
    expect(await cookies()).toEqual([]);
  });

  it("with storage 'none', stores nothing and gives each page load its own id", async () => {
    const first = await open(trackerPage({ attributes: 'data-storage="none"' }));
    await receive('page_view');
    await first.reload();
    const [one, two] = await receive('page_view', 2);
    expect(one!.userId).not.toBe(two!.userId);
    expect(await first.evaluate('localStorage.length')).toBe(0);
    expect(await cookies()).toEqual([]);
  });

  it('keeps the anonymous id and the session in a first-party cookie (a year, SameSite=Lax) across page loads', async () => {
    const page = await open(trackerPage({}));
    await receive('page_view');
    await page.reload();
    const [one, two] = await receive('page_view', 2);
    expect(two!.userId).toBe(one!.userId);
    expect(two!.sessionId).toBe(one!.sessionId);
    const id = (await cookies()).find((cookie) => cookie.name === '_cs_id')!;
    expect(id).toMatchObject({ value: one!.userId, sameSite: 'Lax', path: '/' });
    expect(id.expires * 1000 - Date.now()).toBeGreaterThan(364 * 24 * 3600_000);
  });

  it("keeps the ids in localStorage with storage 'localStorage'", async () => {
    const page = await open(trackerPage({ attributes: 'data-storage="localStorage"' }));
    await receive('page_view');
    await page.reload();
    const [one, two] = await receive('page_view', 2);
    expect(two!.userId).toBe(one!.userId);
    expect(await page.evaluate(`localStorage.getItem('_cs_id')`)).toBe(one!.userId);
    expect(await cookies()).toEqual([]);
  });

  it('starts a new session after 30 minutes without an event', async () => {
    const page = await open(trackerPage({}), '/page', (p) => p.clock.install());
    const [view] = await receive('page_view');
    await page.clock.fastForward('29:00');
    await cs(page, 'track', 'conversion', { step: 'within' });
    await page.clock.fastForward('31:00');
    await cs(page, 'track', 'conversion', { step: 'after' });
    await page.clock.fastForward('00:02');
    const [within, after] = await receive('conversion', 2);
    expect(within!.sessionId).toBe(view!.sessionId);
    expect(after!.sessionId).not.toBe(view!.sessionId);
    expect(after!.userId).toBe(view!.userId);
  });

  it('sends the queue by beacon when the page goes away: to another page, or closed', async () => {
    // The page's clock stands still, so the idle send never fires: only leaving the page can send the queue.
    const page = await open(trackerPage({}), '/page', async (p) => {
      await p.clock.install();
      await p.clock.pauseAt(Date.now() + 60_000);
    });
    site.pages.set('/elsewhere', '<!doctype html><title>Elsewhere</title>');
    await cs(page, 'track', 'conversion', { revenue: 7 });
    expect(site.requests).toEqual([]);
    await page.goto(`${site.origin}/elsewhere`);
    await receive('conversion');
    expect(site.events().map((event) => event.eventType)).toEqual(['page_view', 'conversion']);
    expect(site.requests[0]!.headers['sec-fetch-mode']).toBe('no-cors');

    const closing = await open(trackerPage({}), '/page', async (p) => {
      await p.clock.install();
      await p.clock.pauseAt(Date.now() + 60_000);
    });
    await cs(closing, 'track', 'conversion', { revenue: 8 });
    await closing.close();
    await receive('conversion', 2);
    expect(site.requests[1]!.headers['sec-fetch-mode']).toBe('no-cors');
  });

  it('sends at once when 10 events are queued, without waiting for the idle second', async () => {
    const page = await open(trackerPage({}), '/page', async (p) => {
      await p.clock.install();
      await p.clock.pauseAt(Date.now() + 60_000);
    });
    for (let n = 1; n <= 9; n++) await cs(page, 'track', 'conversion', { n });
    await until('a batch of 10', () => site.requests.length >= 1);
    await cs(page, 'track', 'conversion', { n: 10 });
    await settle(page, 'end');
    expect(site.requests.map((request) => request.batch.events.length)).toEqual([10, 2]);
  });

  it('splits a large queue into requests of at most 60,000 bytes', async () => {
    const page = await open(trackerPage({}), '/page', async (p) => {
      await p.clock.install();
      await p.clock.pauseAt(Date.now() + 60_000);
    });
    // Nine events of about 20 KB (with the page view, fewer than 10: they wait), in two-byte characters, each
    // string within the contract's 2,048 characters.
    const note = 'é'.repeat(2000);
    for (let n = 1; n <= 9; n++) await cs(page, 'track', 'conversion', { n, a: note, b: note, c: note, d: note, e: note });
    await cs(page, 'flush');
    await receive('conversion', 9);
    expect(site.requests.length).toBeGreaterThanOrEqual(4);
    for (const request of site.requests) expect(request.bytes).toBeLessThanOrEqual(60_000);
    // Every event once; the requests travel side by side, so they may arrive in any order.
    const numbers = site.events().map((event) => (event.properties as { n?: number }).n ?? 0);
    expect(numbers.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('makes UUIDs from getRandomValues where crypto.randomUUID is missing', async () => {
    await context.addInitScript('delete Crypto.prototype.randomUUID');
    const page = await open(trackerPage({}));
    expect(await page.evaluate('typeof crypto.randomUUID')).toBe('undefined');
    await cs(page, 'track', 'conversion', {});
    const [view] = await receive('page_view');
    const [conversion] = await receive('conversion');
    const ids = [view!.eventId, conversion!.eventId, view!.userId, view!.sessionId];
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(4);
  });

  it('sends to a collector on another origin without a CORS preflight', async () => {
    const page = await open(trackerPage({ attributes: `data-collector="http://localhost:${site.port}/collect"` }));
    await receive('page_view');
    expect(site.requests[0]!.headers.origin).toBe(site.origin);
    expect(site.preflights).toEqual([]);
    expect(await cs(page, 'dropped')).toBe(0);
  });

  it('sends blind, once it finds that the collector lets this origin read no answer, and drops nothing', async () => {
    site.cors = false;
    const page = await open(trackerPage({ attributes: `data-collector="http://localhost:${site.port}/collect"` }));
    await receive('page_view');
    await settle(page, 'blind');
    // The first batch may arrive twice (its unreadable answer, then the blind send); the collector counts its ids once.
    const views = site.events().filter((event) => event.eventType === 'page_view');
    expect(new Set(views.map((event) => event.eventId)).size).toBe(1);
    expect(site.requests.at(-1)!.headers['sec-fetch-mode']).toBe('no-cors');
    expect(await cs(page, 'dropped')).toBe(0);
    // The browser reports the one blocked answer; nothing else.
    expect(errors.filter((e) => !/CORS policy/.test(e))).toEqual([]);
    errors.length = 0;
  });

  it('drops and counts an event too large for the contract, and sends the rest', async () => {
    const page = await open(trackerPage({}));
    // About 30 KB: over what an event may be once the collector has added its fields (MAX_EVENT_BYTES).
    const note = 'x'.repeat(2000);
    await cs(page, 'track', 'conversion', Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`p${i}`, note])));
    await settle(page, 'after');
    expect(await cs(page, 'dropped')).toBe(1);
    expect(site.events().filter((event) => event.eventType === 'conversion')).toHaveLength(1);
  });

  it('never throws into the page, whatever the page calls', async () => {
    const page = await open(trackerPage({}));
    await page.evaluate(`
      const loop = {}; loop.self = loop;
      clickstream('no-such-method');
      clickstream('track');
      clickstream('track', 'conversion', loop);
      clickstream('track', 'conversion', { big: 10n });
      clickstream('identify', 42);
      clickstream('flush', 'yes');
      clickstream('consent');
      clickstream('consent', true);`);
    // The page's own mistakes still reach the page: the History API wrapper does not swallow them.
    expect(await page.evaluate(`try { history.pushState({}, '', 'https://example.org/'); 'no error' } catch (e) { e.name }`)).toBe(
      'SecurityError',
    );
    await settle(page, 'end');
    expect(await cs(page, 'dropped')).toBe(2);
  });

  it('never throws into the page when the collector URL is unusable', async () => {
    await context.addInitScript(SEND_SPY);
    const page = await open(
      trackerPage({
        attributes: 'data-collector="http://[::1/collect"',
        body: '<a id="link" href="/next" onclick="return false">Next</a>',
      }),
    );
    await cs(page, 'track', 'conversion', { revenue: 1 });
    await page.click('#link');
    await cs(page, 'flush');
    await page.evaluate(`dispatchEvent(new Event('pagehide'))`);
    // It tried, by fetch and by beacon; both refuse the URL.
    expect(await page.evaluate('window.__sends')).toBeGreaterThanOrEqual(2);
    expect(site.requests).toEqual([]);
  });
});
