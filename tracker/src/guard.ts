/** `fn`, made safe for the host page: whatever it throws is swallowed, and it returns undefined instead. */
export function guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined {
  return (...args) => {
    try {
      return fn(...args);
    } catch {
      // The tracker never breaks the page it measures.
      return undefined;
    }
  };
}
