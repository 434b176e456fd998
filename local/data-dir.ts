/** The local data directory: emulator state, checkpoints, archive, failed records and logs. */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Bumped whenever the layout or the stored formats change; an older folder is refused, not misread. */
export const DATA_LAYOUT = 'clickstream-data 1';
export const DEFAULT_DATA_DIR = '.clickstream';

export interface DataDir {
  readonly root: string;
  readonly kinesis: string;
  readonly dynamodb: string;
  readonly checkpoints: string;
  readonly failed: string;
  readonly archive: string;
  readonly logs: string;
}

/** Opens (or creates) the data directory; `fresh` deletes it first. */
export function openDataDir(dir: string, fresh: boolean): DataDir {
  const root = resolve(dir);
  if (fresh) rmSync(root, { recursive: true, force: true });
  const marker = join(root, 'VERSION');
  if (existsSync(root) && existsSync(marker)) {
    const found = readFileSync(marker, 'utf8').trim();
    if (found !== DATA_LAYOUT) {
      throw new Error(`${root} holds data of another version (${found}, this is ${DATA_LAYOUT}); run with --fresh to start over, or pick another --data-dir`);
    }
  } else if (existsSync(root) && !existsSync(marker) && readdirNonEmpty(root)) {
    throw new Error(`${root} exists and is not a clickstream data directory; pick another --data-dir or remove it`);
  }
  mkdirSync(root, { recursive: true });
  writeFileSync(marker, `${DATA_LAYOUT}\n`);
  const layout = {
    root,
    kinesis: join(root, 'kinesis'),
    dynamodb: join(root, 'dynamodb'),
    checkpoints: join(root, 'checkpoints'),
    failed: join(root, 'failed'),
    archive: join(root, 'archive'),
    logs: join(root, 'logs'),
  };
  for (const p of Object.values(layout)) mkdirSync(p, { recursive: true });
  return layout;
}

function readdirNonEmpty(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}
