/**
 * The data directory's lock: a file created exclusively, naming the process that holds it. A lock whose
 * process is gone (killed, crashed) is stale and taken over; a live one makes the caller fail with a message
 * naming that process. One machine only: a lock written on another host is always taken as live.
 */
import { hostname } from 'node:os';
import { mkdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirError } from '../errors';

export const LOCK_FILE = 'clickstream.lock';
/** Held only while a stale lock is being replaced, so two processes cannot both take it over. */
const TAKEOVER_SUFFIX = '.takeover';
const TAKEOVER_STALE_MS = 10_000;

export interface LockOwner {
  readonly pid: number;
  readonly command: string;
  readonly startedAt: string;
  readonly hostname: string;
  /** The process's start time in clock ticks (Linux), so a reused pid is not taken for the owner. */
  readonly procStart?: string;
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

const held = new Set<string>();
let exitHookInstalled = false;

/** Takes the lock of `root`, or throws a DataDirError naming the live process that holds it. */
export function acquireLock(root: string, whatToDo?: string, flag = '--data-dir'): DataDirLock {
  const file = join(root, LOCK_FILE);
  const me = describeSelf();
  const text = `${JSON.stringify(me)}\n`;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      writeFileSync(file, text, { flag: 'wx' });
      return hold(file, text);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DataDirError(
          `${flag} ${root}: cannot create its lock file (${(err as Error).message}); give a directory you can write to`,
          root,
          { cause: err },
        );
      }
    }
    const seen = readText(file);
    if (seen === undefined) continue; // released meanwhile: try again
    const owner = parseOwner(seen);
    if (owner === undefined) {
      // Empty or half-written: its writer is between creating and filling it, unless that was long ago.
      if (ageMs(file) < 5_000) sleepSync(50);
      else takeOver(file, seen, root, flag);
      continue;
    }
    if (isAlive(owner)) throw busy(root, owner, whatToDo, flag);
    takeOver(file, seen, root, flag);
  }
  throw new DataDirError(`${flag} ${root} is being locked by another process right now; try again`, root);
}

/** The owner of a live lock on `root`, if any (a stale or missing lock gives undefined). */
export function lockOwner(root: string): LockOwner | undefined {
  const seen = readText(join(root, LOCK_FILE));
  const owner = seen === undefined ? undefined : parseOwner(seen);
  return owner && isAlive(owner) ? owner : undefined;
}

/** The one-line message for a directory held by another process. */
export function busy(
  root: string,
  owner: LockOwner,
  whatToDo = `wait for it to finish or stop it, or pick another --data-dir`,
  flag = '--data-dir',
): DataDirError {
  const who = owner.pid === process.pid ? `this process (pid ${owner.pid})` : `pid ${owner.pid}`;
  return new DataDirError(`${flag} ${root} is in use by ${who} (${owner.command}, started ${owner.startedAt}); ${whatToDo}`, root);
}

function hold(file: string, text: string): DataDirLock {
  held.add(file);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A process that exits without releasing (Ctrl-C, process.exit) leaves no lock behind.
    process.on('exit', () => {
      for (const f of held) removeIfOurs(f, text);
    });
  }
  return {
    file,
    release() {
      if (!held.delete(file)) return;
      removeIfOurs(file, text);
    },
  };
}

function removeIfOurs(file: string, text: string): void {
  if (readText(file) === text) unlinkSync(file);
}

/** Replaces a stale lock: under a takeover guard, removes it if it is still the one seen. */
function takeOver(file: string, seen: string, root: string, flag: string): void {
  const guard = `${file}${TAKEOVER_SUFFIX}`;
  try {
    mkdirSync(guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (ageMs(guard) > TAKEOVER_STALE_MS) rmdirSync(guard);
    else throw new DataDirError(`${flag} ${root} is being taken over by another process right now; try again`, root);
    return;
  }
  try {
    if (readText(file) === seen) unlinkSync(file);
  } finally {
    rmdirSync(guard);
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = procStart(owner.pid);
  return owner.procStart === undefined || start === undefined || start === owner.procStart;
}

function describeSelf(): LockOwner {
  const start = procStart(process.pid);
  return {
    pid: process.pid,
    command: commandLine(),
    startedAt: new Date().toISOString(),
    hostname: hostname(),
    ...(start ? { procStart: start } : {}),
  };
}

/** `clickstream run --fresh …` for the CLI; the script and its arguments otherwise. Cut at 160 characters. */
function commandLine(): string {
  const [, script = '', ...args] = process.argv;
  const name = /clickstream\.cjs$|local[\\/]cli\.ts$/.test(script) ? 'clickstream' : (script.split(/[\\/]/).pop() ?? 'node');
  const text = [name, ...args].join(' ');
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** Field 22 of /proc/<pid>/stat: the start time since boot, in clock ticks; undefined off Linux. */
function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.command === 'string' && typeof o.startedAt === 'string' && typeof o.hostname === 'string')
      return o as LockOwner;
  } catch {
    // half-written
  }
  return undefined;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
