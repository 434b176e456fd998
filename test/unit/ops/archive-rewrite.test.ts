/** Rewriting one archive object without some users' rows: other rows unchanged, format and codec kept. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveRewriter, isParquet } from '../../../local/ops/archive-rewrite';
import { ParquetWriter } from '../../../local/aws/firehose/parquet';
import { ARCHIVE_COLUMNS } from '../../../functions/shared/archive-schema';

/** An archive row with every column, as the transform writes it. */
function row(userId: string | null, n: number): Buffer {
  const r: Record<string, unknown> = {};
  for (const c of ARCHIVE_COLUMNS)
    r[c.name] =
      c.type === 'string' ? `${c.name}-${n}` : c.type === 'boolean' ? false : c.type === 'double' || c.type === 'bigint' ? n : null;
  r['event_time'] = '2026-11-20 10:00:00.000';
  r['user_id'] = userId;
  return Buffer.from(`${JSON.stringify(r)}\n`);
}

const ROWS = [row('alice', 1), row('bob', 2), row('alice', 3), row(null, 4), row("o'brien", 5), row('carol', 6)];

let rewriter: ArchiveRewriter;
const scratch = mkdtempSync(join(tmpdir(), 'archive-rewrite-'));
beforeEach(() => (rewriter = new ArchiveRewriter()));
afterEach(() => rewriter.close());
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a gzip JSON object', () => {
  const body = gzipSync(Buffer.concat(ROWS));

  it('keeps every other line byte for byte, in order, gzip-compressed', async () => {
    const out = await rewriter.rewrite('events/dt=2026-11-20/hour=10/a.gz', body, new Set(['alice', "o'brien"]));
    expect(out).toMatchObject({ removed: 3, kept: 3 });
    expect(gunzipSync(out.body!).toString()).toBe(Buffer.concat([ROWS[1]!, ROWS[3]!, ROWS[5]!]).toString());
    expect(await rewriter.countRows('a.gz', out.body!, new Set(['alice']))).toBe(0);
  });

  it('returns the object unchanged when it holds none of the users, and nothing when it holds only theirs', async () => {
    expect(await rewriter.rewrite('a.gz', body, new Set(['zoe']))).toEqual({ body, removed: 0, kept: 6 });
    const only = gzipSync(Buffer.concat([ROWS[0]!, ROWS[2]!]));
    expect(await rewriter.rewrite('a.gz', only, new Set(['alice']))).toEqual({ body: undefined, removed: 2, kept: 0 });
  });
});

describe('a Parquet object', () => {
  it('keeps the other rows (a row without a user id too) and the SNAPPY codec Firehose writes', async () => {
    const writer = new ParquetWriter(scratch);
    const body = await writer.toParquet(ROWS);
    writer.close();
    expect(isParquet('x', body)).toBe(true);
    const out = await rewriter.rewrite('events/dt=2026-11-20/hour=10/a.parquet', body, new Set(['alice', "o'brien"]));
    expect(out).toMatchObject({ removed: 3, kept: 3 });
    expect(await rewriter.countRows('a.parquet', out.body!, new Set(['alice', "o'brien"]))).toBe(0);
    expect(await rewriter.countRows('a.parquet', out.body!, new Set(['bob', 'carol']))).toBe(2);
    const before = join(scratch, 'before.parquet');
    const after = join(scratch, 'after.parquet');
    writeFileSync(before, body);
    writeFileSync(after, out.body!);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const rows = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJson();
    const others = `SELECT * FROM read_parquet('${before}') WHERE user_id IS NULL OR user_id NOT IN ('alice', 'o''brien')`;
    expect(await rows(`${others} EXCEPT ALL SELECT * FROM read_parquet('${after}')`)).toEqual([]);
    expect(await rows(`SELECT * FROM read_parquet('${after}') EXCEPT ALL ${others}`)).toEqual([]);
    expect(await rows(`SELECT DISTINCT compression FROM parquet_metadata('${after}')`)).toEqual([{ compression: 'SNAPPY' }]);
    c.closeSync();
    db.closeSync();
    const again = await rewriter.rewrite('a.parquet', out.body!, new Set(['bob']));
    expect(again).toMatchObject({ removed: 1, kept: 2 });
  });
});
