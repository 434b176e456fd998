/**
 * The shipped named queries on DuckDB over an archive laid out as Firehose lays it out, and the sessions
 * query checked against the session-processor's own sessionization of the same events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KinesisStreamRecord } from 'aws-lambda';
import { loadConfig } from '../../functions/firehose-transform/config';
import { UserAgentCache } from '../../functions/firehose-transform/enrich/user-agent';
import { transformBatch } from '../../functions/firehose-transform/transform-batch';
import { recordPosition } from '../../functions/session-processor/model';
import { applyUserEvents, emptyState } from '../../functions/session-processor/sessionize';
import { ARCHIVE_DATA_PREFIX } from '../../functions/shared/firehose-prefixes';
import { LAST_NON_DIRECT_LOOKBACK_MS, eventSessionTraffic } from '../../functions/shared/traffic/session-attribution';
import { renderPrefix } from '../../local/aws/firehose/prefixes';
import { validateRecord } from '../../functions/shared/validate-event';
import { openArchive } from '../../local/runtime/archive-sql';
import type { ArchiveDb } from '../../local/runtime/archive-sql';
import { gzipRecords, objectKey, putObject } from '../../local/aws/firehose/s3-objects';
import { loadNamedQueries } from '../../queries';
import { MemoryLog } from '../helpers/memory-store';
import { BOUNDS, RULES } from '../helpers/positioned';
import { smallWorkload } from '../helpers/small-workload';
import { MINUTE, T0, kinesisRecord, producerEvent } from '../helpers/events';
import { sqlSessionFields } from '../helpers/sql-sessions';

const records = smallWorkload(30, 15, 11);
let dir: string;
let db: ArchiveDb;

/** Transforms every record and writes the Ok rows, twice for a few (an at-least-once redelivery). */
function writeArchive(root: string, input: readonly KinesisStreamRecord[]): void {
  const event = {
    invocationId: 'i',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/archive',
    region: 'us-east-1',
    records: input.map((r, i) => ({
      recordId: String(i),
      approximateArrivalTimestamp: r.kinesis.approximateArrivalTimestamp * 1000,
      data: r.kinesis.data,
    })),
  };
  const { result } = transformBatch(event, new UserAgentCache(), loadConfig({}), new MemoryLog());
  const byPrefix = new Map<string, Buffer[]>();
  result.records.forEach((r, i) => {
    if (r.result !== 'Ok') return;
    const prefix = renderPrefix(ARCHIVE_DATA_PREFIX, { partitionKeys: r.metadata!.partitionKeys, arrival: new Date() });
    const copies = i % 17 === 0 ? 2 : 1;
    for (let c = 0; c < copies; c += 1) byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), Buffer.from(r.data!, 'base64')]);
  });
  for (const [prefix, rows] of byPrefix) putObject(root, objectKey(prefix, 'archive', new Date(), '.gz'), gzipRecords(rows));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'archive-'));
  writeArchive(join(dir, 'archive'), records);
  db = await openArchive(join(dir, 'archive'), dir);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('named queries on the local archive', () => {
  it.each(loadNamedQueries().map((q) => [q.name, q]))('%s runs and returns rows', async (_name, q) => {
    const rows = await db.query(q.sql, db.fullRange);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('counts each event once although some were archived twice', async () => {
    const [row] = await db.query('SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM ${events}');
    expect(Number(row!['n'])).toBeGreaterThan(records.length);
    const dedup = await db.query(loadNamedQueries().find((q) => q.name === 'deduplicated_events')!.sql, db.fullRange);
    expect(dedup.length).toBe(records.length);
    expect(Number(row!['ids'])).toBe(records.length);
  });

  it('rebuilds in SQL the same sessions that the session-processor computes', async () => {
    const sql = await db.query(loadNamedQueries().find((q) => q.name === 'sessions')!.sql, db.fullRange);
    const byUser = new Map<string, Parameters<typeof applyUserEvents>[2][number][]>();
    for (const r of records) {
      const v = validateRecord(Buffer.from(r.kinesis.data, 'base64'), r.kinesis.approximateArrivalTimestamp * 1000, BOUNDS);
      if (!v.ok) continue;
      const list = byUser.get(v.event.userId) ?? [];
      list.push({ position: recordPosition(r.kinesis.sequenceNumber, 0), sequenceNumber: r.kinesis.sequenceNumber, event: v.event });
      byUser.set(v.event.userId, list);
    }
    const streamed = [...byUser.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([user, events]) => applyUserEvents(emptyState(user), 'shard', events, RULES).sessions);
    // The workload has direct sessions that inherit an earlier non-direct source, so the rule is compared too.
    const inherited = streamed.filter((s) => {
      const first = byUser.get(s.userId)!.find((e) => e.event.timestampMs === s.startMs)!.event;
      return s.channel !== 'direct' && eventSessionTraffic(first.url, first.referrer, RULES.internalHosts).channel === 'direct';
    });
    expect(inherited.length).toBeGreaterThan(0);
    expect(sql.map(sqlSessionFields)).toEqual(
      streamed.map((s) => [
        s.userId,
        s.startMs,
        s.lastMs,
        s.eventCount,
        s.pageViews,
        s.landingPage,
        s.exitPage,
        s.channel,
        s.source,
        s.medium,
        s.campaign ?? null,
        s.converted,
        s.revenueMicros / 1e6,
      ]),
    );
  });

  it('bounds the last non-direct rule at 90 days from the non-direct session, as the session-processor does', async () => {
    const DAY = 86_400_000;
    const at = [0, 45 * DAY, LAST_NON_DIRECT_LOOKBACK_MS, LAST_NON_DIRECT_LOOKBACK_MS + 60 * MINUTE];
    const input = at.map((offset, i) =>
      kinesisRecord(
        producerEvent({
          userId: 'user-lookback',
          timestamp: T0 + offset,
          url: i === 0 ? 'https://shop.example.com/?utm_source=news&utm_medium=email' : 'https://shop.example.com/',
          referrer: i === 0 ? undefined : 'https://shop.example.com/cart',
        }),
        { index: i, arrivalMs: T0 + offset + 1000, partitionKey: 'user-lookback' },
      ),
    );
    const root = mkdtempSync(join(tmpdir(), 'archive-lookback-'));
    writeArchive(join(root, 'archive'), input);
    const lookback = await openArchive(join(root, 'archive'), root);
    try {
      const rows = await lookback.query(loadNamedQueries().find((q) => q.name === 'sessions')!.sql, lookback.fullRange);
      expect(rows.map((r) => r['channel'])).toEqual(['email', 'email', 'email', 'direct']);
    } finally {
      lookback.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
