import type { FirehoseTransformationResult } from 'aws-lambda';
import { createHandler } from '../../../functions/firehose-transform/create-handler';
import { transformBatch } from '../../../functions/firehose-transform/transform-batch';
import { UserAgentCache } from '../../../functions/firehose-transform/enrich/user-agent';
import { loadConfig } from '../../../functions/firehose-transform/config';
import { ARCHIVE_COLUMNS } from '../../../functions/shared/archive-schema';
import { LIMITS } from '../../../functions/shared/event-contract';
import { MINUTE, T0, producerEvent } from '../../helpers/events';
import { firehoseEvent, rowOf } from '../../helpers/firehose';
import { MemoryLog } from '../../helpers/memory-store';

const settings = loadConfig({});

function run(payloads: readonly unknown[], arrivalMs?: number, overrides: Partial<typeof settings> = {}) {
  const log = new MemoryLog();
  const { result, report } = transformBatch(firehoseEvent(payloads, arrivalMs), new UserAgentCache(), { ...settings, ...overrides }, log);
  return { result, report, log };
}

describe('firehose-transform', () => {
  it('answers every recordId once: Ok for valid, ProcessingFailed for invalid and oversized records', async () => {
    const payloads = [
      producerEvent(),
      '{"userId": "u", "eventType"',
      producerEvent({ eventType: 'hover' }),
      producerEvent({ properties: { blob: 'x'.repeat(LIMITS.recordBytes) } }),
      producerEvent({ userId: 'user-2' }),
    ];
    const event = firehoseEvent(payloads);
    const handler = createHandler({ env: {}, logger: new MemoryLog() });
    const result: FirehoseTransformationResult = await handler(event);
    expect(result.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    expect(result.records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed', 'ProcessingFailed', 'ProcessingFailed', 'Ok']);
    // A failed record keeps its original bytes, which Firehose writes under the error prefix.
    expect(result.records[1]!.data).toBe(event.records[1]!.data);
  });

  it('logs the reason of each ProcessingFailed record with its recordId', () => {
    const { result, log, report } = run([producerEvent({ timestamp: 'soon' }), '\u0000\u00ff']);
    expect(report.processingFailed).toBe(2);
    expect(log.lines.map((l) => [l.attributes['recordId'], l.attributes['reason']])).toEqual([
      [result.records[0]!.recordId, 'invalid_timestamp'],
      [result.records[1]!.recordId, 'malformed_json'],
    ]);
  });

  it('writes one flat, newline-terminated JSON row with every archive column', () => {
    const { result } = run([producerEvent({ sessionId: 'c-1', eventType: 'conversion', properties: { revenue: 19.9, items: [1, 2] } })]);
    const text = Buffer.from(result.records[0]!.data!, 'base64').toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.indexOf('\n')).toBe(text.length - 1);
    const row = rowOf(result.records[0]!.data);
    expect(Object.keys(row)).toEqual(ARCHIVE_COLUMNS.map((c) => c.name));
    expect(row).toMatchObject({
      user_id: 'user-1',
      client_session_id: 'c-1',
      event_type: 'conversion',
      event_time: '2026-11-27 10:00:00.000',
      received_at: '2026-11-27 10:01:00.000',
      page_host: 'shop.example.com',
      page_path: '/products/42',
      utm_campaign: 'winter',
      click_id: null,
      click_network: null,
      traffic_channel: 'email',
      traffic_source: 'news',
      traffic_medium: 'email',
      traffic_campaign: 'winter',
      traffic_internal: false,
      ua_browser: 'Chrome',
      ua_device_type: 'desktop',
      is_bot: false,
      ip: '203.0.113.0',
      revenue: 19.9,
      properties: '{"revenue":19.9,"items":[1,2]}',
    });
    for (const value of Object.values(row)) expect(typeof value === 'object' && value !== null).toBe(false);
  });

  it('gives the same event_id to a producer retry of the same bytes', () => {
    const { result } = run([producerEvent(), producerEvent()]);
    expect(rowOf(result.records[0]!.data)['event_id']).toBe(rowOf(result.records[1]!.data)['event_id']);
  });

  it.each([
    ['2026-11-27T23:59:59.999Z', '2026-11-27', '23'],
    ['2026-11-28T00:00:00.000Z', '2026-11-28', '00'],
    ['2026-11-28T00:59:59.999+00:00', '2026-11-28', '00'],
    ['2026-11-28T01:00:00.000+01:00', '2026-11-28', '00'],
    ['2026-12-31T23:30:00.000-01:00', '2027-01-01', '00'],
  ])('partitions an event at %s by event time in UTC: dt=%s hour=%s', (timestamp, dt, hour) => {
    const arrival = Date.parse(timestamp) + MINUTE;
    const { result } = run([producerEvent({ timestamp })], arrival);
    expect(result.records[0]!.metadata).toEqual({ partitionKeys: { dt, hour } });
  });

  it('never archives a full IP address unless configured to', () => {
    const v6 = producerEvent({ ip: '2001:db8:85a3:8d3:1319:8a2e:370:7348' });
    expect(rowOf(run([v6]).result.records[0]!.data)['ip']).toBe('2001:db8:85a3::');
    expect(rowOf(run([v6], undefined, { ipMode: 'full' }).result.records[0]!.data)['ip']).toBe('2001:db8:85a3:8d3:1319:8a2e:370:7348');
  });

  it('archives bots named and categorised by default, and answers Dropped, counted, only the categories DROP_BOTS names', () => {
    const bot = producerEvent({ userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' });
    const curl = producerEvent({ userAgent: 'curl/8.5.0' });
    const app = producerEvent({ userAgent: 'okhttp/4.12.0' });
    const rows = run([bot, curl, app]).result.records.map((r) => rowOf(r.data));
    expect(rows.map((r) => [r['is_bot'], r['bot_name'], r['bot_category'], r['ua_device_type']])).toEqual([
      [true, 'Googlebot', 'search_crawler', 'bot'],
      [true, 'curl', 'http_library', 'bot'],
      [false, null, null, expect.not.stringMatching(/^bot$/)],
    ]);
    const dropping = run([bot, curl, app, producerEvent()], undefined, { dropBots: new Set(['search_crawler'] as const) });
    expect(dropping.result.records.map((r) => r.result)).toEqual(['Dropped', 'Ok', 'Ok', 'Ok']);
    expect(dropping.report.dropped).toBe(1);
  });

  it("never takes the site's own app for a bot, and counts an event without a user agent as one", () => {
    const own = producerEvent({ userAgent: 'ShopApp/3.1 curl/8.5.0' });
    const none = producerEvent({ userAgent: undefined });
    const rows = run([own, none], undefined, { ownAppUserAgents: ['shopapp/'] }).result.records.map((r) => rowOf(r.data));
    expect(rows.map((r) => [r['is_bot'], r['bot_category']])).toEqual([
      [false, null],
      [true, 'no_user_agent'],
    ]);
  });

  it('refuses an event older than the maximum age, measured from arrival', () => {
    const { result } = run([producerEvent({ timestamp: T0 })], T0 + 73 * 60 * MINUTE);
    expect(result.records[0]!.result).toBe('ProcessingFailed');
  });

  it('keeps the response within its budget by answering the overflow ProcessingFailed with the original bytes', () => {
    const payloads = Array.from({ length: 40 }, (_, i) => producerEvent({ userId: `user-${i}` }));
    const small = 40 * 900;
    const { result, report } = run(payloads, undefined, { responseLimitBytes: small });
    const size = JSON.stringify(result).length;
    expect(size).toBeLessThanOrEqual(small);
    expect(report.overBudget).toBeGreaterThan(0);
    expect(report.ok + report.overBudget).toBe(40);
    expect(
      result.records.filter((r) => r.result === 'ProcessingFailed').every((r, i, all) => i === 0 || all[i - 1]!.recordId < r.recordId),
    ).toBe(true);
  });
});
