/**
 * The `clickstream` command on wrong flags and wrong data directories: one line on stderr naming the problem
 * and what to do, exit code 2 for usage errors and 1 otherwise, and nothing created or deleted.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../../local/commands/run';
import { openDataDir } from '../../local/runtime/data-dir';

const CLI = resolve(__dirname, '../../local/clickstream.cjs');
const dir = mkdtempSync(join(tmpdir(), 'cli-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function clickstream(...args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('exit', (code) => done({ code, stderr, stdout }));
  });
}

/** A data directory made by a (tiny) run, with something in it to lose. */
async function madeByRun(name: string): Promise<string> {
  const dataDir = join(dir, name);
  await run({ users: 3, events: 20, seed: 1, dataDir, fresh: true, quiet: true, bufferIntervalSeconds: 1 });
  return dataDir;
}

describe('clickstream on bad flags and data directories', () => {
  it('refuses flags outside the AWS ranges before creating anything, with exit code 2', async () => {
    const [batch, shards, buffer] = await Promise.all([
      clickstream('run', '--batch-size', '10001', '--data-dir', 'a'),
      clickstream('run', '--shards', '0', '--data-dir', 'b'),
      clickstream('run', '--buffer-mb', '129', '--data-dir', 'c'),
    ]);
    expect(batch).toMatchObject({ code: 2, stderr: 'clickstream: --batch-size must be a whole number from 1 to 10000; got "10001"\n' });
    expect(shards).toMatchObject({ code: 2, stderr: 'clickstream: --shards must be a whole number from 1 to 64; got "0"\n' });
    expect(buffer).toMatchObject({ code: 2, stderr: 'clickstream: --buffer-mb must be a whole number from 1 to 128; got "129"\n' });
    for (const d of ['a', 'b', 'c']) expect(existsSync(join(dir, d))).toBe(false);
  }, 60_000);

  it('never creates a data directory for export or query, and says to run clickstream run first', async () => {
    const [exported, queried] = await Promise.all([
      clickstream('export', 'sessions', '--data-dir', 'typo'),
      clickstream('query', 'top_pages', '--data-dir', 'typo'),
    ]);
    const line = `clickstream: --data-dir ${join(dir, 'typo')} does not exist; run \`clickstream run\` first to create it, or fix the path\n`;
    expect(exported).toEqual({ code: 1, stderr: line, stdout: '' });
    expect(queried).toEqual({ code: 1, stderr: line, stdout: '' });
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  }, 60_000);

  it('forget: names the missing user or the stray flag with exit code 2, and never creates a data directory', async () => {
    const [noUser, stray, typo] = await Promise.all([
      clickstream('forget', '--data-dir', 'gone'),
      clickstream('forget', '--user', 'u-1', '--region', 'eu-west-1'),
      clickstream('forget', '--user', 'u-1', '--data-dir', 'gone'),
    ]);
    expect(noUser).toMatchObject({ code: 2, stderr: 'clickstream: forget needs at least one --user ID (or --users-file FILE)\n' });
    expect(stray).toMatchObject({ code: 2, stderr: 'clickstream: --region goes with --stack NAME\n' });
    expect(typo).toMatchObject({ code: 1, stderr: expect.stringContaining('does not exist') as unknown });
    expect(existsSync(join(dir, 'gone'))).toBe(false);
  }, 60_000);

  it('refuses a file as --data-dir in one line and leaves it alone', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'keep');
    const r = await clickstream('run', '--fresh', '--data-dir', 'notes.txt', '--events', '10');
    expect(r).toMatchObject({
      code: 1,
      stderr: `clickstream: --data-dir ${join(dir, 'notes.txt')} is a file, not a directory; give a directory (it is created when missing)\n`,
    });
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep');
  }, 60_000);

  it('deletes nothing with --fresh when the command then fails on a missing --input', async () => {
    const dataDir = await madeByRun('kept');
    const r = await clickstream('run', '--fresh', '--input', 'missing.ndjson', '--data-dir', dataDir);
    expect(r).toMatchObject({
      code: 2,
      stderr:
        'clickstream: --input missing.ndjson cannot be read (ENOENT); give a readable file of one event per line, or - for standard input\n',
    });
    expect(existsSync(join(dataDir, 'checkpoints', 'session-processor.json'))).toBe(true);
  }, 60_000);

  it('refuses --fresh and export on a directory another process is using, naming it, and empties nothing', async () => {
    const dataDir = await madeByRun('busy');
    const held = openDataDir(dataDir, false); // as a running `clickstream run` or `up` holds it
    try {
      const [fresh, exported] = await Promise.all([
        clickstream('run', '--fresh', '--data-dir', dataDir, '--events', '10'),
        clickstream('export', 'sessions', '--data-dir', dataDir),
      ]);
      expect(fresh.code).toBe(1);
      expect(fresh.stderr).toMatch(
        new RegExp(
          `^clickstream: --data-dir ${dataDir} is in use by pid ${process.pid} \\(.+\\); wait for it to finish or stop it, or pick another --data-dir\\n$`,
        ),
      );
      expect(exported.code).toBe(1);
      expect(exported.stderr).toMatch(/is in use by pid \d+ .*pass --endpoint with the DynamoDB endpoint it printed\n$/);
      expect(existsSync(join(dataDir, 'checkpoints', 'session-processor.json'))).toBe(true);
    } finally {
      held.release();
    }
  }, 60_000);

  it('refuses wrong redrive flags with exit code 2, and a missing data directory with 1, before reading anything', async () => {
    const [both, region, date, bound, missing] = await Promise.all([
      clickstream('redrive', '--stack', 'cs', '--data-dir', 'a'),
      clickstream('redrive', '--region', 'eu-west-1'),
      clickstream('redrive', '--from', '2026-02-30', '--data-dir', 'a'),
      clickstream('redrive', '--max-event-age-hours', '9000', '--data-dir', 'a'),
      clickstream('redrive', '--data-dir', 'typo'),
    ]);
    expect(both).toMatchObject({ code: 2, stderr: 'clickstream: redrive takes --stack NAME or --data-dir DIR, not both\n' });
    expect(region).toMatchObject({ code: 2, stderr: 'clickstream: --region goes with --stack NAME\n' });
    expect(date).toMatchObject({ code: 2, stderr: 'clickstream: --from must be a date yyyy-MM-dd (UTC); got "2026-02-30"\n' });
    expect(bound).toMatchObject({
      code: 2,
      stderr: 'clickstream: --max-event-age-hours must be a whole number from 1 to 8760; got 9000\n',
    });
    expect(missing).toMatchObject({
      code: 1,
      stderr: `clickstream: --data-dir ${join(dir, 'typo')} does not exist; run \`clickstream run\` first to create it, or fix the path\n`,
    });
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  }, 60_000);

  it("refuses --shards that differ from the existing stream instead of using the stream's count silently", async () => {
    const dataDir = await madeByRun('two-shards');
    await expect(run({ users: 3, events: 20, seed: 1, shards: 4, dataDir, fresh: false, quiet: true })).rejects.toThrow(
      `--shards 4: the stream in --data-dir ${dataDir} has 2 shards; leave --shards out to use them, or add --fresh to start over with 4`,
    );
    // The failed run gave the directory back.
    openDataDir(dataDir, false).release();
  }, 60_000);
});
