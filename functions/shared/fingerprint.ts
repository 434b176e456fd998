import { hash } from 'node:crypto';

/**
 * Fingerprint of a producer payload: SHA-256 of its exact bytes, first 128 bits in hex. A producer that
 * retries a put sends the same bytes, so both paths give the retry the same id as the original.
 * `crypto.hash` (Node 20.12+) is the one-shot form: about three times faster than createHash per record.
 */
export function fingerprint(payload: Uint8Array): string {
  return hash('sha256', payload, 'hex').slice(0, 32);
}
