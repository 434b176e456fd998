/**
 * A person on the demo site, in real headless Chromium: pages, a client-side app, a link marked for tracking,
 * a purchase, a form, scrolling. The tracker sends it all to the local collector; then `clickstream export
 * sessions` shows the visit as one session with its journey and revenue, and the archive rows carry the
 * collector's address (anonymised) and the browser's own user agent, never what a page claims.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { readExport } from '../../local/commands/export';
import type { SessionExport } from '../../local/commands/export';
import { openArchive } from '../../local/runtime/archive-sql';
import type { LocalCollector } from '../../local/runtime/collector';
import type { DataDir } from '../../local/runtime/data-dir';
import type { LocalPipeline } from '../../local/runtime/pipeline';
import { launchChromium, untilStable } from '../helpers/browser';
import type { CollectorPipeline } from '../helpers/collector-pipeline';
import { startCollectorPipeline } from '../helpers/collector-pipeline';

let running: CollectorPipeline;
let dataDir: DataDir;
let pipeline: LocalPipeline;
let collector: LocalCollector;
let browser: Browser;

beforeAll(async () => {
  running = await startCollectorPipeline('demo-site', { rateLimit: 100, burstLimit: 200, bufferIntervalSeconds: 1, consume: true });
  ({ dataDir, pipeline, collector } = running);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
});

describe('the demo site with the tracker, in Chromium', () => {
  it('turns a visit into one session with its journey, conversion and revenue, and the archive holds what the server saw', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });

    await page.goto(collector.siteUrl);
    await page.click('text=Espresso beans');
    await page.waitForURL('**/products/espresso');
    await page.click('#add-to-cart');
    await page.waitForURL('**/cart?item=espresso');
    await page.click('#buy');
    await page.waitForSelector('#thanks', { state: 'visible' });
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await page.click('nav >> text=Account');
    await page.waitForURL('**/app/');
    await page.click('text=Orders');
    await page.waitForURL('**/app/orders');
    await page.click('text=Settings');
    await page.waitForURL('**/app/settings');
    await page.goBack();
    await page.waitForURL('**/app/orders');
    await page.click('nav >> text=Contact');
    await page.waitForURL('**/contact');
    await page.fill('input[name=name]', 'Ada Secret');
    await page.click('button[type=submit]');
    await page.waitForURL('**/contact/sent');
    const userAgent = await page.evaluate<string>('navigator.userAgent');

    // A page that claims another address and user agent: the collector overrules both.
    // The page's scripts run in the browser: they are given as text, the project's types having no DOM.
    const forged = await page.evaluate<{ status: number; body: unknown }>(`(async () => {
      const body = JSON.stringify({ events: [{ userId: 'forger', eventType: 'page_view', timestamp: Date.now(), url: location.href, ip: '6.6.6.6', userAgent: 'Forged/1.0' }] });
      const res = await fetch(${JSON.stringify(collector.collectUrl)}, { method: 'POST', body, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
      return { status: res.status, body: await res.json() };
    })()`);
    expect(forged).toEqual({ status: 200, body: { accepted: 1, failed: 0, failedIndexes: [] } });

    await page.close({ runBeforeUnload: true });
    await context.close();
    await untilStable(() => collector.counts.acceptedEvents);
    await collector.settled();
    await pipeline.drain();
    expect(problems).toEqual([]);

    const sessions = (await readExport('sessions', dataDir.root, pipeline.dynamoEmulator.endpoint)) as SessionExport[];
    const visits = sessions.filter((s) => s.user_id !== 'forger');
    expect(visits).toHaveLength(1);
    const visit = visits[0]!;
    expect(visit).toMatchObject({
      landing_page: '/',
      exit_page: '/contact/sent',
      converted: true,
      revenue: 12.5,
      journey: ['/', '/products/espresso', '/cart', '/app/', '/app/orders', '/app/settings', '/app/orders', '/contact', '/contact/sent'],
    });

    const db = await openArchive(dataDir.archive, join(dataDir.root, 'tmp'));
    let rows: Array<Record<string, unknown>>;
    try {
      const visitor = `'${visit.user_id.replace(/'/g, "''")}'`;
      rows = await db.query(
        `SELECT user_id, event_type, event_name, ip, ua_browser, properties FROM \${events} WHERE user_id IN ('forger', ${visitor})`,
      );
    } finally {
      db.close();
    }
    const count = (type: string) => rows.filter((r) => r['user_id'] === visit.user_id && r['event_type'] === type).length;
    expect(count('page_view')).toBe(9);
    expect(count('conversion')).toBe(1);
    expect(count('form_submit')).toBe(1);
    expect(count('click')).toBeGreaterThanOrEqual(2);
    expect(count('scroll')).toBeGreaterThanOrEqual(1);
    expect(rows.find((r) => r['event_type'] === 'conversion')).toMatchObject({ event_name: 'purchase' });
    expect(rows.find((r) => r['event_name'] === 'add_to_cart')).toBeDefined();
    expect(JSON.stringify(rows)).not.toContain('Ada Secret');
    // The address is the connection's (127.0.0.1, anonymised to its /24), the browser the header's, on every row.
    const browserName = rows.find((r) => r['user_id'] === visit.user_id)!['ua_browser'];
    expect(browserName).toMatch(/Chrom/);
    expect(userAgent).toMatch(/Chrom/);
    for (const r of rows) expect(r).toMatchObject({ ip: '127.0.0.0', ua_browser: browserName });
    expect(rows.filter((r) => r['user_id'] === 'forger')).toHaveLength(1);
  }, 180_000);
});
