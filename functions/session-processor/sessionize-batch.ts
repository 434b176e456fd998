/** Sessionizing every user of one batch, with the cutoff a user whose processing throws sets. Pure. */
import type { PositionedEvent, UserState } from './model';
import { applyUserEvents, emptyState } from './sessionize';
import type { SessionRules, UserOutcome } from './sessionize';

/** A user whose processing threw, and what it threw. */
export interface UserFailure {
  readonly userId: string;
  readonly error: unknown;
}

export interface SessionizedBatch {
  /** Each user's outcome over the records below {@link cutoff}, by user id in sorted order. */
  readonly outcomes: ReadonlyMap<string, UserOutcome>;
  /** The first record of the lowest user whose processing threw: it and every record after it stay uncommitted. */
  readonly cutoff: bigint | undefined;
  readonly failures: readonly UserFailure[];
}

/**
 * Applies each user's events to the user's prior state. A user whose processing throws is cut off with
 * every record from its first one, so one user's bug cannot corrupt another's state: a user whose input
 * reached the cutoff is sessionized again over the records below it (which may throw in turn and lower the
 * cutoff); users below the cutoff are not sessionized again.
 */
export function sessionizeUsers(
  byUser: ReadonlyMap<string, readonly PositionedEvent[]>,
  states: ReadonlyMap<string, UserState>,
  shardId: string,
  rules: SessionRules,
): SessionizedBatch {
  const userIds = [...byUser.keys()].sort();
  const done = new Map<string, { readonly outcome: UserOutcome; readonly highest: bigint }>();
  const failures: UserFailure[] = [];
  let cutoff: bigint | undefined;
  let pending = userIds;
  while (pending.length > 0) {
    for (const userId of pending) {
      done.delete(userId);
      const events = cutoff === undefined ? byUser.get(userId)! : byUser.get(userId)!.filter((e) => e.position < cutoff!);
      if (events.length === 0) continue;
      try {
        done.set(userId, {
          outcome: applyUserEvents(states.get(userId) ?? emptyState(userId), shardId, events, rules),
          highest: highestPosition(events),
        });
      } catch (error) {
        failures.push({ userId, error });
        const lowest = lowestPosition(events);
        if (cutoff === undefined || lowest < cutoff) cutoff = lowest;
      }
    }
    pending = userIds.filter((userId) => cutoff !== undefined && (done.get(userId)?.highest ?? -1n) >= cutoff);
  }
  const outcomes = new Map<string, UserOutcome>();
  for (const userId of userIds) {
    const outcome = done.get(userId)?.outcome;
    if (outcome) outcomes.set(userId, outcome);
  }
  return { outcomes, cutoff, failures };
}

/** The lowest position of a non-empty list. */
export function lowestPosition(items: ReadonlyArray<{ readonly position: bigint }>): bigint {
  let lowest = items[0]!.position;
  for (const item of items) if (item.position < lowest) lowest = item.position;
  return lowest;
}

function highestPosition(items: ReadonlyArray<{ readonly position: bigint }>): bigint {
  let highest = items[0]!.position;
  for (const item of items) if (item.position > highest) highest = item.position;
  return highest;
}
