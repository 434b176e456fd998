/**
 * Pseudonymous user ids (`userIdMode`): with `hash`, both functions replace the producer's `userId` by its
 * keyed hash before anything is stored, so a user's events still join (the same id gives the same hash) while
 * the sessions table and the archive never hold the raw id. Only the user id is pseudonymised: the client
 * address has `ipMode`, and the other fields are kept as sent.
 */
import { createHmac } from 'node:crypto';
import { fingerprint } from './fingerprint';
import { oneOf } from './settings';

/** `keep` stores the producer's user id as sent; `hash` stores its HMAC-SHA-256 under a secret key. */
export const USER_ID_MODES = ['keep', 'hash'] as const;
export type UserIdMode = (typeof USER_ID_MODES)[number];

/** How the stores name a user; both functions read it. */
export const USER_ID_MODE = oneOf<UserIdMode>({
  env: 'USER_ID_MODE',
  default: 'keep',
  choices: USER_ID_MODES,
  reason:
    'the id a site sends is usually already a random first-party id; hashing needs a key that must never be lost or rotated, so it is chosen, not imposed',
});

/** The variable naming the Secrets Manager secret that holds the key in `hash` mode; the stack sets it. */
export const USER_ID_KEY_SECRET_ARN = 'USER_ID_KEY_SECRET_ARN';

/**
 * Shortest key accepted, in bytes: RFC 2104 (section 3) advises a key no shorter than the hash's output, 32
 * bytes for SHA-256. The stack's secret is 64 characters, the local key file 64 hex digits.
 */
export const MIN_USER_ID_KEY_BYTES = 32;

/** Lowercase hex HMAC-SHA-256 of the UTF-8 user id (64 characters). */
export function pseudonymousUserId(key: Uint8Array, userId: string): string {
  return createHmac('sha256', key).update(userId, 'utf8').digest('hex');
}

/**
 * The key from the text that stores it (the secret's string in AWS, the key file locally): its UTF-8 bytes,
 * so that `openssl dgst -sha256 -hmac "$KEY"` gives the same hash. Throws when it is shorter than
 * {@link MIN_USER_ID_KEY_BYTES}; `where` names the store in the message.
 */
export function userIdKeyFromText(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'utf8');
  if (key.length < MIN_USER_ID_KEY_BYTES)
    throw new Error(`the user-id key in ${where} is ${key.length} bytes; it must be at least ${MIN_USER_ID_KEY_BYTES} (HMAC-SHA-256)`);
  return key;
}

/** What the stores hold for a user, and how an event without its own `eventId` is fingerprinted. */
export interface UserIdPolicy {
  readonly mode: UserIdMode;
  /** The user id the stores hold for a producer's `userId`. */
  storedUserId(userId: string): string;
  /**
   * The fingerprint of a payload (an event without `eventId`): its bytes hold the raw id, so in `hash` mode
   * the fingerprint is keyed too, or anyone holding the archive could test a guessed id against it.
   */
  payloadFingerprint(payload: Uint8Array): string;
}

/** The producer's ids as sent. */
export const KEEP_USER_IDS: UserIdPolicy = { mode: 'keep', storedUserId: (userId) => userId, payloadFingerprint: fingerprint };

/** Keyed hashes in place of raw ids. */
export function hashUserIds(key: Uint8Array): UserIdPolicy {
  return {
    mode: 'hash',
    storedUserId: (userId) => pseudonymousUserId(key, userId),
    // A prefix of its own, so that a payload's fingerprint is never the hash of some user id.
    payloadFingerprint: (payload) => createHmac('sha256', key).update('payload\u0000').update(payload).digest('hex').slice(0, 32),
  };
}
