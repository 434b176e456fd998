/**
 * `clickstream forget` end to end on a data directory a real run filled: the users' items, rows and records
 * are gone from every store; every other row is byte for byte what it was; query results change only by
 * them; a second run changes nothing; and a run killed between objects is finished by running it again.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { readExport } from '../../local/commands/export';
import type { SessionExport } from '../../local/commands/export';
import { forgetCommand } from '../../local/commands/forget';
import { runNamedQuery } from '../../local/commands/query';
import { run } from '../../local/commands/run';
import { readErrorOutput, userIdOf } from '../../local/ops/failure-objects';
import { pseudonymousUserId, userIdKeyFromText } from '../../functions/shared/pseudonym';
import { syntheticWorkload } from '../../local/workload/synthetic';
import { filesUnder } from '../helpers/data-dir-files';

const CLI = join(__dirname, '..', '..', 'local', 'clickstream.cjs');
const dir = mkdtempSync(join(tmpdir(), 'clickstream-forget-'));
const json = join(dir, 'json');
const parquet = join(dir, 'parquet');
const nowMs = Date.now();

/** Every file under `root` (not `.tmp` files being written), by `/`-separated path, with its bytes. */
function files(root: string): Map<string, Buffer> {
  const paths = filesUnder(root).filter((f) => !f.endsWith('.tmp'));
  return new Map(paths.map((f) => [f.split(sep).join('/'), readFileSync(join(root, f))]));
}

/** The archive's and the failure stores' objects, without the audit records. */
function stores(dataDir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [key, body] of files(join(dataDir, 'archive'))) if (!key.startsWith('erasures/')) out.set(`archive/${key}`, body);
  for (const [key, body] of files(join(dataDir, 'failed'))) out.set(`failed/${key}`, body);
  for (const [key, body] of files(join(dataDir, 'refused'))) out.set(`refused/${key}`, body);
  return out;
}

const lines = (body: Buffer) =>
  gunzipSync(body)
    .toString()
    .split('\n')
    .filter((l) => l !== '');
const rowUser = (line: string) => (JSON.parse(line) as { user_id: string }).user_id;
const digest = (m: Map<string, Buffer>) => [...m].map(([k, b]) => `${k} ${createHash('sha256').update(b).digest('hex')}`).sort();

async function writeInput(path: string, events: number, users: number, seed: number): Promise<void> {
  const workload = syntheticWorkload({ users, events, seed, nowMs });
  writeFileSync(path, workload.records.map((r) => `${r.data.toString('utf8')}\n`).join(''));
  return Promise.resolve();
}

const PER_USER_SQL = join(dir, 'per-user.sql');
writeFileSync(
  PER_USER_SQL,
  'SELECT user_id, CAST(event_time AS DATE) AS day_utc, is_bot, event_type, count(*) AS n FROM ${events} GROUP BY ALL ORDER BY ALL\n',
);
const WEEK = { from: new Date(nowMs - 7 * 86_400_000).toISOString().slice(0, 10), to: new Date(nowMs).toISOString().slice(0, 10) };

let forgotten: string[];
let before: Map<string, Buffer>;
let sessionsBefore: SessionExport[];
let perUserBefore: Array<Record<string, unknown>>;
let dailyBefore: Array<Record<string, unknown>>;
let output: string[];
let code: number;

/** A line too large for a Kinesis record: refused before the stream and kept whole in `refused/`. */
const hugeLine = (userId: string) => `${JSON.stringify({ userId, eventType: 'page_view', properties: { pad: 'x'.repeat(1_100_000) } })}\n`;

beforeAll(async () => {
  await writeInput(join(dir, 'input.ndjson'), 3000, 150, 11);
  appendFileSync(join(dir, 'input.ndjson'), hugeLine('u-000001') + hugeLine('u-000100'));
  await run({ input: join(dir, 'input.ndjson'), users: 1, events: 1, seed: 1, shards: 2, dataDir: json, fresh: true, quiet: true });
  // A user with a refused record in Firehose's error output, and two with archived rows only.
  const refused = [...stores(json)]
    .filter(([key]) => key.startsWith('archive/errors/'))
    .flatMap(([, body]) => readErrorOutput(body).records.map(userIdOf))
    .find((id): id is string => typeof id === 'string' && id.startsWith('u-'))!;
  forgotten = [refused, 'u-000001', 'u-000002'].filter((id, i, all) => all.indexOf(id) === i);
  before = stores(json);
  sessionsBefore = (await readExport('sessions', json)) as SessionExport[];
  perUserBefore = await runNamedQuery(PER_USER_SQL, json, WEEK);
  dailyBefore = await runNamedQuery('daily_active_users', json, WEEK);
  cpSync(json, join(dir, 'crash'), { recursive: true });
  cpSync(json, join(dir, 'reference'), { recursive: true });
  output = [];
  code = await forgetCommand({ users: forgotten, where: { dataDir: json }, dryRun: false, reference: 'TEST-1' }, (l) => output.push(l));
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clickstream forget on a data directory', () => {
  it('erases the users from every store and says so', () => {
    expect(code).toBe(0);
    expect(forgotten.length).toBe(3);
    // The refused input lines: the forgotten user's is deleted, the other kept.
    const refusedBefore = [...before.keys()].filter((k) => k.endsWith('.record'));
    expect(refusedBefore).toHaveLength(2);
    const refusedAfter = [...stores(json).keys()].filter((k) => k.endsWith('.record'));
    expect(refusedAfter).toHaveLength(1);
    expect(stores(json).get(refusedAfter[0]!)!.toString()).toContain('"u-000100"');
    expect(output.join('\n')).toMatch(/verified {9}the same search finds nothing of them in any store/);
    const after = stores(json);
    for (const [key, body] of after) {
      const text = key.endsWith('.gz') ? gunzipSync(body).toString() : body.toString();
      for (const id of forgotten) expect({ key, found: text.includes(`"${id}"`) }).toEqual({ key, found: false });
      // Firehose's error output holds the records' bytes in base64.
      if (key.startsWith('archive/errors/')) for (const r of readErrorOutput(body).records) expect(forgotten).not.toContain(userIdOf(r));
    }
  });

  it('leaves every other row byte for byte, and every object without their rows untouched', () => {
    const after = stores(json);
    let rewritten = 0;
    let rowsRemoved = 0;
    for (const [key, body] of before) {
      if (!key.startsWith('archive/events/')) continue;
      const rows = lines(body);
      const theirs = rows.filter((l) => forgotten.includes(rowUser(l)));
      rowsRemoved += theirs.length;
      if (theirs.length === 0) expect(after.get(key)).toEqual(body);
      else if (theirs.length === rows.length) expect(after.has(key)).toBe(false);
      else {
        rewritten += 1;
        expect(lines(after.get(key)!)).toEqual(rows.filter((l) => !forgotten.includes(rowUser(l))));
      }
    }
    expect(rowsRemoved).toBeGreaterThan(20);
    expect(output.join('\n')).toContain(`removed ${rowsRemoved} row(s): ${rewritten} object(s) rewritten`);
    expect([...after.keys()].filter((k) => !before.has(k))).toEqual([]);
  });

  it("deletes the users' sessions and keeps every other session as it was", async () => {
    const sessions = (await readExport('sessions', json)) as SessionExport[];
    expect(sessions.filter((s) => forgotten.includes(s.user_id))).toEqual([]);
    expect(sessions).toEqual(sessionsBefore.filter((s) => !forgotten.includes(s.user_id)));
    expect(sessionsBefore.length - sessions.length).toBeGreaterThan(0);
  });

  it('changes query results only by the users', async () => {
    const others = (rows: Array<Record<string, unknown>>) => rows.filter((r) => !forgotten.includes(String(r['user_id'])));
    expect(await runNamedQuery(PER_USER_SQL, json, WEEK)).toEqual(others(perUserBefore));
    // Daily active users fall by the forgotten users active that day (bots excluded), and by nothing else.
    const theirDays = new Map<string, Set<string>>();
    for (const r of perUserBefore.filter((r) => forgotten.includes(String(r['user_id'])) && r['is_bot'] === false)) {
      const day = String(r['day_utc']);
      theirDays.set(day, (theirDays.get(day) ?? new Set()).add(String(r['user_id'])));
    }
    expect(theirDays.size).toBeGreaterThan(0);
    const expected = dailyBefore.map((d) => [
      String(d['day_utc']),
      Number(d['active_users']) - (theirDays.get(String(d['day_utc']))?.size ?? 0),
    ]);
    const daily = await runNamedQuery('daily_active_users', json, WEEK);
    expect(daily.map((d) => [String(d['day_utc']), Number(d['active_users'])])).toEqual(expected);
  });

  it('writes an audit record of counts and digests, never the ids', () => {
    const audits = [...files(join(json, 'archive'))].filter(([k]) => k.startsWith('erasures/'));
    expect(audits).toHaveLength(1);
    const text = audits[0]![1].toString();
    for (const id of forgotten) expect(text).not.toContain(id);
    expect(JSON.parse(text)).toMatchObject({ reference: 'TEST-1', complete: true, subjects: forgotten.length });
    for (const id of forgotten) expect(text).not.toContain(createHash('sha256').update(id).digest('hex'));
  });

  it('changes nothing when run again', async () => {
    const snapshot = digest(files(join(json, 'archive')));
    const again: string[] = [];
    expect(await forgetCommand({ users: forgotten, where: { dataDir: json }, dryRun: false }, (l) => again.push(l))).toBe(0);
    expect(again.join('\n')).toContain('Nothing of 3 user(s) was found: nothing changed');
    expect(digest(files(join(json, 'archive')))).toEqual(snapshot);
  });

  it('finishes a run killed between objects when run again, to the same bytes as a run never stopped', async () => {
    const crash = join(dir, 'crash');
    const reference = join(dir, 'reference');
    const pristine = stores(crash);
    // Many users, so that there are many objects to rewrite; killed after the third.
    const many = Array.from({ length: 40 }, (_u, i) => `u-${String(i).padStart(6, '0')}`);
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'forget', '--data-dir', crash, ...many.flatMap((u) => ['--user', u])]);
      let seen = '';
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if ((seen.match(/ {2}removed \d+ row/g) ?? []).length >= 3) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('exit', (_code, s) => resolve(s));
    });
    expect(signal).toBe('SIGKILL');

    // Killed part-way: some objects rewritten, others not yet, none half-written.
    const interrupted = stores(crash);
    const changed = [...pristine.keys()].filter((k) => !interrupted.has(k) || !interrupted.get(k)!.equals(pristine.get(k)!));
    expect(changed.length).toBeGreaterThanOrEqual(3);
    const stillTheirs = [...interrupted].filter(
      ([k, b]) => k.startsWith('archive/events/') && lines(b).some((l) => many.includes(rowUser(l))),
    );
    expect(stillTheirs.length).toBeGreaterThan(0);
    for (const [key, body] of interrupted) if (key.endsWith('.gz')) expect(() => gunzipSync(body)).not.toThrow();

    const quiet = () => {};
    expect(await forgetCommand({ users: many, where: { dataDir: crash }, dryRun: false }, quiet)).toBe(0);
    expect(await forgetCommand({ users: many, where: { dataDir: reference }, dryRun: false }, quiet)).toBe(0);
    expect(digest(stores(crash))).toEqual(digest(stores(reference)));
    expect(await readExport('sessions', crash)).toEqual(await readExport('sessions', reference));
  });
});

describe('clickstream forget on a Parquet archive', () => {
  const users = ['u-000003', 'u-000004'];
  let beforeParquet: Map<string, Buffer>;
  let parquetCode: number;

  beforeAll(async () => {
    await writeInput(join(dir, 'small.ndjson'), 1000, 60, 12);
    await run({
      input: join(dir, 'small.ndjson'),
      users: 1,
      events: 1,
      seed: 1,
      shards: 1,
      dataDir: parquet,
      fresh: true,
      quiet: true,
      archiveFormat: 'parquet',
    });
    beforeParquet = stores(parquet);
    parquetCode = await forgetCommand({ users, where: { dataDir: parquet }, dryRun: false }, () => {});
  }, 180_000);

  it('rewrites each Parquet object without their rows, every other row the same, SNAPPY as Firehose writes', async () => {
    expect(parquetCode).toBe(0);
    const after = stores(parquet);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const rows = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJson();
    const scratch = mkdtempSync(join(dir, 'pq-'));
    let rewritten = 0;
    try {
      for (const [key, body] of beforeParquet) {
        if (!key.startsWith('archive/events/')) continue;
        const old = join(scratch, 'old.parquet');
        writeFileSync(old, body);
        const theirs = Number(
          (await rows(`SELECT count(*) AS n FROM read_parquet('${old}') WHERE user_id IN ('${users.join("', '")}')`))[0]!['n'],
        );
        if (theirs === 0) {
          expect(after.get(key)).toEqual(body);
          continue;
        }
        rewritten += 1;
        const now = join(scratch, 'new.parquet');
        writeFileSync(now, after.get(key)!);
        const others = `SELECT * FROM read_parquet('${old}') WHERE user_id IS NULL OR user_id NOT IN ('${users.join("', '")}')`;
        expect(await rows(`${others} EXCEPT ALL SELECT * FROM read_parquet('${now}')`)).toEqual([]);
        expect(await rows(`SELECT * FROM read_parquet('${now}') EXCEPT ALL ${others}`)).toEqual([]);
        expect(await rows(`SELECT DISTINCT compression FROM parquet_metadata('${now}')`)).toEqual([{ compression: 'SNAPPY' }]);
      }
    } finally {
      c.closeSync();
      db.closeSync();
    }
    expect(rewritten).toBeGreaterThan(0);
  });
});

describe('clickstream forget on a data directory in userIdMode hash', () => {
  const hashed = join(dir, 'hashed');
  const users = ['u-000005', 'u-000006'];
  let out: string[];
  let hashCode: number;
  let keyed: string[];

  beforeAll(async () => {
    await writeInput(join(dir, 'hashed.ndjson'), 1000, 60, 13);
    appendFileSync(join(dir, 'hashed.ndjson'), hugeLine('u-000005'));
    await run({
      input: join(dir, 'hashed.ndjson'),
      users: 1,
      events: 1,
      seed: 1,
      shards: 1,
      dataDir: hashed,
      fresh: true,
      quiet: true,
      userIdMode: 'hash',
    });
    const key = readFileSync(join(hashed, 'secrets', 'user-id-key'));
    keyed = users.map((u) => pseudonymousUserId(userIdKeyFromText(key.toString('utf8'), 'key'), u));
    out = [];
    hashCode = await forgetCommand({ users, where: { dataDir: hashed }, dryRun: false }, (l) => out.push(l));
  }, 180_000);

  it('takes the raw ids, erases their keyed hashes from the table and the archive and the raw ids from the refused lines', async () => {
    expect(hashCode).toBe(0);
    expect(out[0]).toContain('user ids stored as their keyed hash');
    expect(out.join('\n')).toMatch(/archive {10}removed [1-9]\d* row/);
    for (const [key, body] of stores(hashed)) {
      const text = key.endsWith('.gz') ? gunzipSync(body).toString() : body.toString();
      for (const id of [...users, ...keyed]) expect({ key, found: text.includes(`"${id}"`) }).toEqual({ key, found: false });
    }
    const sessions = (await readExport('sessions', hashed)) as SessionExport[];
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.filter((s) => keyed.includes(s.user_id))).toEqual([]);
  });
});
