/**
 * The local view reads an archive whose Parquet objects were written under different versions of the schema, as
 * Athena reads them by name: a column an older object lacks is null there, and a column no object holds yet is
 * null everywhere. The session queries read the older channel ids such rows carry as today's.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARCHIVE_DATA_ROOT } from '../../functions/shared/firehose-prefixes';
import { openArchive } from '../../local/runtime/archive-sql';
import { loadNamedQueries } from '../../queries';

const root = mkdtempSync(join(tmpdir(), 'archive-schemas-'));
const hour = join(root, 'archive', ARCHIVE_DATA_ROOT, 'dt=2026-11-27', 'hour=10');

beforeAll(async () => {
  mkdirSync(hour, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  // An object from before bot_name and bot_category, with a column since dropped (gclid) ...
  await c.run(
    `COPY (SELECT 'old' AS event_id, TIMESTAMP '2026-11-27 10:00:00' AS event_time, 'u1' AS user_id, false AS is_bot, 'g-1' AS gclid) TO '${join(hour, 'a.parquet')}' (FORMAT parquet)`,
  );
  // ... and one with them.
  await c.run(
    `COPY (SELECT 'new' AS event_id, TIMESTAMP '2026-11-27 10:05:00' AS event_time, 'u2' AS user_id, true AS is_bot, 'curl' AS bot_name, 'http_library' AS bot_category) TO '${join(hour, 'b.parquet')}' (FORMAT parquet)`,
  );
  // Rows from before GA4's channel group: no traffic_medium, and the older ids `internal` and `affiliate`.
  const legacy = (id: string, time: string, channel: string, source: string, user = 'u3') =>
    `SELECT '${id}' AS event_id, TIMESTAMP '2026-11-27 ${time}' AS event_time, TIMESTAMP '2026-11-27 ${time}' AS received_at, '${user}' AS user_id, false AS is_bot, 'page_view' AS event_type, '${channel}' AS traffic_channel, '${source}' AS traffic_source`;
  await c.run(
    `COPY (${legacy('l1', '11:00:00', 'organic_search', 'google')} UNION ALL ${legacy('l2', '12:00:00', 'internal', 'shop.example')} UNION ALL ${legacy('l3', '13:00:00', 'affiliate', 'partner.example')} UNION ALL ${legacy('l4', '14:00:00', 'internal', 'shop.example', 'u4')}) TO '${join(hour, 'c.parquet')}' (FORMAT parquet)`,
  );
  c.closeSync();
  instance.closeSync();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the local view over Parquet objects of several schemas', () => {
  it('reads every object, each column by name, null where an object lacks it', async () => {
    const db = await openArchive(join(root, 'archive'), root);
    try {
      const rows = await db.query(
        'SELECT event_id, user_id, is_bot, bot_name, bot_category, page_url, dt FROM ${events} ORDER BY event_id',
      );
      expect(rows.filter((row) => !String(row['event_id']).startsWith('l'))).toEqual([
        { event_id: 'new', user_id: 'u2', is_bot: true, bot_name: 'curl', bot_category: 'http_library', page_url: null, dt: '2026-11-27' },
        { event_id: 'old', user_id: 'u1', is_bot: false, bot_name: null, bot_category: null, page_url: null, dt: '2026-11-27' },
      ]);
    } finally {
      db.close();
    }
  });

  it("reads the older channel ids as today's in the session queries: internal as direct (inheriting), affiliate as affiliates", async () => {
    const db = await openArchive(join(root, 'archive'), root);
    const sql = (name: string) => loadNamedQueries().find((q) => q.name === name)!.sql;
    const day = { from: '2026-11-27', to: '2026-11-27' };
    try {
      const sessions = (await db.query(sql('sessions'), day)).filter((row) => ['u3', 'u4'].includes(row['user_id'] as string));
      expect(sessions.map((row) => [row['user_id'], row['channel'], row['source'], row['medium'], row['campaign']])).toEqual([
        ['u3', 'organic_search', 'google', null, null],
        ['u3', 'organic_search', 'google', null, null],
        ['u3', 'affiliates', 'partner.example', null, null],
        // Nothing to inherit: direct, as GA4 shows it, not the old row's own host as the source.
        ['u4', 'direct', '(direct)', '(none)', '(direct)'],
      ]);
      const channels = await db.query(sql('traffic_channels'), day);
      // u1's row predates the traffic columns altogether: a session without a channel.
      expect(channels.map((row) => [row['channel'], row['source'], Number(row['sessions'])])).toEqual(
        expect.arrayContaining([
          ['affiliates', 'partner.example', 1],
          ['direct', '(direct)', 2],
          ['organic_search', 'google', 1],
          [null, null, 1],
        ]),
      );
      expect(channels).toHaveLength(4);
    } finally {
      db.close();
    }
  });
});
