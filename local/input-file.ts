/** Reading `--input`: newline-delimited records from a file or standard input, each line exactly as given. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ProduceRecord } from './producer';

/** One record per line; only the newline ends a line (a CR stays part of the record). */
export function readInput(path: string): ProduceRecord[] {
  let bytes: Buffer;
  try {
    bytes = path === '-' ? readFileSync(0) : readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read --input ${path}: ${(err as Error).message}; give a readable file of one event per line, or - for standard input`, { cause: err });
  }
  const records: ProduceRecord[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const data = bytes.subarray(start, end);
    records.push({ partitionKey: partitionKeyFor(data), data });
    start = end + 1;
  }
  return records;
}

/** The producer contract's partition key: the user id, so a user's events stay in order on one shard. */
export function partitionKeyFor(data: Uint8Array): string {
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { userId?: unknown };
    if (typeof parsed.userId === 'string' && parsed.userId.length > 0 && parsed.userId.length <= 256) return parsed.userId;
  } catch {
    // Not JSON: still put on the stream, to be refused and kept like any other bad record.
  }
  return `unparsed-${createHash('sha256').update(data).digest('hex').slice(0, 16)}`;
}
