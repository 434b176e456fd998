import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE } from '../../../local/runtime/data-dir-lock';
import { MARKER_FILE, openDataDir, openExistingDataDir } from '../../../local/runtime/data-dir';
import { DataDirError } from '../../../local/errors';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'data-dir-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A directory left by a run: marker, some state, no lock. */
function previousRun(root: string): void {
  openDataDir(root, false).release();
  writeFileSync(join(root, 'checkpoints', 'session-processor.json'), '{}');
}

/** A process that lives until killed, and its pid. */
async function liveProcess(): Promise<{ pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return {
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

describe('openDataDir', () => {
  it('writes a marker when it creates a data directory', () => {
    const root = join(dir, 'new');
    openDataDir(root, false).release();
    expect(readFileSync(join(root, MARKER_FILE), 'utf8')).toMatch(/^clickstream-data /);
  });

  it('refuses to empty a folder without the marker with --fresh, and deletes nothing', () => {
    const root = join(dir, 'mine');
    mkdirSync(root);
    writeFileSync(join(root, 'thesis.tex'), 'precious');
    expect(() => openDataDir(root, true)).toThrow(/not a clickstream data directory \(no VERSION file\); pick another --data-dir/);
    expect(readFileSync(join(root, 'thesis.tex'), 'utf8')).toBe('precious');
  });

  it('refuses a file given as --data-dir with one line, and leaves the file alone', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'keep');
    expect(() => openDataDir(file, true)).toThrow(
      new DataDirError(`--data-dir ${file} is a file, not a directory; give a directory (it is created when missing)`, file),
    );
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });

  it('empties a clickstream data directory with --fresh', () => {
    const root = join(dir, 'data');
    previousRun(root);
    openDataDir(root, true).release();
    expect(existsSync(join(root, 'checkpoints', 'session-processor.json'))).toBe(false);
    expect(existsSync(join(root, MARKER_FILE))).toBe(true);
  });

  it('refuses a directory another holder in this process has open, naming the pid and command, and keeps its data', () => {
    const root = join(dir, 'data');
    previousRun(root);
    const held = openDataDir(root, false);
    try {
      expect(() => openDataDir(root, true)).toThrow(
        new RegExp(
          `is in use by this process \\(pid ${process.pid}\\) \\(.+, started .+\\); wait for it to finish or stop it, or pick another --data-dir$`,
        ),
      );
      expect(existsSync(join(root, 'checkpoints', 'session-processor.json'))).toBe(true);
    } finally {
      held.release();
    }
  });

  it('refuses a directory whose lock names another live process', async () => {
    const root = join(dir, 'data');
    previousRun(root);
    const other = await liveProcess();
    try {
      writeFileSync(
        join(root, LOCK_FILE),
        JSON.stringify({ pid: other.pid, command: 'clickstream run --fresh', startedAt: '2026-11-27T10:00:00.000Z', hostname: hostname() }),
      );
      expect(() => openDataDir(root, true)).toThrow(
        `is in use by pid ${other.pid} (clickstream run --fresh, started 2026-11-27T10:00:00.000Z)`,
      );
      expect(readdirSync(join(root, 'checkpoints'))).toEqual(['session-processor.json']);
    } finally {
      await other.stop();
    }
  });

  it('takes over the lock of a process that is gone', async () => {
    const root = join(dir, 'data');
    previousRun(root);
    const gone = await liveProcess();
    await gone.stop();
    writeFileSync(
      join(root, LOCK_FILE),
      JSON.stringify({ pid: gone.pid, command: 'clickstream run', startedAt: '2026-11-27T10:00:00.000Z', hostname: hostname() }),
    );
    const opened = openDataDir(root, false);
    expect(JSON.parse(readFileSync(join(root, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    opened.release();
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
  });
});

describe('openExistingDataDir', () => {
  it('never creates a missing directory, and says to run clickstream run first', () => {
    const root = join(dir, 'typo');
    expect(() => openExistingDataDir(root, true)).toThrow(
      `--data-dir ${root} does not exist; run \`clickstream run\` first to create it, or fix the path`,
    );
    expect(existsSync(root)).toBe(false);
  });

  it('refuses a folder that is not a clickstream data directory', () => {
    expect(() => openExistingDataDir(dir, false)).toThrow(/is not a clickstream data directory \(no VERSION file\)/);
  });

  it('says what to do when the directory is held, as export does while up runs', () => {
    const root = join(dir, 'data');
    const held = openDataDir(root, false);
    try {
      expect(() => openExistingDataDir(root, true, 'pass --endpoint')).toThrow(/is in use by this process .*; pass --endpoint$/);
    } finally {
      held.release();
    }
  });
});
