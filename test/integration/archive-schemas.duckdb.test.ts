/**
 * The local view reads an archive whose Parquet objects were written under different versions of the schema, as
 * Athena reads them by name: a column an older object lacks is null there, and a column no object holds yet is
 * null everywhere.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARCHIVE_DATA_ROOT } from '../../functions/shared/firehose-prefixes';
import { openArchive } from '../../local/runtime/archive-sql';

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
      expect(rows).toEqual([
        { event_id: 'new', user_id: 'u2', is_bot: true, bot_name: 'curl', bot_category: 'http_library', page_url: null, dt: '2026-11-27' },
        { event_id: 'old', user_id: 'u1', is_bot: false, bot_name: null, bot_category: null, page_url: null, dt: '2026-11-27' },
      ]);
    } finally {
      db.close();
    }
  });
});
