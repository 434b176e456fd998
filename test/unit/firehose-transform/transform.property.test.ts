import fc from 'fast-check';
import { loadConfig } from '../../../functions/firehose-transform/config';
import { UserAgentCache } from '../../../functions/firehose-transform/enrich/user-agent';
import { transformBatch } from '../../../functions/firehose-transform/transform-batch';
import { ARCHIVE_COLUMNS } from '../../../functions/shared/archive-schema';
import { EVENT_TYPES } from '../../../functions/shared/event-contract';
import { T0, producerEvent } from '../../helpers/events';
import { firehoseEvent, rowOf } from '../../helpers/firehose';
import { MemoryLog } from '../../helpers/memory-store';

const settings = loadConfig({});
const TS_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

/** The user of the records whose device time is drawn from any time: their answers are counted apart. */
const DEVICE_TIME_USER = 'device-time';

/** Valid events, random JSON, random bytes and near-misses, mixed. */
const record = fc.oneof(
  fc
    .record({
      userId: fc.string({ minLength: 1, maxLength: 20 }),
      eventType: fc.constantFrom(...EVENT_TYPES),
      timestamp: fc.integer({ min: T0 - 3_600_000, max: T0 }),
      url: fc.webUrl({ withQueryParameters: true, withFragments: true }),
      ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()),
      userAgent: fc.string({ maxLength: 100 }),
      properties: fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.boolean()), {
        maxKeys: 5,
      }),
    })
    .map((e) => producerEvent(e)),
  // Any device time, with send and receive times that may place it now: every accepted one is written.
  fc
    .record({
      timestamp: fc.oneof(
        fc.integer({ min: 1, max: 9_000_000_000_000_000 }),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
      wait: fc.integer({ min: 0, max: 60_000 }),
      receivedAt: fc.integer({ min: T0 - 3_600_000, max: T0 }),
    })
    .map(({ timestamp, wait, receivedAt }) => {
      const device = typeof timestamp === 'number' ? timestamp : Date.parse(timestamp);
      return producerEvent({ userId: DEVICE_TIME_USER, timestamp, sentAt: device + wait, receivedAt });
    }),
  // Zoned texts in the first and last hour of the years 0000 and 9999, which the zone may move out of them.
  fc
    .record({
      hour: fc.constantFrom('0000-01-01T00', '9999-12-31T23'),
      minute: fc.integer({ min: 0, max: 59 }),
      zone: fc
        .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([sign, h, m]) => `${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
      receivedAt: fc.integer({ min: T0 - 3_600_000, max: T0 }),
    })
    .map(({ hour, minute, zone, receivedAt }) => {
      const text = `${hour}:${String(minute).padStart(2, '0')}:00${zone}`;
      return producerEvent({ userId: DEVICE_TIME_USER, timestamp: text, sentAt: text, receivedAt });
    }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.string().map((s) => s),
);

describe('firehose-transform properties', () => {
  it('answers every recordId exactly once, in order, with a valid result; every Ok row matches the archive schema', () => {
    const answered = { Ok: 0, Dropped: 0, ProcessingFailed: 0 };
    const deviceTime = { Ok: 0, Dropped: 0, ProcessingFailed: 0 };
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (payloads) => {
        const event = firehoseEvent(payloads, T0 + 60_000);
        const { result } = transformBatch(event, new UserAgentCache(), settings, new MemoryLog());
        expect(result.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
        expect(new Set(result.records.map((r) => r.recordId)).size).toBe(event.records.length);
        for (const answer of result.records) {
          expect(['Ok', 'Dropped', 'ProcessingFailed']).toContain(answer.result);
          answered[answer.result] += 1;
          // An Ok answer is the row; any other answer keeps the record's own bytes.
          const text = Buffer.from(answer.data ?? '', 'base64').toString();
          if (answer.result === 'Ok' ? rowOf(answer.data).user_id === DEVICE_TIME_USER : text.includes(`"userId":"${DEVICE_TIME_USER}"`))
            deviceTime[answer.result] += 1;
          expect(typeof answer.data).toBe('string');
          if (answer.result !== 'Ok') continue;
          const row = rowOf(answer.data);
          expect(Object.keys(row)).toEqual(ARCHIVE_COLUMNS.map((c) => c.name));
          for (const c of ARCHIVE_COLUMNS) {
            const v = row[c.name];
            if (c.type === 'timestamp') expect(v).toMatch(TS_TEXT);
            else if (c.type === 'boolean') expect(typeof v).toBe('boolean');
            else if (v !== null) expect(typeof v).toBe(c.type === 'double' || c.type === 'bigint' ? 'number' : 'string');
          }
          expect(answer.metadata?.partitionKeys?.['dt']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(answer.metadata?.partitionKeys?.['hour']).toMatch(/^([01]\d|2[0-3])$/);
        }
      }),
      { numRuns: 200 },
    );
    // The mix reached both sides, and so did the records with any device time: written, and refused.
    expect(answered.Ok).toBeGreaterThan(0);
    expect(answered.ProcessingFailed).toBeGreaterThan(0);
    expect(deviceTime.Ok).toBeGreaterThan(0);
    expect(deviceTime.ProcessingFailed).toBeGreaterThan(0);
  });

  it("writes each event's own values into its row as sent, whatever characters they hold", () => {
    const text = (maxLength: number) => fc.string({ unit: 'binary', minLength: 1, maxLength });
    const event = fc.record({
      userId: text(40),
      eventName: text(40),
      clientSessionId: fc.option(text(40), { nil: undefined }),
      url: fc.oneof(
        fc.webUrl({ withQueryParameters: true }),
        text(60).map((t) => `https://shop.example.com/${t}`),
      ),
      referrer: fc.option(fc.oneof(fc.webUrl(), text(60)), { nil: undefined }),
      revenue: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: undefined }),
      properties: fc.option(fc.dictionary(text(10), fc.oneof(fc.integer(), text(10), fc.boolean()), { maxKeys: 4 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 10 }), (events) => {
        const payloads = events.map((e) =>
          producerEvent({
            ...e,
            eventType: e.revenue === undefined ? 'page_view' : 'conversion',
            properties: e.revenue === undefined ? e.properties : { ...e.properties, revenue: e.revenue },
          }),
        );
        const { result } = transformBatch(firehoseEvent(payloads, T0 + 60_000), new UserAgentCache(), settings, new MemoryLog());
        for (const [i, answer] of result.records.entries()) {
          if (answer.result !== 'Ok') continue; // what the contract refuses (too long in UTF-16 units) is another test's
          const sent = payloads[i]!;
          const row = rowOf(answer.data);
          expect(row['user_id']).toBe(sent['userId']);
          expect(row['event_name']).toBe(sent['eventName']);
          expect(row['client_session_id']).toBe(sent['clientSessionId'] ?? null);
          expect(row['page_url']).toBe(sent['url']);
          expect(row['referrer']).toBe(sent['referrer'] ?? null);
          expect(row['properties']).toBe(sent['properties'] === undefined ? null : JSON.stringify(sent['properties']));
          expect(row['revenue']).toBe(events[i]!.revenue === undefined ? null : events[i]!.revenue === 0 ? 0 : events[i]!.revenue);
        }
      }),
      { numRuns: 300 },
    );
  });
});
