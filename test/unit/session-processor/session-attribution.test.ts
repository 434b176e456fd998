import { applyUserEvents, emptyState } from '../../../functions/session-processor/sessionize';
import type { SessionRules } from '../../../functions/session-processor/sessionize';
import { LAST_NON_DIRECT_LOOKBACK_MS } from '../../../functions/shared/traffic/session-attribution';
import { MINUTE, T0 } from '../../helpers/events';
import { RULES, positioned } from '../../helpers/positioned';

const SHARD = 'shardId-000000000000';
const DAY = 86_400_000;
const SHOP = 'https://shop.example.com';

/** A page view at `ms` on `path` (with its query) from `referrer` (none when undefined). */
const visit = (index: number, ms: number, path: string, referrer?: string) =>
  positioned(index, { timestamp: ms, url: `${SHOP}${path}`, referrer, properties: { n: index } });
const EMAIL = '/?utm_source=news&utm_medium=email&utm_campaign=winter';
const traffic = (s: { channel?: unknown; source?: unknown; medium?: unknown; campaign?: unknown }) => [
  s.channel,
  s.source,
  s.medium,
  s.campaign,
];

describe('session attribution: GA4 channel, source and medium with the last non-direct rule', () => {
  it('gives a session the channel, source, medium and campaign of its first event', () => {
    const out = applyUserEvents(
      emptyState('u'),
      SHARD,
      [visit(0, T0, '/', 'https://www.google.com/'), visit(1, T0 + MINUTE, EMAIL)],
      RULES,
    );
    expect(traffic(out.sessions[0]!)).toEqual(['organic_search', 'google', 'organic', '(organic)']);
  });

  it('leaves a direct session of a user without state direct', () => {
    const out = applyUserEvents(emptyState('u'), SHARD, [visit(0, T0, '/')], RULES);
    expect(traffic(out.sessions[0]!)).toEqual(['direct', '(direct)', '(none)', '(direct)']);
    expect(out.state.lastNonDirect).toBeUndefined();
  });

  it('gives a direct session within 90 days of a non-direct one that source, and keeps the time of the real one', () => {
    const out = applyUserEvents(emptyState('u'), SHARD, [visit(0, T0, EMAIL), visit(1, T0 + 30 * DAY, '/')], RULES);
    expect(out.sessions.map(traffic)).toEqual([
      ['email', 'news', 'email', 'winter'],
      ['email', 'news', 'email', 'winter'],
    ]);
    expect(out.state.lastNonDirect).toEqual({ channel: 'email', source: 'news', medium: 'email', campaign: 'winter', atMs: T0 });
  });

  it('inherits at exactly 90 days and stays direct 1 ms later, counting from the non-direct session, not an inheriting one', () => {
    const exactly = applyUserEvents(emptyState('u'), SHARD, [visit(0, T0, EMAIL), visit(1, T0 + LAST_NON_DIRECT_LOOKBACK_MS, '/')], RULES);
    expect(exactly.sessions[1]!.channel).toBe('email');
    const after = applyUserEvents(
      emptyState('u'),
      SHARD,
      [visit(0, T0, EMAIL), visit(1, T0 + LAST_NON_DIRECT_LOOKBACK_MS + 1, '/')],
      RULES,
    );
    expect(traffic(after.sessions[1]!)).toEqual(['direct', '(direct)', '(none)', '(direct)']);
    const chain = applyUserEvents(
      emptyState('u'),
      SHARD,
      [visit(0, T0, EMAIL), visit(1, T0 + 60 * DAY, '/'), visit(2, T0 + 91 * DAY, '/')],
      RULES,
    );
    expect(chain.sessions.map((s) => s.channel)).toEqual(['email', 'email', 'direct']);
  });

  it('lets a later non-direct session replace the last non-direct source', () => {
    const events = [visit(0, T0, EMAIL), visit(1, T0 + DAY, '/', 'https://www.bing.com/'), visit(2, T0 + 2 * DAY, '/')];
    const out = applyUserEvents(emptyState('u'), SHARD, events, RULES);
    expect(out.sessions.map((s) => s.channel)).toEqual(['email', 'organic_search', 'organic_search']);
    expect(out.sessions[2]!.source).toBe('bing');
    expect(out.state.lastNonDirect).toMatchObject({ source: 'bing', atMs: T0 + DAY });
  });

  it('counts a first event referred by the site itself or an internal host as direct, so it inherits', () => {
    const rules: SessionRules = { ...RULES, internalHosts: new Set(['blog.example.com']) };
    const events = [
      visit(0, T0, '/', 'https://www.google.com/'),
      visit(1, T0 + DAY, '/cart', `${SHOP}/products/1`),
      visit(2, T0 + 2 * DAY, '/cart', 'https://blog.example.com/post'),
    ];
    const out = applyUserEvents(emptyState('u'), SHARD, events, rules);
    expect(out.sessions.map((s) => [s.channel, s.source, s.referrer])).toEqual([
      ['organic_search', 'google', 'https://www.google.com/'],
      ['organic_search', 'google', `${SHOP}/products/1`],
      ['organic_search', 'google', 'https://blog.example.com/post'],
    ]);
    const alone = applyUserEvents(emptyState('u'), SHARD, [visit(0, T0, '/cart', `${SHOP}/products/1`)], RULES);
    expect(alone.sessions[0]!.channel).toBe('direct');
    const notInternal = applyUserEvents(emptyState('u'), SHARD, [visit(0, T0, '/', 'https://blog.example.com/post')], RULES);
    expect(traffic(notInternal.sessions[0]!)).toEqual(['referral', 'blog.example.com', 'referral', '(referral)']);
  });

  it('decides by the first event only: tags later in the session change neither it nor the state', () => {
    const out = applyUserEvents(emptyState('u'), SHARD, [visit(0, T0, '/'), visit(1, T0 + MINUTE, EMAIL)], RULES);
    expect(out.sessions[0]!.channel).toBe('direct');
    expect(out.state.lastNonDirect).toBeUndefined();
  });

  it('carries the last non-direct source from batch to batch in the user state', () => {
    const first = applyUserEvents(emptyState('u'), SHARD, [visit(0, T0, EMAIL)], RULES);
    const second = applyUserEvents(first.state, SHARD, [visit(1, T0 + 10 * DAY, '/')], RULES);
    expect(second.sessions.at(-1)!.channel).toBe('email');
    // A redelivery of the first batch changes nothing.
    const again = applyUserEvents(second.state, SHARD, [visit(0, T0, EMAIL)], RULES);
    expect(again.state).toEqual(second.state);
  });

  it('classifies a Google Ads click id over UTM tags, as the archive does', () => {
    const out = applyUserEvents(emptyState('u'), SHARD, [visit(0, T0, '/?gclid=abc&utm_source=news&utm_medium=email')], RULES);
    expect(traffic(out.sessions[0]!)).toEqual(['paid_search', 'google', 'cpc', '(not set)']);
  });
});
