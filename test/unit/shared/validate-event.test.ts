import { LIMITS } from '../../../functions/shared/event-contract';
import { validateRecord } from '../../../functions/shared/validate-event';
import type { Validation } from '../../../functions/shared/validate-event';
import { MINUTE, T0, producerEvent } from '../../helpers/events';

const bounds = { maxAgeMs: 72 * 60 * MINUTE, maxFutureMs: 5 * MINUTE };
const arrival = T0 + 1000;

function check(payload: unknown, arrivalMs = arrival): Validation {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return validateRecord(bytes, arrivalMs, bounds);
}

function refusalOf(payload: unknown, arrivalMs = arrival) {
  const result = check(payload, arrivalMs);
  if (result.ok) throw new Error('expected a refusal');
  return result.refusal;
}

describe('validateRecord', () => {
  it('accepts a complete event and normalises it', () => {
    const result = check(producerEvent({ sessionId: 'c-1' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toMatchObject({
      userId: 'user-1',
      clientSessionId: 'c-1',
      eventType: 'page_view',
      timestampMs: T0,
      receivedAtMs: arrival,
    });
    expect(result.event.eventId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts the minimal event: userId, eventType, timestamp and url', () => {
    const result = check({ userId: 'u', eventType: 'click', timestamp: T0, url: 'https://a.example/' });
    expect(result.ok && result.event.eventName).toBe('click');
  });

  it('treats null optional fields as absent', () => {
    const result = check(producerEvent({ sessionId: null, referrer: null, properties: null }));
    expect(result.ok && [result.event.clientSessionId, result.event.referrer, result.event.properties]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it.each([
    ['epoch seconds', T0 / 1000],
    ['fractional epoch seconds', T0 / 1000 + 0.25],
    ['epoch milliseconds', T0],
    ['ISO-8601 with Z', '2026-11-27T10:00:00Z'],
    ['ISO-8601 with offset', '2026-11-27T11:00:00.000+01:00'],
    ['epoch seconds as text', String(T0 / 1000)],
  ])('accepts %s as the timestamp', (_label, timestamp) => {
    const result = check(producerEvent({ timestamp }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(Math.abs(result.event.timestampMs - T0)).toBeLessThanOrEqual(250);
  });

  it('gives the same id to the same bytes and a different id to different bytes', () => {
    const a = check(producerEvent());
    const b = check(producerEvent());
    const c = check(producerEvent({ timestamp: T0 + 1 }));
    expect(a.ok && b.ok && a.event.eventId === b.event.eventId).toBe(true);
    expect(a.ok && c.ok && a.event.eventId !== c.event.eventId).toBe(true);
  });

  it.each([
    ['empty_record', Buffer.alloc(0)],
    ['record_too_large', JSON.stringify(producerEvent({ properties: { blob: 'x'.repeat(LIMITS.recordBytes) } }))],
    ['invalid_utf8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['malformed_json', '{"userId": "u", '],
    ['not_an_object', '[1,2,3]'],
    ['not_an_object', '"just a string"'],
    ['missing_field', producerEvent({ userId: undefined })],
    ['missing_field', producerEvent({ url: undefined })],
    ['unknown_field', producerEvent({ colour: 'red' })],
    ['wrong_type', producerEvent({ userId: 42 })],
    ['wrong_type', producerEvent({ timestamp: true })],
    ['wrong_type', producerEvent({ properties: 'x' })],
    ['invalid_value', producerEvent({ eventType: 'purchase' })],
    ['invalid_value', producerEvent({ userId: '' })],
    ['invalid_value', producerEvent({ properties: { revenue: 1e12 } })],
    ['too_long', producerEvent({ userAgent: 'A'.repeat(LIMITS.userAgent + 1) })],
    ['too_long', producerEvent({ properties: { note: 'n'.repeat(LIMITS.propertyString + 1) } })],
    ['too_many_properties', producerEvent({ properties: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i])) })],
    ['too_deep', producerEvent({ properties: { a: { b: { c: { d: { e: 1 } } } } } })],
    ['unsafe_key', '{"__proto__": {"polluted": true}, "userId": "u"}'],
    ['unsafe_key', producerEvent({ properties: JSON.parse('{"nested": {"__proto__": {"x": 1}}}') as unknown })],
    ['unsafe_key', producerEvent({ properties: { constructor: 'x' } })],
    ['invalid_timestamp', producerEvent({ timestamp: 'yesterday' })],
    ['invalid_timestamp', producerEvent({ timestamp: '2026-11-27T10:00:00' })],
    ['invalid_timestamp', producerEvent({ timestamp: -5 })],
    ['invalid_timestamp', '{"userId":"u","eventType":"click","url":"https://a/","timestamp":1e400}'],
    ['invalid_timestamp', producerEvent({ timestamp: '2026-02-31T10:00:00Z' })],
    ['invalid_timestamp', producerEvent({ timestamp: '2026-11-27T24:00:00Z' })],
    ['invalid_value', '{"userId":"\\ud800","eventType":"click","url":"https://a/","timestamp":1}'],
    ['invalid_value', producerEvent({ properties: { note: '\ud800x' } })],
  ])('refuses with %s', (reason, payload) => {
    expect(refusalOf(payload).reason).toBe(reason);
  });

  it('measures event time against the arrival time, not the wall clock', () => {
    const oldEvent = producerEvent({ timestamp: T0 });
    expect(check(oldEvent, T0 + 71 * 60 * MINUTE).ok).toBe(true);
    expect(refusalOf(oldEvent, T0 + 73 * 60 * MINUTE).reason).toBe('timestamp_too_old');
    expect(check(oldEvent, T0 - 4 * MINUTE).ok).toBe(true);
    expect(refusalOf(oldEvent, T0 - 6 * MINUTE).reason).toBe('timestamp_in_future');
  });

  it('names the field, the value seen (truncated) and what was expected', () => {
    const refusal = refusalOf(producerEvent({ eventType: `purchase${'!'.repeat(500)}` }));
    expect(refusal.field).toBe('eventType');
    expect(refusal.message).toContain('expected one of page_view, click, conversion');
    expect(refusal.message).toContain('"purchase');
    expect(refusal.message).toContain('(508 chars)');
    expect(refusal.message.length).toBeLessThan(250);
  });

  it('escapes control characters in the value it reports', () => {
    const refusal = refusalOf(producerEvent({ eventType: 'x\n{"forged":"log line"}' }));
    expect(refusal.message).not.toContain('\n');
    expect(refusal.message).toContain('\\n');
  });

  it('never repeats a client address in a refusal', () => {
    const address = '203.0.113.77';
    expect(refusalOf(producerEvent({ ip: `${address} ${'x'.repeat(60)}` })).message).not.toContain(address);
    expect(refusalOf(producerEvent({ ip: 203 })).message).not.toContain('203');
    expect(refusalOf(`{"ip":"${address}", oops}`).message).not.toContain(address);
  });

  it('never lets a __proto__ key reach an object prototype', () => {
    refusalOf('{"userId":"u","eventType":"click","url":"https://a/","timestamp":1,"properties":{"__proto__":{"polluted":1}}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('never quotes the value of a field outside the contract, nor of ip, userAgent or properties', () => {
    const secret = '198.51.100.78';
    const cases = [
      { ...producerEvent(), clientIp: secret },
      producerEvent({ ip: ['x', secret] }),
      producerEvent({ userAgent: `${secret} ${'x'.repeat(LIMITS.userAgent)}` }),
      producerEvent({ properties: secret }),
      producerEvent({ properties: { note: `${secret}${'x'.repeat(LIMITS.propertyString)}` } }),
      producerEvent({ properties: { [`${secret}${'k'.repeat(LIMITS.propertyKey)}`]: 1 } }),
      producerEvent({ eventType: 'conversion', properties: { revenue: 198_517_100_078 } }),
      JSON.stringify(secret),
    ];
    for (const payload of cases) {
      const refusal = refusalOf(payload);
      expect(refusal.message).not.toContain('198');
      expect(refusal.message).toMatch(/withheld|an object|an array/);
    }
    // The name of the unknown field is said, so that the producer can be fixed.
    expect(refusalOf({ ...producerEvent(), clientIp: secret }).message).toContain('"clientIp"');
  });

  it('drops digits below the millisecond the same way in every timestamp form', () => {
    const at = (timestamp: unknown) => {
      const r = check(producerEvent({ timestamp }), Date.parse('2026-11-27T10:30:01Z'));
      if (!r.ok) throw new Error(r.refusal.message);
      return r.event.timestampMs;
    };
    const expected = Date.parse('2026-11-27T10:30:00.123Z');
    const seconds = expected / 1000 + 0.0009;
    expect([at(seconds), at(seconds.toFixed(4)), at('2026-11-27T10:30:00.1239Z'), at(expected + 0.9), at(`${expected}.9`)]).toEqual([
      expected,
      expected,
      expected,
      expected,
      expected,
    ]);
  });
});
