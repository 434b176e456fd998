/**
 * `userIdMode` in a data directory. The directory remembers the mode it was made with (`user-id-mode`), and in
 * `hash` mode holds the key (`secrets/user-id-key`: 32 random bytes as 64 hex digits, readable by its owner
 * only), as the stack's secret holds it in AWS. A directory is never reopened with the other mode: its
 * sessions and archive name users one way, and the other would start a second history for every user.
 * `--fresh` empties the directory, the key included, and starts over.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userIdKeyFromText } from '../../functions/shared/pseudonym';
import type { UserIdMode } from '../../functions/shared/pseudonym';
import { DataDirError } from '../errors';
import type { DataDir } from './data-dir';

/** The file that records the mode, in the data directory. */
export const USER_ID_MODE_FILE = 'user-id-mode';
/** The key file, under the data directory. */
export const USER_ID_KEY_FILE = join('secrets', 'user-id-key');

/** A data directory's mode, with the key in `hash` mode. */
export type LocalUserIdMode = { readonly mode: 'keep' } | { readonly mode: 'hash'; readonly key: Buffer };

/** The mode `dataDir` remembers, with its key; a directory with no record keeps raw ids (it predates the setting). */
export function localUserIdMode(dataDir: DataDir): LocalUserIdMode {
  const recorded = recordedMode(dataDir);
  return recorded === 'hash' ? { mode: 'hash', key: readKey(dataDir) } : { mode: 'keep' };
}

/**
 * The mode a run of `dataDir` uses: `asked`, or when absent the one the directory remembers (`keep` for a new
 * one). A new directory records it (and in `hash` mode gets its key); one made with the other mode is refused
 * with a {@link DataDirError} naming both.
 */
export function openUserIdMode(dataDir: DataDir, asked: UserIdMode | undefined): LocalUserIdMode {
  const recorded = recordedMode(dataDir) ?? (holdsData(dataDir) ? 'keep' : undefined);
  const mode = asked ?? recorded ?? 'keep';
  if (recorded !== undefined && recorded !== mode) {
    throw new DataDirError(
      `--user-id-mode ${mode}: --data-dir ${dataDir.root} was made with --user-id-mode ${recorded}, and its sessions and archive ` +
        `name users ${recorded === 'hash' ? 'by keyed hash' : 'by raw id'}; ${mode} ids would start a second history for every user. ` +
        `Give --user-id-mode ${recorded} (or leave it out) to go on, or add --fresh to start over with ${mode}`,
      dataDir.root,
    );
  }
  if (mode === 'hash') {
    const key = recorded === 'hash' ? readKey(dataDir) : createKey(dataDir);
    record(dataDir, mode);
    return { mode, key };
  }
  record(dataDir, mode);
  return { mode };
}

function recordedMode(dataDir: DataDir): UserIdMode | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir.root, USER_ID_MODE_FILE), 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataDirError(`--data-dir ${dataDir.root}: ${USER_ID_MODE_FILE} cannot be read (${(err as Error).message})`, dataDir.root, {
      cause: err,
    });
  }
  if (text === 'keep' || text === 'hash') return text;
  throw new DataDirError(
    `--data-dir ${dataDir.root}: ${USER_ID_MODE_FILE} says ${JSON.stringify(text)}, not keep or hash; restore it, or add --fresh to start over`,
    dataDir.root,
  );
}

function record(dataDir: DataDir, mode: UserIdMode): void {
  writeFileSync(join(dataDir.root, USER_ID_MODE_FILE), `${mode}\n`);
}

/** A new key, unless a run stopped between writing it and recording the mode left one (nothing was hashed with it yet). */
function createKey(dataDir: DataDir): Buffer {
  mkdirSync(join(dataDir.root, 'secrets'), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(join(dataDir.root, USER_ID_KEY_FILE), `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readKey(dataDir);
}

function readKey(dataDir: DataDir): Buffer {
  const file = join(dataDir.root, USER_ID_KEY_FILE);
  try {
    return userIdKeyFromText(readFileSync(file, 'utf8'), file);
  } catch (err) {
    throw new DataDirError(
      `--data-dir ${dataDir.root} was made with --user-id-mode hash, but its key ${file} cannot be used (${(err as Error).message}): ` +
        'without it the stored ids cannot be matched to users again; restore the file, or add --fresh to start over',
      dataDir.root,
      { cause: err },
    );
  }
}

/** True when the emulators or consumers have written anything: the directory was used before the mode was recorded. */
function holdsData(dataDir: DataDir): boolean {
  return [dataDir.kinesis, dataDir.dynamodb, dataDir.checkpoints, dataDir.archive].some((dir) => {
    try {
      return readdirSync(dir).length > 0;
    } catch {
      return false;
    }
  });
}
