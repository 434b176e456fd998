/**
 * Every shipped query reads one range of event dates, and DuckDB reads only those days' objects: the archive
 * here holds three days (two hour partitions each); a query over one day opens that day's two files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserAgentCache } from '../../functions/firehose-transform/enrich/user-agent';
import { loadConfig } from '../../functions/firehose-transform/config';
import { transformBatch } from '../../functions/firehose-transform/transform-batch';
import { ARCHIVE_DATA_PREFIX } from '../../functions/shared/firehose-prefixes';
import { renderPrefix } from '../../local/aws/firehose/prefixes';
import { openArchive } from '../../local/runtime/archive-sql';
import type { ArchiveDb } from '../../local/runtime/archive-sql';
import { queryRange, runNamedQuery } from '../../local/commands/query';
import { openDataDir } from '../../local/runtime/data-dir';
import { gzipRecords, objectKey, putObject } from '../../local/aws/firehose/s3-objects';
import { loadNamedQueries } from '../../queries';
import { producerEvent, T0 } from '../helpers/events';
import { firehoseEvent } from '../helpers/firehose';
import { MemoryLog } from '../helpers/memory-store';

const DAY = 86_400_000;
/** 2026-11-25, -26 and -27, at 09:xx and 10:xx UTC; each day's page views on a path of its own. */
const DAYS = [2, 1, 0].map((back) => new Date(T0 - back * DAY).toISOString().slice(0, 10));
const root = mkdtempSync(join(tmpdir(), 'query-range-'));
const dataDirPath = join(root, 'data');
let db: ArchiveDb;

beforeAll(async () => {
  const archive = openDataDir(dataDirPath, false).archive;
  const events = DAYS.flatMap((day, d) =>
    [9, 10].flatMap((hour) =>
      ['u1', 'u2', 'u3'].map((user, i) =>
        producerEvent({
          userId: user,
          timestamp: `${day}T${String(hour).padStart(2, '0')}:0${i}:00.000Z`,
          url: `https://shop.example.com/day-${d}`,
        }),
      ),
    ),
  );
  const { result } = transformBatch(firehoseEvent(events), new UserAgentCache(), loadConfig({}), new MemoryLog());
  const byPrefix = new Map<string, Buffer[]>();
  for (const r of result.records) {
    expect(r.result).toBe('Ok');
    const prefix = renderPrefix(ARCHIVE_DATA_PREFIX, { partitionKeys: r.metadata!.partitionKeys, arrival: new Date(T0) });
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), Buffer.from(r.data!, 'base64')]);
  }
  expect(byPrefix.size).toBe(6);
  for (const [prefix, rows] of byPrefix) putObject(archive, objectKey(prefix, 'archive', new Date(T0), '.gz'), gzipRecords(rows));
  db = await openArchive(archive, root);
});
afterAll(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

/** Files DuckDB opened for `sql` over `range`, from EXPLAIN ANALYZE ("Total Files Read" of each scan). */
async function filesRead(sql: string, range: { from: string; to: string }): Promise<{ read: number; total: number }> {
  const reader = await db.connection.runAndReadAll(`EXPLAIN ANALYZE ${db.bind(sql, range)}`);
  const plan = reader.getRows().flat().map(String).join('\n');
  const read = [...plan.matchAll(/Total Files Read: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  const total = [...plan.matchAll(/Scanning Files: \d+\/(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  expect(plan).toMatch(/Total Files Read/);
  return { read, total };
}

describe('clickstream query --from --to', () => {
  it("answers top_pages over one day with that day's pages only", async () => {
    const rows = await runNamedQuery('top_pages', dataDirPath, queryRange(DAYS[1], DAYS[1]));
    expect(rows.map((r) => r['page_path'])).toEqual(['/day-1']);
    expect(Number(rows[0]!['page_views'])).toBe(6);
  });

  it.each(loadNamedQueries().map((q) => [q.name, q]))("%s over one day opens only that day's two objects of six", async (_name, q) => {
    expect(await filesRead(q.sql, { from: DAYS[1]!, to: DAYS[1]! })).toEqual({ read: 2, total: 6 });
  });

  it('opens every object for the whole range', async () => {
    const q = loadNamedQueries().find((n) => n.name === 'top_pages')!;
    expect(db.fullRange).toEqual({ from: DAYS[0], to: DAYS[2] });
    // (DuckDB prints "Scanning Files" only when its filter skipped some.)
    expect((await filesRead(q.sql, db.fullRange)).read).toBe(6);
  });

  it('defaults to the last 7 days, today included', () => {
    const now = new Date('2026-11-27T23:59:00Z');
    expect(queryRange(undefined, undefined, now)).toEqual({ from: '2026-11-21', to: '2026-11-27' });
    expect(queryRange(undefined, '2026-11-10', now)).toEqual({ from: '2026-11-04', to: '2026-11-10' });
    expect(queryRange('2026-11-01', undefined, now)).toEqual({ from: '2026-11-01', to: '2026-11-27' });
  });

  it.each([
    [['2026-11-31', '2026-12-01'], /--from must be a date yyyy-MM-dd/],
    [['2026-11-02', '2026-11-01'], /--from \(2026-11-02\) must not be after --to \(2026-11-01\)/],
    [['yesterday', undefined], /--from must be a date/],
  ] as const)('refuses %j', ([from, to], message) => {
    expect(() => queryRange(from, to)).toThrow(message);
  });

  it('refuses to run a ranged query without a range', async () => {
    await expect(db.query(loadNamedQueries()[0]!.sql)).rejects.toThrow(/reads a range of dates; give one/);
  });
});
