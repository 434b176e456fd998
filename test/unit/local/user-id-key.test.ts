import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pseudonymousUserId } from '../../../functions/shared/pseudonym';
import { DataDirError } from '../../../local/errors';
import { openDataDir } from '../../../local/runtime/data-dir';
import type { DataDir } from '../../../local/runtime/data-dir';
import { USER_ID_KEY_FILE, USER_ID_MODE_FILE, localUserIdMode, openUserIdMode } from '../../../local/runtime/user-id-key';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'user-id-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Opens the data directory, runs `use` on it, and releases it. */
function withDataDir<T>(fresh: boolean, use: (d: DataDir) => T): T {
  const dataDir = openDataDir(join(dir, 'data'), fresh);
  try {
    return use(dataDir);
  } finally {
    dataDir.release();
  }
}

describe('openUserIdMode', () => {
  it('makes a new directory keep raw ids unless asked, and records that', () => {
    expect(withDataDir(false, (d) => openUserIdMode(d, undefined))).toEqual({ mode: 'keep' });
    expect(readFileSync(join(dir, 'data', USER_ID_MODE_FILE), 'utf8')).toBe('keep\n');
  });

  it('gives a new hash-mode directory a key of 32 random bytes as 64 hex digits, readable by its owner only', () => {
    const opened = withDataDir(false, (d) => openUserIdMode(d, 'hash'));
    const file = join(dir, 'data', USER_ID_KEY_FILE);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'data', 'secrets')).mode & 0o777).toBe(0o700);
    expect(opened).toEqual({ mode: 'hash', key: Buffer.from(text.trim()) });
    // The key is the file's text: `openssl dgst -sha256 -hmac "$(cat …/user-id-key)"` gives the stored id.
    expect(pseudonymousUserId((opened as { key: Buffer }).key, 'u-1')).toBe(createHmac('sha256', text.trim()).update('u-1').digest('hex'));
  });

  it('reopens a directory with its own mode and key when none is asked', () => {
    const first = withDataDir(false, (d) => openUserIdMode(d, 'hash'));
    expect(withDataDir(false, (d) => openUserIdMode(d, undefined))).toEqual(first);
    expect(withDataDir(false, (d) => openUserIdMode(d, 'hash'))).toEqual(first);
  });

  it('refuses the other mode, naming both modes and what to do', () => {
    withDataDir(false, (d) => openUserIdMode(d, 'hash'));
    const root = join(dir, 'data');
    expect(() => withDataDir(false, (d) => openUserIdMode(d, 'keep'))).toThrow(
      new DataDirError(
        `--user-id-mode keep: --data-dir ${root} was made with --user-id-mode hash, and its sessions and archive name users by keyed hash; keep ids would start a second history for every user. Give --user-id-mode hash (or leave it out) to go on, or add --fresh to start over with keep`,
        root,
      ),
    );
    expect(readFileSync(join(root, USER_ID_MODE_FILE), 'utf8')).toBe('hash\n');
  });

  it('takes the other mode after --fresh, with a new key', () => {
    const first = withDataDir(false, (d) => openUserIdMode(d, 'hash'));
    expect(withDataDir(true, (d) => openUserIdMode(d, 'keep'))).toEqual({ mode: 'keep' });
    const again = withDataDir(true, (d) => openUserIdMode(d, 'hash'));
    expect(again.mode).toBe('hash');
    expect(again).not.toEqual(first);
  });

  it('takes a used directory with no record (made before the setting) for keep, and refuses hash on it', () => {
    withDataDir(false, (d) => writeFileSync(join(d.checkpoints, 'session-processor.json'), '{}'));
    expect(() => withDataDir(false, (d) => openUserIdMode(d, 'hash'))).toThrow(/was made with --user-id-mode keep/);
    expect(withDataDir(false, (d) => openUserIdMode(d, undefined))).toEqual({ mode: 'keep' });
  });

  it('refuses a hash-mode directory whose key is gone, rather than make a new one', () => {
    withDataDir(false, (d) => openUserIdMode(d, 'hash'));
    rmSync(join(dir, 'data', USER_ID_KEY_FILE));
    expect(() => withDataDir(false, (d) => openUserIdMode(d, 'hash'))).toThrow(
      /was made with --user-id-mode hash, but its key .*user-id-key cannot be used .*restore the file, or add --fresh to start over/,
    );
  });
});

describe('localUserIdMode', () => {
  it('reads the mode and key a run recorded, without changing anything', () => {
    const opened = withDataDir(false, (d) => openUserIdMode(d, 'hash'));
    expect(withDataDir(false, (d) => localUserIdMode(d))).toEqual(opened);
  });

  it('says keep for a directory with no record', () => {
    expect(withDataDir(false, (d) => localUserIdMode(d))).toEqual({ mode: 'keep' });
  });
});
