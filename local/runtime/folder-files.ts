/** Listing the files a folder model of a bucket holds. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under a folder, sorted by path, but the `.tmp` files a writer has not renamed into place yet. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else if (!name.endsWith('.tmp')) out.push(p);
  }
  return out.sort();
}
