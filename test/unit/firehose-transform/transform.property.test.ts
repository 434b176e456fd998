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
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.string().map((s) => s),
);

describe('firehose-transform properties', () => {
  it('answers every recordId exactly once, in order, with a valid result; every Ok row matches the archive schema', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (payloads) => {
        const event = firehoseEvent(payloads, T0 + 60_000);
        const { result } = transformBatch(event, new UserAgentCache(), settings, new MemoryLog());
        expect(result.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
        expect(new Set(result.records.map((r) => r.recordId)).size).toBe(event.records.length);
        for (const answer of result.records) {
          expect(['Ok', 'Dropped', 'ProcessingFailed']).toContain(answer.result);
          expect(typeof answer.data).toBe('string');
          if (answer.result !== 'Ok') continue;
          const row = rowOf(answer.data);
          expect(Object.keys(row)).toEqual(ARCHIVE_COLUMNS.map((c) => c.name));
          for (const c of ARCHIVE_COLUMNS) {
            const v = row[c.name];
            if (c.type === 'timestamp') expect(v).toMatch(TS_TEXT);
            else if (c.type === 'boolean') expect(typeof v).toBe('boolean');
            else if (v !== null) expect(typeof v).toBe(c.type === 'double' ? 'number' : 'string');
          }
          expect(answer.metadata?.partitionKeys?.['dt']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(answer.metadata?.partitionKeys?.['hour']).toMatch(/^([01]\d|2[0-3])$/);
        }
      }),
      { numRuns: 200 },
    );
  });
});
