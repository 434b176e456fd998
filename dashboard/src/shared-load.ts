/** One API answer shared by the panels that show parts of it, so that a load asks the server once. */
import type { ResolvedRange } from './range';

export type RangeFetch<T> = (range: ResolvedRange, signal: AbortSignal) => Promise<T>;

/**
 * Wraps `fetch` so that the calls of one load share one request: every load of the page passes the panels a new
 * signal, so the first call with a signal and a range fetches, and the others with that signal and range get its
 * promise. A call with the same signal and another range fetches anew.
 */
export function sharedPerLoad<T>(fetch: RangeFetch<T>): RangeFetch<T> {
  const answers = new WeakMap<AbortSignal, Map<string, Promise<T>>>();
  return (range, signal) => {
    let byRange = answers.get(signal);
    if (!byRange) {
      byRange = new Map();
      answers.set(signal, byRange);
    }
    const key = `${range.from}/${range.to}`;
    let answer = byRange.get(key);
    if (!answer) {
      answer = fetch(range, signal);
      byRange.set(key, answer);
    }
    return answer;
  };
}
