/**
 * Writing archive objects to a folder in the layout Firehose writes to S3: the rendered prefix, then
 * `<stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid>`, `.gz` for GZIP. Each object is written to a temporary
 * name and renamed, so a reader never sees half an object.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The object key Firehose would use under `prefix` for a buffer flushed at `at`. */
export function objectKey(prefix: string, deliveryStream: string, at: Date, extension: string): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getUTCFullYear()}-${p(at.getUTCMonth() + 1)}-${p(at.getUTCDate())}-${p(at.getUTCHours())}-${p(at.getUTCMinutes())}-${p(at.getUTCSeconds())}`;
  return `${prefix}${deliveryStream}-1-${stamp}-${randomUUID()}${extension}`;
}

/** Writes bytes at `root/key`, atomically. */
export function putObject(root: string, key: string, body: Buffer): string {
  const path = join(root, key);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, body);
  renameSync(`${path}.tmp`, path);
  return path;
}

/** Newline-delimited records, gzip-compressed as Firehose's GZIP compression does. */
export function gzipRecords(records: readonly Buffer[]): Buffer {
  return gzipSync(Buffer.concat(records));
}
