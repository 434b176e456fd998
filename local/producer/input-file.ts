/**
 * Reading `--input`: newline-delimited records from a file or standard input, streamed line by line with
 * bounded memory, each line exactly as given (only `\n` ends a line; a `\r` stays part of the record).
 * A UTF-8 byte-order mark at the very start is skipped. A line too large for a Kinesis record is never
 * held whole: past the limit its bytes go straight to the refused store, with reason `record_too_large`.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { refuse } from '../../functions/shared/reasons';
import { UsageError } from '../errors';
import { KINESIS_RECORD_MAX_BYTES, kinesisRecordBytes } from '../limits';
import type { ProduceRecord } from './producer';
import type { RefusedLineWriter, RefusedStore } from './refused-store';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** What reading has seen so far: every line is either yielded as a record or refused into the store. */
export interface InputCounts {
  lines: number;
  records: number;
  refused: number;
  bytesRead: number;
}

/** Fails before anything starts when `--input` cannot be read. */
export function checkInputReadable(path: string): void {
  if (path === '-') return;
  try {
    if (statSync(path).isDirectory())
      throw new UsageError(`--input ${path} is a directory; give a file of one event per line, or - for standard input`);
    accessSync(path, constants.R_OK);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      `--input ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give a readable file of one event per line, or - for standard input`,
    );
  }
}

/** The message of a line refused for its size. */
export function tooLargeMessage(bytes: number): string {
  return refuse(
    'record_too_large',
    '',
    `at most ${KINESIS_RECORD_MAX_BYTES} bytes of data and partition key (the Kinesis record limit)`,
    `${bytes} bytes`,
  ).message;
}

/** Streams the records of `path` ('-' for standard input); refused lines go to `store`, counts to `counts`. */
export async function* readInput(path: string, store: RefusedStore, counts: InputCounts = newCounts()): AsyncGenerator<ProduceRecord> {
  const source: Readable = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 256 * 1024 });
  yield* readLines(source, store, counts);
}

export function newCounts(): InputCounts {
  return { lines: 0, records: 0, refused: 0, bytesRead: 0 };
}

/** The line splitter behind `readInput`, for any byte stream. */
export async function* readLines(
  source: AsyncIterable<Buffer | string>,
  store: RefusedStore,
  counts: InputCounts = newCounts(),
): AsyncGenerator<ProduceRecord> {
  let parts: Buffer[] = [];
  let partsBytes = 0;
  let oversize: RefusedLineWriter | undefined;
  let head: Buffer | undefined = Buffer.alloc(0); // until the first 3 bytes are seen, for the BOM

  const append = async (piece: Buffer): Promise<void> => {
    if (piece.length === 0) return;
    if (oversize) return oversize.write(piece);
    // Data of the limit's size cannot fit with any partition key (at least one byte): stop buffering.
    if (partsBytes + piece.length >= KINESIS_RECORD_MAX_BYTES) {
      oversize = await store.begin(counts.lines + 1);
      for (const p of parts) await oversize.write(p);
      await oversize.write(piece);
      parts = [];
      partsBytes = 0;
      return;
    }
    // Copied: a record must not pin the whole read chunk in memory while it waits to be put.
    parts.push(Buffer.from(piece));
    partsBytes += piece.length;
  };

  /** Ends the current line: a record to put, or a refusal. */
  const endLine = async (): Promise<ProduceRecord | undefined> => {
    counts.lines += 1;
    if (oversize) {
      await oversize.end('record_too_large', tooLargeMessage);
      oversize = undefined;
      counts.refused += 1;
      return undefined;
    }
    const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts, partsBytes);
    parts = [];
    partsBytes = 0;
    const partitionKey = partitionKeyFor(data);
    if (kinesisRecordBytes(data, partitionKey) > KINESIS_RECORD_MAX_BYTES) {
      const w = await store.begin(counts.lines);
      await w.write(data);
      await w.end('record_too_large', tooLargeMessage);
      counts.refused += 1;
      return undefined;
    }
    counts.records += 1;
    return { partitionKey, data };
  };

  for await (const raw of source) {
    let chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    counts.bytesRead += chunk.length;
    if (head) {
      chunk = Buffer.concat([head, chunk]);
      if (chunk.length < BOM.length && BOM.subarray(0, chunk.length).equals(chunk)) {
        head = chunk;
        continue;
      }
      head = undefined;
      if (chunk.subarray(0, BOM.length).equals(BOM)) chunk = chunk.subarray(BOM.length);
    }
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      await append(chunk.subarray(start, nl));
      const record = await endLine();
      if (record) yield record;
      start = nl + 1;
    }
    await append(chunk.subarray(start));
  }
  if (head && head.length > 0) await append(head);
  if (partsBytes > 0 || oversize) {
    const record = await endLine();
    if (record) yield record;
  }
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
