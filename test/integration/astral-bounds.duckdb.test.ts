/**
 * Characters outside the Basic Multilingual Plane (two UTF-16 units each) placed at every position around
 * each length bound, through both handlers and DuckDB: whatever is cut stays whole characters, whatever is
 * refused says so in a well-formed message, and the archive stays readable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadConfig } from '../../functions/firehose-transform/config';
import { UserAgentCache } from '../../functions/firehose-transform/enrich/user-agent';
import { transformBatch } from '../../functions/firehose-transform/transform-batch';
import { processBatch } from '../../functions/session-processor/process-batch';
import { LIMITS } from '../../functions/shared/event-contract';
import { ARCHIVE_DATA_PREFIX } from '../../functions/shared/firehose-prefixes';
import { renderPrefix } from '../../local/aws/firehose/prefixes';
import { PAGE_PATH_MAX } from '../../functions/shared/url';
import { openArchive } from '../../local/runtime/archive-sql';
import { gzipRecords, objectKey, putObject } from '../../local/aws/firehose/s3-objects';
import { T0, kinesisEvent, producerEvent } from '../helpers/events';
import { firehoseEvent, rowOf } from '../helpers/firehose';
import { MemoryLog, MemoryStore } from '../helpers/memory-store';
import { BOUNDS, RULES } from '../helpers/positioned';

/** Message previews and long field names are cut at these (functions/shared/reasons.ts). */
const PREVIEW = 64;
const FIELD_NAME = 128;
const HOST = 'https://shop.example.com';

/** `count` ASCII letters, then the astral character, then a tail: the character straddles index `count`. */
const around = (count: number, astral: string) => `${'a'.repeat(count)}${astral}z`;

/** Producer events that put `astral` at every position from `bound - 3` to `bound + 2` of each bounded text. */
function eventsAround(astral: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (let d = -3; d <= 2; d += 1) {
    const base = { timestamp: T0, properties: { case: out.length } };
    // Page path: cut at PAGE_PATH_MAX for journeys, metrics page keys and the archive's page_path.
    out.push(producerEvent({ ...base, url: `${HOST}/${around(PAGE_PATH_MAX - 1 + d, astral)}?q=1` }));
    // The URL as a whole (refused above LIMITS.url) and the referrer.
    out.push(producerEvent({ ...base, url: `${HOST}/${around(LIMITS.url - HOST.length - 2 + d, astral)}` }));
    out.push(producerEvent({ ...base, referrer: `${HOST}/${around(LIMITS.referrer - HOST.length - 2 + d, astral)}` }));
    // userId: kept whole up to LIMITS.userId, refused above, quoted in the refusal.
    out.push(producerEvent({ ...base, userId: around(LIMITS.userId - 1 + d, astral) }));
    // A quoted value cut for a message preview, and an unknown field's long name.
    out.push(producerEvent({ ...base, eventType: around(PREVIEW - 1 + d, astral) }));
    out.push({ ...producerEvent(base), [around(FIELD_NAME - 1 + d, astral)]: 1 });
    // A property string: archived whole up to LIMITS.propertyString, refused above.
    out.push(producerEvent({ ...base, properties: { text: around(LIMITS.propertyString - 1 + d, astral) } }));
  }
  return out;
}

/** Every string anywhere in `value` (keys too) is well-formed Unicode. */
function allWellFormed(value: unknown): boolean {
  if (typeof value === 'string') return value.isWellFormed();
  if (typeof value === 'bigint' || typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(allWellFormed);
  return Object.entries(value).every(([k, v]) => k.isWellFormed() && allWellFormed(v));
}

const astral = fc.integer({ min: 0x10000, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));

describe('astral-plane characters at the length bounds', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'astral-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the session-processor keeps sessions, journeys, page keys and log lines well-formed', async () => {
    await fc.assert(
      fc.asyncProperty(astral, async (ch) => {
        const store = new MemoryStore();
        const log = new MemoryLog();
        const { report } = await processBatch(kinesisEvent(eventsAround(ch)).Records, { store, log, rules: RULES, bounds: BOUNDS });
        expect(report.recordsIn).toBe(report.valid + report.refused);
        expect(report.valid).toBeGreaterThan(0);
        expect(report.refused).toBeGreaterThan(0);
        const { sessions, metrics } = store.snapshot();
        expect(allWellFormed(sessions)).toBe(true);
        expect(allWellFormed(metrics)).toBe(true);
        expect(allWellFormed(log.lines)).toBe(true);
        for (const s of sessions) for (const page of s.journey) expect(page.length).toBeLessThanOrEqual(PAGE_PATH_MAX);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 30) },
    );
  });

  it('the transform writes rows that DuckDB reads back, with the same text', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(astral, async (ch) => {
        const log = new MemoryLog();
        const payloads = eventsAround(ch);
        const { result, report } = transformBatch(firehoseEvent(payloads), new UserAgentCache(), loadConfig({}), log);
        expect(report.ok + report.processingFailed).toBe(payloads.length);
        expect(report.ok).toBeGreaterThan(0);
        expect(allWellFormed(log.lines)).toBe(true);
        const ok = result.records.filter((r) => r.result === 'Ok');
        const rows = ok.map((r) => rowOf(r.data));
        expect(allWellFormed(rows)).toBe(true);

        const root = join(dir, `run-${(n += 1)}`);
        const prefix = renderPrefix(ARCHIVE_DATA_PREFIX, { partitionKeys: ok[0]!.metadata!.partitionKeys, arrival: new Date(T0) });
        putObject(root, objectKey(prefix, 'archive', new Date(T0), '.gz'), gzipRecords(ok.map((r) => Buffer.from(r.data!, 'base64'))));
        const db = await openArchive(root, root);
        try {
          const read = await db.query('SELECT event_id, page_path, user_id, referrer, properties FROM ${events} ORDER BY event_id');
          const expected = rows.map((r) => ({
            event_id: r['event_id'],
            page_path: r['page_path'],
            user_id: r['user_id'],
            referrer: r['referrer'],
            properties: r['properties'],
          }));
          expected.sort((a, b) => String(a.event_id).localeCompare(String(b.event_id)));
          expect(read).toEqual(expected);
        } finally {
          db.close();
        }
      }),
      // Each case opens a DuckDB instance: a tenth of PROPERTY_RUNS under `npm run test:reliability`.
      { numRuns: Math.ceil(Number(process.env.PROPERTY_RUNS ?? 150) / 10) },
    );
  });
});
