import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { newCounts, readInput, readLines } from '../../../local/producer/input-file';
import { KINESIS_RECORD_MAX_BYTES } from '../../../local/limits';
import type { ProduceRecord } from '../../../local/producer/producer';
import { RefusedStore } from '../../../local/producer/refused-store';
import { retainedBytes } from '../../helpers/heap';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'input-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function collect(source: AsyncIterable<ProduceRecord>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of source) out.push(Buffer.from(r.data).toString('utf8'));
  return out;
}

/** A byte stream cut into chunks of `size`, so lines span chunk boundaries. */
function chunked(bytes: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })(),
  );
}

const event = (userId: string, pad = '') =>
  JSON.stringify({ userId, eventType: 'page_view', timestamp: 1_700_000_000_000, url: `https://shop.example/${pad}` });

describe('readInput', () => {
  it('keeps a carriage return as part of its record: only a newline ends a line', async () => {
    const store = new RefusedStore(join(dir, 'refused'));
    const lines = await collect(readLines(chunked(Buffer.from(`${event('a')}\r\n${event('b')}\n\n${event('c')}`), 7), store));
    expect(lines).toEqual([`${event('a')}\r`, event('b'), '', event('c')]);
  });

  it('skips a UTF-8 byte-order mark at the start of the input, also when it arrives split across chunks', async () => {
    const store = new RefusedStore(join(dir, 'refused'));
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${event('a')}\n${event('b')}\n`)]);
    expect(await collect(readLines(chunked(bytes, 1), store))).toEqual([event('a'), event('b')]);
    expect(await collect(readLines(chunked(bytes, 4096), store))).toEqual([event('a'), event('b')]);
  });

  it('gives each record its user id as partition key', async () => {
    const store = new RefusedStore(join(dir, 'refused'));
    const keys: string[] = [];
    for await (const r of readLines(Readable.from([Buffer.from(`${event('u-1')}\nnot json\n`)]), store)) keys.push(r.partitionKey);
    expect(keys[0]).toBe('u-1');
    expect(keys[1]).toMatch(/^unparsed-[0-9a-f]{16}$/);
  });

  it('refuses a line over 1 MiB with record_too_large and keeps it whole, with its line number', async () => {
    const big = event('big', 'x'.repeat(KINESIS_RECORD_MAX_BYTES));
    const path = join(dir, 'input.ndjson');
    writeFileSync(path, `${event('a')}\n${big}\n${event('b')}\n`);
    const store = new RefusedStore(join(dir, 'refused'), 'run');
    const counts = newCounts();
    expect(await collect(readInput(path, store, counts))).toEqual([event('a'), event('b')]);
    expect(counts).toMatchObject({ lines: 3, records: 2, refused: 1 });
    expect(store.byReason).toEqual({ record_too_large: 1 });
    const [entry] = readFileSync(join(store.dir, 'refused.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entry).toEqual({
      line: 2,
      reason: 'record_too_large',
      message: `record: expected at most ${KINESIS_RECORD_MAX_BYTES} bytes of data and partition key (the Kinesis record limit), got ${Buffer.byteLength(big)} bytes`,
      bytes: Buffer.byteLength(big),
      sha256: createHash('sha256').update(big).digest('hex'),
      file: 'line-000000002.record',
    });
    expect(readFileSync(join(store.dir, 'line-000000002.record'), 'utf8')).toBe(big);
  });

  it('refuses a line whose data fits but not with its partition key', async () => {
    const userId = 'k'.repeat(200);
    const base = event(userId);
    const line = event(userId, 'p'.repeat(KINESIS_RECORD_MAX_BYTES - Buffer.byteLength(base) - 100));
    expect(Buffer.byteLength(line)).toBeLessThan(KINESIS_RECORD_MAX_BYTES);
    const store = new RefusedStore(join(dir, 'refused'), 'run');
    const counts = newCounts();
    expect(await collect(readLines(Readable.from([Buffer.from(`${line}\n`)]), store, counts))).toEqual([]);
    expect(counts).toMatchObject({ lines: 1, records: 0, refused: 1 });
  });

  it('streams a 50 MB line to the refused store without holding it in memory', async () => {
    const store = new RefusedStore(join(dir, 'refused'), 'run');
    const counts = newCounts();
    const piece = Buffer.alloc(1024 * 1024, 0x61);
    const source = Readable.from(
      (function* () {
        yield Buffer.from(`${event('a')}\n`);
        for (let i = 0; i < 50; i += 1) yield piece;
        yield Buffer.from(`\n${event('b')}`);
      })(),
    );
    const heapBefore = retainedBytes();
    let peak = 0;
    const lines: string[] = [];
    for await (const r of readLines(source, store, counts)) {
      lines.push(Buffer.from(r.data).toString('utf8'));
      peak = Math.max(peak, retainedBytes() - heapBefore);
    }
    expect(lines).toEqual([event('a'), event('b')]);
    expect(counts).toMatchObject({ lines: 3, records: 2, refused: 1 });
    expect(readdirSync(store.dir).sort()).toEqual(['line-000000002.record', 'refused.ndjson']);
    expect(readFileSync(join(store.dir, 'refused.ndjson'), 'utf8')).toContain(`"bytes":${50 * 1024 * 1024}`);
    // Far below the line's 50 MB: only chunks in flight are held.
    expect(peak).toBeLessThan(20 * 1024 * 1024);
  });
});
