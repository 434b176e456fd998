/** The local data directory: emulator state, checkpoints, archive, failed and refused records, logs. */
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCK_FILE, acquireLock } from './data-dir-lock';
import type { DataDirLock } from './data-dir-lock';
import { DataDirError } from '../errors';

/** Bumped whenever the layout or the stored formats change; an older folder is refused, not misread. */
export const DATA_LAYOUT = 'clickstream-data 1';
export const DEFAULT_DATA_DIR = '.clickstream';
/** The marker written when a data directory is created: only a folder holding it is ever deleted. */
export const MARKER_FILE = 'VERSION';
const MARKER_PREFIX = DATA_LAYOUT.split(' ')[0]!;

export interface DataDir {
  readonly root: string;
  readonly kinesis: string;
  readonly dynamodb: string;
  readonly checkpoints: string;
  readonly failed: string;
  /** Input lines refused before the stream (too large for a Kinesis record), kept whole. */
  readonly refused: string;
  readonly archive: string;
  readonly logs: string;
  /** Gives the directory back to other processes. */
  release(): void;
}

/**
 * Opens the data directory for a run, creating it when missing, and locks it for this process. `fresh`
 * empties it first, but only when it is a clickstream data directory and no live process holds it.
 */
export function openDataDir(dir: string, fresh: boolean): DataDir {
  const root = resolve(dir);
  const st = statOrUndefined(root);
  if (st && !st.isDirectory()) throw notADirectory(root);
  if (st) {
    const marker = readMarker(root);
    if (marker === undefined && nonEmpty(root)) {
      throw new DataDirError(
        `--data-dir ${root} exists and is not a clickstream data directory (no ${MARKER_FILE} file); pick another --data-dir, or remove it yourself`,
        root,
      );
    }
  } else {
    try {
      mkdirSync(root, { recursive: true });
    } catch (err) {
      throw new DataDirError(
        `--data-dir ${root} cannot be created (${(err as Error).message}); give a path in a folder you can write to`,
        root,
        { cause: err },
      );
    }
  }
  const lock = acquireLock(root);
  try {
    if (fresh) emptyExceptLock(root);
    const found = readMarker(root);
    if (found !== undefined && found !== DATA_LAYOUT) {
      throw new DataDirError(
        `--data-dir ${root} holds data of another version (${found}, this is ${DATA_LAYOUT}); run with --fresh to start over, or pick another --data-dir`,
        root,
      );
    }
    writeFileSync(join(root, MARKER_FILE), `${DATA_LAYOUT}\n`);
    const dataDir = layout(root, lock);
    for (const p of [dataDir.kinesis, dataDir.dynamodb, dataDir.checkpoints, dataDir.failed, dataDir.archive, dataDir.logs])
      mkdirSync(p, { recursive: true });
    return dataDir;
  } catch (err) {
    lock.release();
    throw err;
  }
}

/**
 * Opens an existing data directory for reading (`export`, `query`); never creates one. `exclusive` also
 * locks it (the emulators' files admit one process at a time); `whenBusy` says what to do when it is held.
 */
export function openExistingDataDir(dir: string, exclusive: boolean, whenBusy?: string): DataDir {
  const root = resolve(dir);
  const st = statOrUndefined(root);
  if (!st) throw new DataDirError(`--data-dir ${root} does not exist; run \`clickstream run\` first to create it, or fix the path`, root);
  if (!st.isDirectory()) throw notADirectory(root);
  const found = readMarker(root);
  if (found === undefined)
    throw new DataDirError(
      `--data-dir ${root} is not a clickstream data directory (no ${MARKER_FILE} file); give the --data-dir that \`clickstream run\` used`,
      root,
    );
  if (found !== DATA_LAYOUT)
    throw new DataDirError(
      `--data-dir ${root} holds data of another version (${found}, this is ${DATA_LAYOUT}); read it with the version that wrote it, or start over with \`clickstream run --fresh\``,
      root,
    );
  const lock = exclusive ? acquireLock(root, whenBusy) : { file: '', release() {} };
  return layout(root, lock);
}

function layout(root: string, lock: DataDirLock): DataDir {
  return {
    root,
    kinesis: join(root, 'kinesis'),
    dynamodb: join(root, 'dynamodb'),
    checkpoints: join(root, 'checkpoints'),
    failed: join(root, 'failed'),
    refused: join(root, 'refused'),
    archive: join(root, 'archive'),
    logs: join(root, 'logs'),
    release: () => lock.release(),
  };
}

/** The marker's text, when it is a clickstream marker of any version. */
function readMarker(root: string): string | undefined {
  try {
    const text = readFileSync(join(root, MARKER_FILE), 'utf8').trim();
    return text.startsWith(`${MARKER_PREFIX} `) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Deletes everything in the (locked) directory but the lock itself. */
function emptyExceptLock(root: string): void {
  for (const name of readdirSync(root)) {
    if (name === LOCK_FILE || name.startsWith(`${LOCK_FILE}.`)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

function notADirectory(root: string): DataDirError {
  return new DataDirError(`--data-dir ${root} is a file, not a directory; give a directory (it is created when missing)`, root);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** True when the folder holds anything but a lock left by a run that was stopped before writing its marker. */
function nonEmpty(dir: string): boolean {
  return readdirSync(dir).some((name) => name !== LOCK_FILE);
}
