/** What a local data directory's files hold, read straight from the folders: archive rows, failure stores, hashes. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ARCHIVE_COLUMNS } from '../../functions/shared/archive-schema';
import { FAILURE_PREFIXES, readErrorOutput, readFailedBatch } from '../../local/ops/failure-objects';
import type { KeptRecord } from '../../local/ops/failure-objects';

/** Every file under `dir`, as a path relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** Each file under `dir` with the SHA-256 of its bytes: equal listings mean no file was added, removed or changed. */
export function hashedListing(dir: string): string[] {
  return filesUnder(dir).map(
    (f) =>
      `${f} ${createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex')}`,
  );
}

/**
 * Every row of the archive's data objects (gzip NDJSON), as text with the columns in schema order, leaving
 * out `omit`; sorted, so that two archives compare as multisets.
 */
export function archiveRows(dataDir: string, omit: readonly string[]): string[] {
  const root = join(dataDir, 'archive');
  const columns = ARCHIVE_COLUMNS.map((c) => c.name).filter((name) => !omit.includes(name));
  const rows: string[] = [];
  for (const file of filesUnder(join(root, 'events'))) {
    for (const line of gunzipSync(readFileSync(join(root, 'events', file)))
      .toString('utf8')
      .split('\n')) {
      if (line === '') continue;
      const row = JSON.parse(line) as Record<string, unknown>;
      rows.push(JSON.stringify(columns.map((c) => row[c])));
    }
  }
  return rows.sort();
}

/** The records of every object under `prefix` of a store folder, read by `read`. */
function keptRecords(folder: string, prefix: string, read: (body: Buffer) => { records: readonly KeptRecord[] }): KeptRecord[] {
  return filesUnder(join(folder, prefix)).flatMap((f) => read(readFileSync(join(folder, prefix, f))).records);
}

/** The records of Firehose's processing-failed output. */
export function processingFailedRecords(dataDir: string): KeptRecord[] {
  return keptRecords(join(dataDir, 'archive'), FAILURE_PREFIXES.processingFailed, readErrorOutput);
}

/** The user records of the on-failure destination's batches. */
export function onFailureRecords(dataDir: string): KeptRecord[] {
  return keptRecords(join(dataDir, 'failed'), FAILURE_PREFIXES.onFailure, readFailedBatch);
}
