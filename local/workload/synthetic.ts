/**
 * The seeded synthetic workload: users with skewed activity browse a small shop in sessions separated by
 * realistic gaps (some just under and some just over 30 minutes), from real-looking devices and traffic
 * sources, with a share of invalid records and of producer duplicates. Same options, same records.
 */
import {
  BOT_AGENTS,
  CATEGORIES,
  CLIENT_NETWORKS,
  HOSTING_NETWORKS,
  HUMAN_AGENTS,
  PRODUCTS_PER_CATEGORY,
  SITE,
  SOURCES,
  UNLOCATED_SHARE,
} from './catalog';
import { Random } from './random';

export interface WorkloadOptions {
  readonly users: number;
  /** Records to produce, invalid and duplicate ones included. */
  readonly events: number;
  readonly seed: number;
  /** The run's start: every event lies in the 24 hours before it. */
  readonly nowMs: number;
  /** Share of records replaced by invalid ones (default 0.5%). */
  readonly invalidShare?: number;
  /** Share of records sent again later with the same bytes, as a retrying producer does (default 1%). */
  readonly duplicateShare?: number;
  /**
   * Extra users who each browse in one long session of this many events, 5 to 30 seconds apart (a kiosk, a
   * long research visit): what a replay must recognise event by event. Their events count in `events`.
   */
  readonly longSessions?: readonly number[];
}

export interface WorkloadRecord {
  readonly partitionKey: string;
  readonly data: Buffer;
}

export interface Workload {
  readonly records: WorkloadRecord[];
  /** What the workload contains, for checking what the pipeline reports. */
  readonly composition: { readonly valid: number; readonly invalid: number; readonly duplicates: number; readonly users: number };
}

interface User {
  readonly id: string;
  readonly agent: string;
  readonly bot: boolean;
  readonly ip: string;
  readonly timeFormat: 'iso' | 'ms' | 's';
  readonly sendsSessionId: boolean;
  next: number;
}

interface PlannedEvent {
  readonly ts: number;
  readonly userId: string;
  readonly seq: number;
  readonly body: Record<string, unknown>;
}

const SPAN_MS = 24 * 3_600_000;
const MINUTE = 60_000;

/** Generates the workload in stream order (event time, users interleaved). */
export function syntheticWorkload(o: WorkloadOptions): Workload {
  if (!Number.isInteger(o.users) || o.users < 1) throw new Error(`--users must be a whole number of at least 1; got ${o.users}`);
  if (!Number.isInteger(o.events) || o.events < 1) throw new Error(`--events must be a whole number of at least 1; got ${o.events}`);
  const rnd = new Random(o.seed);
  const users = Array.from({ length: o.users }, (_, i) => makeUser(i, rnd, o.nowMs));
  // Zipf-like activity: a few users are very active, most visit once or twice.
  const weights = users.map((u, i): readonly [User, number] => [u, 1 / (i + 1) ** 0.7]);
  const drafts: PlannedEvent[] = [];
  (o.longSessions ?? []).forEach((count, i) => longSession(makeUser(o.users + i, rnd, o.nowMs), count, rnd, o.nowMs, drafts));
  let exhausted = 0;
  while (drafts.length < o.events && exhausted < users.length * 4) {
    const user = rnd.weighted(weights);
    if (user.next >= o.nowMs - MINUTE) {
      exhausted += 1;
      continue;
    }
    const end = session(user, user.next, rnd, o.nowMs, drafts);
    user.next = end + gapAfterSession(rnd);
  }
  if (drafts.length < o.events) {
    throw new Error(
      `${o.users} users cannot produce ${o.events} events within 24 hours; raise --users (about ${Math.ceil(o.events / 20)} would do)`,
    );
  }
  drafts.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
  return toStream(drafts, o, rnd, users.length + (o.longSessions?.length ?? 0));
}

function makeUser(i: number, rnd: Random, nowMs: number): User {
  const bot = rnd.chance(0.03);
  const v6 = rnd.chance(0.2);
  return {
    id: `u-${String(i).padStart(6, '0')}`,
    agent: bot ? rnd.pick(BOT_AGENTS) : rnd.weighted(HUMAN_AGENTS),
    bot,
    ip: bot ? hostingAddress(rnd, v6) : clientAddress(rnd, v6),
    timeFormat: rnd.weighted([
      ['iso', 7],
      ['ms', 2],
      ['s', 1],
    ] as const),
    sendsSessionId: rnd.chance(0.5),
    next: nowMs - SPAN_MS + Math.floor(rnd.next() * SPAN_MS * 0.6),
  };
}

/** A bot's address: in a crawler's or a hosting provider's network. */
function hostingAddress(rnd: Random, v6: boolean): string {
  const network = rnd.weighted(HOSTING_NETWORKS);
  return v6 && network.v6.length > 0 ? v6InBlock(rnd.pick(network.v6), rnd) : v4InBlock(rnd.pick(network.v4), rnd);
}

/** A visitor's address: in a consumer network of one of the catalog's countries, or now and then unlocated. */
function clientAddress(rnd: Random, v6: boolean): string {
  if (rnd.chance(UNLOCATED_SHARE))
    return v6 ? `2001:db8:${rnd.int(0, 0xffff).toString(16)}::${rnd.int(1, 0xffff).toString(16)}` : `192.0.2.${rnd.int(1, 254)}`;
  const network = rnd.weighted(CLIENT_NETWORKS);
  return v6 ? v6InBlock(rnd.pick(network.v6), rnd) : v4InBlock(rnd.pick(network.v4), rnd);
}

/** A random host address in an IPv4 block `a.b.c.d/len` (not the block's first or last address). */
function v4InBlock(block: string, rnd: Random): string {
  const [base, len] = block.split('/') as [string, string];
  const start = base.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const n = start + rnd.int(1, 2 ** (32 - Number(len)) - 2);
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** A random address in an IPv6 block `prefix::/len` (len at most 64): a random /64 in it, a random interface id. */
function v6InBlock(block: string, rnd: Random): string {
  const [prefix, len] = block.split('/') as [string, string];
  const head = prefix
    .replace(/::$/, '')
    .split(':')
    .map((g) => parseInt(g, 16));
  const groups = [...head, 0, 0, 0, 0].slice(0, 4);
  const free = 64 - Number(len); // bits of the /64 number chosen at random, at the end of the first four groups
  for (let g = 3; g >= 0; g--) {
    const bits = Math.max(0, Math.min(16, free - (3 - g) * 16));
    if (bits > 0) groups[g] = (groups[g]! & ~((1 << bits) - 1) & 0xffff) | rnd.int(0, (1 << bits) - 1);
  }
  const iid = [rnd.int(0, 0xffff), rnd.int(0, 0xffff), rnd.int(0, 0xffff), rnd.int(1, 0xffff)];
  return [...groups, ...iid].map((g) => g.toString(16)).join(':');
}

/** Inactivity before the user's next session: often close to the 30-minute rule on either side. */
function gapAfterSession(rnd: Random): number {
  return rnd.weighted<() => number>([
    [() => rnd.int(20 * MINUTE, 30 * MINUTE - 1000), 2],
    [() => rnd.int(30 * MINUTE + 1000, 45 * MINUTE), 2],
    [() => rnd.int(60 * MINUTE, 6 * 60 * MINUTE), 6],
  ])();
}

/** Appends one session's events and returns the time of its last event. */
function session(user: User, start: number, rnd: Random, nowMs: number, out: PlannedEvent[]): number {
  const source = user.bot ? { referrer: undefined, query: '' } : rnd.weighted(SOURCES);
  const clientSession = user.sendsSessionId ? `cs-${Math.floor(rnd.next() * 1e12).toString(36)}` : undefined;
  let ts = start;
  let referrer = source.referrer;
  let first = true;
  const emit = (eventType: string, eventName: string, path: string, properties: Record<string, unknown>) => {
    if (ts >= nowMs) return;
    const url = `${SITE}${path}${first ? source.query : ''}`;
    out.push({
      ts,
      userId: user.id,
      seq: out.length,
      body: body(user, clientSession, eventType, eventName, ts, url, referrer, properties),
    });
    if (eventType === 'page_view') referrer = url;
    first = false;
  };
  const step = (min: number, max: number) => (ts += rnd.int(min, max) * 1000);

  if (user.bot) {
    const pages = rnd.int(5, 25);
    for (let i = 0; i < pages; i += 1) {
      emit('page_view', 'page_view', productPath(rnd), {});
      step(1, 4);
    }
    return ts;
  }
  emit('page_view', 'page_view', '/', {});
  if (!rnd.chance(0.8)) return ts;
  const category = rnd.pick(CATEGORIES);
  step(5, 60);
  emit('page_view', 'page_view', `/c/${category}`, { category });
  let price = 0;
  const products = rnd.chance(0.7) ? rnd.int(1, 4) : 0;
  for (let i = 0; i < products; i += 1) {
    step(5, 90);
    const product = rnd.int(1, PRODUCTS_PER_CATEGORY);
    price = rnd.int(900, 24900) / 100;
    emit('page_view', 'page_view', `/p/${category}-${product}`, { product_id: `${category}-${product}`, price });
    if (rnd.chance(0.4)) {
      step(3, 30);
      emit('scroll', 'scroll_depth', `/p/${category}-${product}`, { percent: rnd.pick([25, 50, 75, 100]) });
    }
    if (rnd.chance(0.1)) {
      step(3, 20);
      emit('video_play', 'video_start', `/p/${category}-${product}`, { video: 'product-360' });
    }
  }
  if (products === 0 || !rnd.chance(0.3)) return ts;
  step(2, 20);
  emit('click', 'add_to_cart', `/p/${category}-${rnd.int(1, PRODUCTS_PER_CATEGORY)}`, { price });
  step(3, 30);
  emit('page_view', 'page_view', '/cart', {});
  if (!rnd.chance(0.6)) return ts;
  step(5, 60);
  emit('page_view', 'page_view', '/checkout', {});
  step(20, 120);
  emit('form_submit', 'checkout_form', '/checkout', { step: 'shipping' });
  if (!rnd.chance(0.75)) return ts;
  step(2, 15);
  const revenue = Math.round(price * rnd.int(1, 3) * 100) / 100;
  emit('conversion', 'purchase', '/checkout/complete', { revenue, currency: 'EUR', order_id: `o-${out.length}` });
  return ts;
}

/** One session of `count` page views and clicks, 5 to 30 seconds apart, ending before `nowMs`. */
function longSession(user: User, count: number, rnd: Random, nowMs: number, out: PlannedEvent[]): void {
  const human = { ...user, bot: false, agent: rnd.weighted(HUMAN_AGENTS) };
  let ts = nowMs - count * 30_000 - MINUTE;
  for (let i = 0; i < count; i += 1) {
    const path = productPath(rnd);
    const [eventType, eventName] = rnd.chance(0.8) ? ['page_view', 'page_view'] : ['click', 'add_to_cart'];
    out.push({
      ts,
      userId: user.id,
      seq: out.length,
      body: body(human, undefined, eventType, eventName, ts, `${SITE}${path}`, undefined, { n: i }),
    });
    ts += rnd.int(5, 30) * 1000;
  }
}

function productPath(rnd: Random): string {
  return `/p/${rnd.pick(CATEGORIES)}-${rnd.int(1, PRODUCTS_PER_CATEGORY)}`;
}

function body(
  user: User,
  clientSession: string | undefined,
  eventType: string,
  eventName: string,
  ts: number,
  url: string,
  referrer: string | undefined,
  properties: Record<string, unknown>,
): Record<string, unknown> {
  const timestamp = user.timeFormat === 'iso' ? new Date(ts).toISOString() : user.timeFormat === 'ms' ? ts : ts / 1000;
  const b: Record<string, unknown> = { userId: user.id };
  if (clientSession) b['sessionId'] = clientSession;
  Object.assign(b, { eventName, eventType, timestamp, url });
  if (referrer) b['referrer'] = referrer;
  Object.assign(b, { userAgent: user.agent, ip: user.ip });
  if (Object.keys(properties).length > 0) b['properties'] = properties;
  return b;
}

/** Invalid records of the kinds producers really send; each stands in for one event. */
const INVALID: ReadonlyArray<(d: PlannedEvent) => string> = [
  (d) => JSON.stringify(d.body).slice(0, 40),
  (d) => JSON.stringify({ ...d.body, userId: undefined }),
  (d) => JSON.stringify({ ...d.body, eventType: 'purchase' }),
  (d) => JSON.stringify({ ...d.body, timestamp: d.ts + 48 * 3_600_000 }),
  (d) => JSON.stringify({ ...d.body, timestamp: 'yesterday' }),
  (d) => JSON.stringify({ ...d.body, colour: 'red' }),
  (d) => JSON.stringify({ ...d.body, userId: 12345 }),
  () => '\u0000\u0001binary\u00ff',
];

function toStream(drafts: readonly PlannedEvent[], o: WorkloadOptions, rnd: Random, users: number): Workload {
  const invalidShare = o.invalidShare ?? 0.005;
  const duplicateShare = o.duplicateShare ?? 0.01;
  const records: WorkloadRecord[] = [];
  const pending: Array<{ at: number; record: WorkloadRecord }> = [];
  let invalid = 0;
  let duplicates = 0;
  for (const d of drafts) {
    while (pending.length > 0 && pending[0]!.at <= records.length && records.length < o.events) {
      records.push(pending.shift()!.record);
      duplicates += 1;
    }
    if (records.length >= o.events) break;
    if (rnd.chance(invalidShare)) {
      records.push({ partitionKey: d.userId, data: Buffer.from(rnd.pick(INVALID)(d)) });
      invalid += 1;
      continue;
    }
    const record = { partitionKey: d.userId, data: Buffer.from(JSON.stringify(d.body)) };
    records.push(record);
    if (rnd.chance(duplicateShare)) pending.push({ at: records.length + rnd.int(1, 50), record });
  }
  return { records, composition: { valid: records.length - invalid - duplicates, invalid, duplicates, users } };
}
