/**
 * `clickstream run --user-id-mode hash` end to end: no raw user id in the sessions table or the archive's rows,
 * the same sessions as a keep-mode run of the same input (under hashed ids), the key in the data directory,
 * and a data directory never reopened with the other mode.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ARCHIVE_DATA_ROOT, ARCHIVE_ERROR_ROOT } from '../../functions/shared/firehose-prefixes';
import { pseudonymousUserId } from '../../functions/shared/pseudonym';
import { readExport } from '../../local/commands/export';
import type { SessionExport } from '../../local/commands/export';
import { run } from '../../local/commands/run';
import type { RunSummary } from '../../local/commands/run';
import { openExistingDataDir } from '../../local/runtime/data-dir';
import { listFiles } from '../../local/runtime/folder-files';
import { USER_ID_KEY_FILE, localUserIdMode } from '../../local/runtime/user-id-key';
import { syntheticWorkload } from '../../local/workload/synthetic';

const CLI = resolve(__dirname, '../../local/clickstream.cjs');
const dir = mkdtempSync(join(tmpdir(), 'clickstream-user-ids-'));
const keptDir = join(dir, 'keep');
const hashedDir = join(dir, 'hash');
const input = join(dir, 'input.ndjson');
const workload = syntheticWorkload({ users: 60, events: 1200, seed: 11, nowMs: Date.now() });
writeFileSync(input, workload.records.map((r) => `${r.data.toString('utf8')}\n`).join(''));
const options = { input, users: 1, events: 1, seed: 1, shards: 2, quiet: true, fresh: true };

/** Every user id the input carries, valid records and refused ones. */
const rawIds = [...new Set(workload.records.map((r) => r.partitionKey))];

let kept: RunSummary;
let hashed: RunSummary;
let key: Buffer;

beforeAll(async () => {
  kept = await run({ ...options, dataDir: keptDir });
  hashed = await run({ ...options, dataDir: hashedDir, userIdMode: 'hash' });
  const dataDir = openExistingDataDir(hashedDir, false);
  const mode = localUserIdMode(dataDir);
  if (mode.mode !== 'hash') throw new Error(`the hash run's data directory says ${mode.mode}`);
  key = mode.key;
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The raw ids found in `text`. */
const rawIdsIn = (text: string) => rawIds.filter((id) => text.includes(id));

/** An archive object's text, decompressed. */
const objectText = (file: string) => (file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file)).toString('utf8');

function clickstream(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => done({ code, stderr }));
  });
}

describe('clickstream run --user-id-mode hash', () => {
  it('accounts for every record on both paths, as keep does', () => {
    expect(rawIds.length).toBeGreaterThan(50);
    expect(hashed.session_path_balanced && hashed.archive_path_balanced).toBe(true);
    expect([hashed.applied, hashed.duplicates, hashed.refused, hashed.archived]).toEqual([
      kept.applied,
      kept.duplicates,
      kept.refused,
      kept.archived,
    ]);
  });

  it('keeps its key in the data directory: 64 hex digits, readable by its owner only', () => {
    const file = join(hashedDir, USER_ID_KEY_FILE);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(hashedDir, 'user-id-mode'), 'utf8')).toBe('hash\n');
  });

  it('stores no raw user id in the sessions table', async () => {
    const sessions = (await readExport('sessions', hashedDir)) as SessionExport[];
    expect(sessions.length).toBeGreaterThan(60);
    expect(rawIdsIn(JSON.stringify(sessions))).toEqual([]);
    for (const s of sessions) expect(s.user_id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes no raw user id in any archive row, and keeps the refused records whole under errors/', () => {
    const files = listFiles(join(hashedDir, 'archive'));
    const data = files.filter((f) => relative(join(hashedDir, 'archive'), f).startsWith(ARCHIVE_DATA_ROOT));
    const errors = files.filter((f) => relative(join(hashedDir, 'archive'), f).startsWith(ARCHIVE_ERROR_ROOT));
    expect(data.length + errors.length).toBe(files.length);
    expect(data.length).toBeGreaterThan(0);
    const rows = data.flatMap((f) =>
      objectText(f)
        .split('\n')
        .filter((l) => l !== ''),
    );
    expect(rows).toHaveLength(hashed.archived);
    for (const f of data) expect({ file: f, raw: rawIdsIn(objectText(f)) }).toEqual({ file: f, raw: [] });
    // The same search finds them in the keep-mode run's rows.
    const keptRows = listFiles(join(keptDir, 'archive', ARCHIVE_DATA_ROOT))
      .map(objectText)
      .join('');
    expect(rawIdsIn(keptRows).length).toBeGreaterThan(50);
    for (const row of rows) expect((JSON.parse(row) as { user_id: string }).user_id).toMatch(/^[0-9a-f]{64}$/);
    // The error output holds the refused records as sent (raw ids included) so that they can be redriven.
    const failed = errors.flatMap((f) =>
      objectText(f)
        .split('\n')
        .filter((l) => l !== ''),
    );
    expect(failed).toHaveLength(hashed.processing_failed);
  });

  it("joins each user's events into the same sessions as a keep-mode run, under the hashed id", async () => {
    const keptSessions = (await readExport('sessions', keptDir)) as SessionExport[];
    const hashedSessions = (await readExport('sessions', hashedDir)) as SessionExport[];
    expect(hashed.sessions).toBe(kept.sessions);
    expect(hashedSessions).toHaveLength(keptSessions.length);
    const view = (s: SessionExport) => JSON.stringify({ ...s, session_id: undefined });
    const expected = keptSessions.map((s) => view({ ...s, user_id: pseudonymousUserId(key, s.user_id) })).sort();
    expect(hashedSessions.map(view).sort()).toEqual(expected);
  });

  it('refuses to reopen a data directory with the other mode, naming both modes', async () => {
    await expect(run({ ...options, fresh: false, dataDir: hashedDir, userIdMode: 'keep' })).rejects.toThrow(
      `--user-id-mode keep: --data-dir ${hashedDir} was made with --user-id-mode hash`,
    );
    const cli = await clickstream('run', '--user-id-mode', 'hash', '--data-dir', keptDir, '--events', '10');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(
      new RegExp(
        `^clickstream: --user-id-mode hash: --data-dir ${keptDir} was made with --user-id-mode keep, .*add --fresh to start over with hash\\n$`,
      ),
    );
    expect(readFileSync(join(keptDir, 'user-id-mode'), 'utf8')).toBe('keep\n');
    const bad = await clickstream('run', '--user-id-mode', 'sha1', '--data-dir', join(dir, 'never'));
    expect(bad).toEqual({ code: 2, stderr: 'clickstream: --user-id-mode must be keep or hash; got "sha1"\n' });
  }, 60_000);
});
