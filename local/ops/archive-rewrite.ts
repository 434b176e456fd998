/**
 * One archive object without the rows of some users, in the object's own format: gzip-compressed
 * newline-delimited JSON keeps every other line byte for byte; Parquet is rewritten through DuckDB with the
 * compression codec it was written with (Firehose's conversion writes SNAPPY), every other row unchanged.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';

/** What a rewrite leaves: the new bytes (undefined when no row is left) and the rows removed and kept. */
export interface RewrittenObject {
  readonly body: Buffer | undefined;
  readonly removed: number;
  readonly kept: number;
}

/** True for Parquet objects: Firehose names them `.parquet`, and every Parquet file starts with `PAR1`. */
export function isParquet(key: string, body: Buffer): boolean {
  return key.endsWith('.parquet') || (body.length >= 4 && body.subarray(0, 4).toString('latin1') === 'PAR1');
}

/** A SQL string literal (DuckDB's standard strings have no backslash escapes: only `'` is doubled). */
export function sqlText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export class ArchiveRewriter {
  private instance: DuckDBInstance | undefined;
  private connection: DuckDBConnection | undefined;
  private scratch: string | undefined;
  private counter = 0;

  /** The object's rows of users other than `userIds`. */
  async rewrite(key: string, body: Buffer, userIds: ReadonlySet<string>): Promise<RewrittenObject> {
    return isParquet(key, body) ? this.rewriteParquet(body, userIds) : rewriteJson(body, userIds);
  }

  /** Rows of `userIds` the object holds: the check after a rewrite. */
  async countRows(key: string, body: Buffer, userIds: ReadonlySet<string>): Promise<number> {
    if (!isParquet(key, body)) return jsonLines(body).filter((line) => userIds.has(userIdOfRow(line) as string)).length;
    const c = await this.connect();
    const input = this.scratchFile('parquet');
    writeFileSync(input, body);
    try {
      const reader = await c.runAndReadAll(
        `SELECT count(*) AS n FROM read_parquet(${sqlText(input)}) WHERE user_id IN (${inList(userIds)})`,
      );
      return Number(reader.getRowObjects()[0]!['n']);
    } finally {
      rmSync(input, { force: true });
    }
  }

  close(): void {
    this.connection?.closeSync();
    this.instance?.closeSync();
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
  }

  private async rewriteParquet(body: Buffer, userIds: ReadonlySet<string>): Promise<RewrittenObject> {
    const c = await this.connect();
    const input = this.scratchFile('parquet');
    const output = this.scratchFile('parquet');
    writeFileSync(input, body);
    try {
      const source = `read_parquet(${sqlText(input)})`;
      const counts = await c.runAndReadAll(
        `SELECT count(*) FILTER (WHERE user_id IN (${inList(userIds)})) AS removed, count(*) AS total FROM ${source}`,
      );
      const row = counts.getRowObjects()[0]!;
      const removed = Number(row['removed']);
      const kept = Number(row['total']) - removed;
      if (removed === 0) return { body, removed: 0, kept };
      if (kept === 0) return { body: undefined, removed, kept };
      const codec = await c.runAndReadAll(`SELECT compression FROM parquet_metadata(${sqlText(input)}) LIMIT 1`);
      const compression = String(codec.getRowObjects()[0]?.['compression'] ?? 'SNAPPY').toLowerCase();
      // A row without a user id is kept: `NOT IN` alone would drop it (NULL NOT IN … is not true).
      await c.run(
        `COPY (SELECT * FROM ${source} WHERE user_id IS NULL OR user_id NOT IN (${inList(userIds)})) TO ${sqlText(output)} (FORMAT parquet, COMPRESSION ${sqlText(compression)})`,
      );
      return { body: readFileSync(output), removed, kept };
    } finally {
      rmSync(input, { force: true });
      rmSync(output, { force: true });
    }
  }

  private scratchFile(extension: string): string {
    this.scratch ??= mkdtempSync(join(tmpdir(), 'clickstream-forget-'));
    this.counter += 1;
    return join(this.scratch, `object-${this.counter}.${extension}`);
  }

  private async connect(): Promise<DuckDBConnection> {
    if (this.connection) return this.connection;
    this.scratch ??= mkdtempSync(join(tmpdir(), 'clickstream-forget-'));
    // json and parquet are built in: no extension is ever downloaded.
    this.instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      extension_directory: join(this.scratch, 'duckdb-extensions'),
    });
    this.connection = await this.instance.connect();
    return this.connection;
  }
}

/** Gzip or plain newline-delimited JSON: every line not of `userIds` kept as it was. */
function rewriteJson(body: Buffer, userIds: ReadonlySet<string>): RewrittenObject {
  const gzipped = body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
  const lines = jsonLines(body);
  const kept = lines.filter((line) => !userIds.has(userIdOfRow(line) as string));
  const removed = lines.length - kept.length;
  if (removed === 0) return { body, removed: 0, kept: kept.length };
  if (kept.length === 0) return { body: undefined, removed, kept: 0 };
  const text = Buffer.from(kept.map((line) => `${line}\n`).join(''));
  return { body: gzipped ? gzipSync(text) : text, removed, kept: kept.length };
}

function jsonLines(body: Buffer): string[] {
  const gzipped = body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
  return (gzipped ? gunzipSync(body) : body)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '');
}

function userIdOfRow(line: string): string | undefined {
  const id = (JSON.parse(line) as { user_id?: unknown }).user_id;
  return typeof id === 'string' ? id : undefined;
}

function inList(values: ReadonlySet<string>): string {
  return [...values].map(sqlText).join(', ');
}
