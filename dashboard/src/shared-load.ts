/** One API answer shared by the panels that show parts of it, so that a load asks the server once. */
import type { ResolvedRange } from './range';

export type RangeFetch<T> = (range: ResolvedRange, signal: AbortSignal) => Promise<T>;

/**
 * Wraps `fetch` so that the calls of one load share one request: every load of the page passes the panels a new
 * signal, so the first call with a signal fetches and the others with that signal get its promise.
 */
export function sharedPerLoad<T>(fetch: RangeFetch<T>): RangeFetch<T> {
  const answers = new WeakMap<AbortSignal, Promise<T>>();
  return (range, signal) => {
    let answer = answers.get(signal);
    if (!answer) {
      answer = fetch(range, signal);
      answers.set(signal, answer);
    }
    return answer;
  };
}
