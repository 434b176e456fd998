import { createHash } from 'node:crypto';

/**
 * Fingerprint of a producer payload: SHA-256 of its exact bytes, first 128 bits in hex. A producer that
 * retries a put sends the same bytes, so both paths give the retry the same id as the original.
 */
export function fingerprint(payload: Uint8Array): string {
  return createHash('sha256').update(payload).digest('hex').slice(0, 32);
}
