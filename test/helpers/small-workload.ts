/**
 * A small seeded workload for integration tests: users' events in time order, interleaved, some gaps over 30
 * minutes; every seventh user is a search crawler; users' addresses lie in a few consumer networks (Comcast,
 * Deutsche Telekom, BT) or, every fifth user, a documentation range with no country.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import { MINUTE, T0, kinesisRecord, producerEvent } from './events';

const ADDRESSES = ['73.1.2.', '79.200.3.', '86.130.4.', '203.0.113.', '2003:e0:1:2::'] as const;
const CRAWLER = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const TYPES = ['page_view', 'page_view', 'page_view', 'click', 'scroll', 'form_submit', 'conversion'] as const;

/** How events arrive (query and referrer): search, the site itself, nothing, an e-mail campaign; mostly not direct-looking. */
const ARRIVALS = [
  { query: '', referrer: 'https://www.google.com/' },
  { query: '', referrer: 'https://shop.example.com/p/1' },
  { query: '', referrer: undefined },
  { query: '?utm_source=news&utm_medium=email&utm_campaign=winter', referrer: undefined },
  { query: '', referrer: 'https://shop.example.com/' },
] as const;

export function smallWorkload(users: number, eventsPerUser: number, seed = 1): KinesisStreamRecord[] {
  let x = seed;
  const rand = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const clocks = Array.from({ length: users }, () => T0 + Math.floor(rand() * 30 * MINUTE));
  const left = Array.from({ length: users }, () => eventsPerUser);
  const records: KinesisStreamRecord[] = [];
  while (records.length < users * eventsPerUser) {
    const u = Math.floor(rand() * users);
    if (left[u] === 0) continue;
    left[u]! -= 1;
    const gap = rand() < 0.1 ? 31 * MINUTE + Math.floor(rand() * 20 * MINUTE) : Math.floor(rand() * 4 * MINUTE);
    const ts = (clocks[u]! += gap);
    const type = TYPES[Math.floor(rand() * TYPES.length)]!;
    const arrival = ARRIVALS[(records.length * 7 + u) % ARRIVALS.length]!;
    const payload = producerEvent({
      userId: `user-${u}`,
      eventType: type,
      timestamp: ts,
      url: `https://shop.example.com/p/${Math.floor(rand() * 8)}${arrival.query}`,
      referrer: arrival.referrer,
      properties: type === 'conversion' ? { revenue: Math.round(rand() * 10000) / 100 } : { n: records.length },
      ip: `${ADDRESSES[u % ADDRESSES.length]!}${u % 200}`,
      ...(u % 7 === 6 ? { userAgent: CRAWLER } : {}),
    });
    records.push(kinesisRecord(payload, { index: records.length, arrivalMs: ts + 2000, partitionKey: `user-${u}` }));
  }
  return records;
}
