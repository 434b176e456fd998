/** Errors of the code both functions share. */

/** The user-id key could not be read in `hash` mode: the invocation fails rather than store a raw id. */
export class UserIdKeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserIdKeyError';
  }
}
