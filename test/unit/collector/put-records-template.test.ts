/**
 * The deployed integration request template, evaluated as API Gateway evaluates it (velocityjs with
 * API Gateway's variables): one record per event, the user id as partition key, the event's own JSON with the
 * collector's fields after it, whatever the event holds.
 */
import fc from 'fast-check';
import { putRecordsTemplate } from '../../../collector/mapping-templates';
import { MAX_EVENT_BYTES } from '../../../collector/protocol';
import { LIMITS } from '../../../functions/shared/event-contract';
import { evaluateTemplate } from '../../../local/aws/api-gateway/vtl';
import type { TemplateRequest } from '../../../local/aws/api-gateway/vtl';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);

interface PutRecords {
  readonly StreamName: string;
  readonly Records: ReadonlyArray<{ readonly PartitionKey: string; readonly Data: string }>;
}

function evaluate(body: unknown, request: Partial<TemplateRequest> = {}): PutRecords {
  const out = evaluateTemplate(putRecordsTemplate('clickstream-events'), {
    body: JSON.stringify(body),
    headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0' },
    sourceIp: '203.0.113.7',
    requestTimeEpoch: 1_764_250_000_123,
    ...request,
  });
  return JSON.parse(out.text) as PutRecords;
}

const decode = (data: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as Record<string, unknown>;

/** Text that stresses escaping: quotes, backslashes, VTL's own `$` and `#`, controls, astral characters. */
const awkwardText = fc.string({ unit: fc.constantFrom('a', '"', "'", '\\', '/', '$', '#', '{', '}', '\n', '\u0001', 'é', '😀', ' ') });

const event = fc.record(
  {
    userId: awkwardText.filter((s) => s.length > 0),
    eventType: fc.constantFrom('page_view', 'click'),
    timestamp: fc.integer({ min: 1, max: 2e12 }),
    url: awkwardText,
    ip: awkwardText,
    userAgent: awkwardText,
    receivedAt: fc.integer(),
    properties: fc.dictionary(awkwardText, fc.oneof(awkwardText, fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 4 }),
  },
  { requiredKeys: ['userId'] },
);

describe('the PutRecords request template', () => {
  it('puts each event of a batch as one record keyed by its user id, with the collector fields replacing the client ones', () => {
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 8 }),
        awkwardText,
        fc.option(fc.integer({ min: 1, max: 2e12 })),
        (events, ua, sentAt) => {
          const put = evaluate({ events, ...(sentAt === null ? {} : { sentAt }) }, { headers: { 'user-agent': ua } });
          expect(put.StreamName).toBe('clickstream-events');
          expect(put.Records).toHaveLength(events.length);
          put.Records.forEach((r, i) => {
            expect(r.PartitionKey).toBe(events[i]!.userId);
            expect(decode(r.Data)).toEqual({
              ...events[i],
              ip: '203.0.113.7',
              userAgent: ua === '' ? null : ua,
              receivedAt: 1_764_250_000_123,
              ...(sentAt === null ? {} : { sentAt }),
            });
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('puts one event sent alone as one record, keeping its own sentAt', () => {
    const put = evaluate({ userId: 'u1', eventType: 'click', timestamp: 5, url: 'https://a.example/', sentAt: 9 });
    expect(put.Records).toHaveLength(1);
    expect(decode(put.Records[0]!.Data)).toEqual({
      userId: 'u1',
      eventType: 'click',
      timestamp: 5,
      url: 'https://a.example/',
      sentAt: 9,
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0',
      receivedAt: 1_764_250_000_123,
    });
  });

  it("cuts a User-Agent header longer than the contract's 1024 characters", () => {
    const put = evaluate({ userId: 'u1' }, { headers: { 'user-agent': 'x'.repeat(5000) } });
    expect(decode(put.Records[0]!.Data)['userAgent']).toBe('x'.repeat(1024));
  });

  it('writes null as the user agent of a request without one', () => {
    const put = evaluate({ userId: 'u1' }, { headers: {} });
    expect(decode(put.Records[0]!.Data)['userAgent']).toBeNull();
  });
});

describe('the bound on one event', () => {
  it('leaves room for what the collector adds: an event of MAX_EVENT_BYTES stays within the contract’s record', () => {
    const base = { userId: 'u'.repeat(256), eventType: 'click', timestamp: 1, url: 'https://a.example/' };
    const filler = 'x'.repeat(MAX_EVENT_BYTES - Buffer.byteLength(JSON.stringify({ ...base, properties: { f: '' } })));
    const event = { ...base, properties: { f: filler } };
    expect(Buffer.byteLength(JSON.stringify(event))).toBe(MAX_EVENT_BYTES);
    // The longest User-Agent the collector keeps, in the characters its escaping doubles.
    const put = evaluate({ sentAt: 1_764_250_000_000, events: [event] }, { headers: { 'user-agent': '/"'.repeat(512) } });
    expect(Buffer.from(put.Records[0]!.Data, 'base64').length).toBeLessThanOrEqual(LIMITS.recordBytes);
  });
});
