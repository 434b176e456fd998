import type { UserState } from '../../../functions/session-processor/model';
import { sessionizeUsers } from '../../../functions/session-processor/sessionize-batch';
import { MINUTE, T0 } from '../../helpers/events';
import { RULES, positioned } from '../../helpers/positioned';

const SHARD = 'shardId-000000000000';
const event = (index: number, userId: string, minutes: number) => positioned(index, { userId, timestamp: T0 + minutes * MINUTE });
/** A stored state that makes applyUserEvents throw (fingerprints that are not a list). */
const broken = (userId: string) =>
  ({ userId, watermarks: {}, sessionFingerprints: 42, activeWindows: [], currentSession: undefined }) as unknown as UserState;

describe('sessionizeUsers', () => {
  it('sessionizes every user when none throws, in user-id order', () => {
    const byUser = new Map([
      ['b', [event(1, 'b', 0)]],
      ['a', [event(0, 'a', 0), event(2, 'a', 1)]],
    ]);
    const out = sessionizeUsers(byUser, new Map(), SHARD, RULES);
    expect(out.cutoff).toBeUndefined();
    expect(out.failures).toEqual([]);
    expect([...out.outcomes.keys()]).toEqual(['a', 'b']);
    expect(out.outcomes.get('a')!.effects).toHaveLength(2);
  });

  it('cuts off from the first record of the lowest user that throws, and sessionizes the others below it', () => {
    const byUser = new Map([
      ['a', [event(0, 'a', 0), event(3, 'a', 1), event(5, 'a', 2)]],
      ['b', [event(4, 'b', 0)]],
      ['c', [event(2, 'c', 0)]],
      ['d', [event(1, 'd', 0), event(6, 'd', 1)]],
    ]);
    const out = sessionizeUsers(
      byUser,
      new Map([
        ['b', broken('b')],
        ['c', broken('c')],
      ]),
      SHARD,
      RULES,
    );
    expect(out.failures.map((f) => f.userId).sort()).toEqual(['b', 'c']);
    expect(out.cutoff).toBe(event(2, 'c', 0).position);
    // a and d keep only their records below c's first one; b and c have none left.
    expect([...out.outcomes.keys()]).toEqual(['a', 'd']);
    expect(out.outcomes.get('a')!.effects.map((e) => e.position)).toEqual([event(0, 'a', 0).position]);
    expect(out.outcomes.get('d')!.effects.map((e) => e.position)).toEqual([event(1, 'd', 0).position]);
  });
});
