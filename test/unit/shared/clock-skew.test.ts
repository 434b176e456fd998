/**
 * Clock skew: with the device's send time and the collector's receive time, the event time is the receive
 * time less the wait on the device (Snowplow's derived_tstamp), so a device clock hours off is neither refused
 * nor misplaced; a producer-given event id makes a re-sent event the same event.
 */
import { validateRecord } from '../../../functions/shared/validate-event';
import type { Validation } from '../../../functions/shared/validate-event';
import { MINUTE, T0, producerEvent } from '../../helpers/events';

const bounds = { maxAgeMs: 72 * 60 * MINUTE, maxFutureMs: 5 * MINUTE };
const HOUR = 60 * MINUTE;
const arrival = T0 + 1000;

function check(event: Record<string, unknown>): Validation {
  return validateRecord(Buffer.from(JSON.stringify(event)), arrival, bounds);
}

function accepted(event: Record<string, unknown>) {
  const result = check(event);
  if (!result.ok) throw new Error(`refused: ${result.refusal.message}`);
  return result.event;
}

describe('event time with a device clock', () => {
  it('takes the collector receive time less the wait on the device, from a clock an hour fast', () => {
    // Created on the device 20 s before it was sent; the device clock runs an hour ahead.
    const e = accepted(producerEvent({ timestamp: T0 + HOUR - 20_000, sentAt: T0 + HOUR, receivedAt: T0 + 500 }));
    expect(e.timestampMs).toBe(T0 + 500 - 20_000);
    expect(e.deviceTimestampMs).toBe(T0 + HOUR - 20_000);
  });

  it('does not refuse as "in the future" an event from a clock a day fast', () => {
    expect(check(producerEvent({ timestamp: T0 + 24 * HOUR, sentAt: T0 + 24 * HOUR, receivedAt: T0 })).ok).toBe(true);
    expect(check(producerEvent({ timestamp: T0 + 24 * HOUR })).ok).toBe(false);
  });

  it('places an event from a clock a day slow at its real time', () => {
    const e = accepted(producerEvent({ timestamp: T0 - 24 * HOUR - 3000, sentAt: T0 - 24 * HOUR, receivedAt: T0 }));
    expect(e.timestampMs).toBe(T0 - 3000);
  });

  it('counts a send time before the event time (the clock was set back in between) as no wait', () => {
    expect(accepted(producerEvent({ timestamp: T0 + 9000, sentAt: T0, receivedAt: T0 + 100 })).timestampMs).toBe(T0 + 100);
  });

  it('keeps the timestamp as it is without both sentAt and receivedAt', () => {
    expect(accepted(producerEvent({ timestamp: T0, receivedAt: T0 + HOUR })).timestampMs).toBe(T0);
    expect(accepted(producerEvent({ timestamp: T0, sentAt: T0 + HOUR })).timestampMs).toBe(T0);
  });

  it('refuses a sentAt or receivedAt that is no time, naming the field', () => {
    for (const field of ['sentAt', 'receivedAt']) {
      const result = check(producerEvent({ sentAt: T0, receivedAt: T0, [field]: 'yesterday' }));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.refusal).toMatchObject({ reason: 'invalid_timestamp', field });
    }
  });

  it('refuses a device time outside the years 0000 to 9999, which the archive could not write, even when sentAt and receivedAt place the event now', () => {
    const far = 9_000_000_000_000_000; // 16 digits of epoch milliseconds: about the year 287,000
    const result = check(producerEvent({ timestamp: far, sentAt: far + 1000, receivedAt: T0 }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect([result.refusal.reason, result.refusal.field]).toEqual(['invalid_timestamp', 'timestamp']);
    expect(check(producerEvent({ timestamp: T0 - 20_000, sentAt: far, receivedAt: T0 })).ok).toBe(false);
    // Nor before the year 0000 in UTC: midnight of 0000-01-01 an hour east is in the year -1.
    const early = check(producerEvent({ timestamp: '0000-01-01T00:00:00+01:00', sentAt: '0000-01-01T00:00:00+01:00', receivedAt: T0 }));
    expect(early.ok ? undefined : [early.refusal.reason, early.refusal.field]).toEqual(['invalid_timestamp', 'timestamp']);
    // The last millisecond of 9999 is still a time: the corrected event time is 20 s before arrival.
    const last = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    expect(accepted(producerEvent({ timestamp: last - 20_000, sentAt: last, receivedAt: T0 })).timestampMs).toBe(T0 - 20_000);
  });

  it('refuses a corrected time still outside the bounds', () => {
    const result = check(producerEvent({ timestamp: T0 - 100 * HOUR, sentAt: T0, receivedAt: T0 }));
    expect(!result.ok && result.refusal.reason).toBe('timestamp_too_old');
  });
});

describe('producer event ids', () => {
  it('gives a re-sent event the same id although the collector fields differ', () => {
    const first = accepted(producerEvent({ eventId: 'b3c1e0a2-1', sentAt: T0, receivedAt: T0 + 10 }));
    const again = accepted(producerEvent({ eventId: 'b3c1e0a2-1', sentAt: T0 + 2000, receivedAt: T0 + 2010 }));
    expect(again.eventId).toBe(first.eventId);
    expect(first.eventId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives two users the same producer id as two events', () => {
    const a = accepted(producerEvent({ eventId: 'same' }));
    const b = accepted(producerEvent({ eventId: 'same', userId: 'user-2' }));
    expect(a.eventId).not.toBe(b.eventId);
  });

  it('refuses an event id longer than 64 characters', () => {
    const result = check(producerEvent({ eventId: 'x'.repeat(65) }));
    expect(!result.ok && result.refusal).toMatchObject({ reason: 'too_long', field: 'eventId' });
  });
});
