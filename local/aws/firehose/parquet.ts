/** Parquet objects (SNAPPY) from archive rows, through DuckDB, typed from the archive schema as Firehose's conversion types them from the Glue table. */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARCHIVE_COLUMNS, ARCHIVE_TIMESTAMP_FORMAT, DUCKDB_TYPES } from '../../../functions/shared/archive-schema';

export class ParquetWriter {
  private connection: DuckDBConnection | undefined;
  private instance: DuckDBInstance | undefined;
  private counter = 0;

  constructor(private readonly scratchDir: string) {}

  /** Newline-terminated JSON rows in, Parquet bytes out. */
  async toParquet(rows: readonly Buffer[]): Promise<Buffer> {
    const c = await this.connect();
    mkdirSync(this.scratchDir, { recursive: true });
    const id = (this.counter += 1);
    const input = join(this.scratchDir, `rows-${id}.json`);
    const output = join(this.scratchDir, `rows-${id}.parquet`);
    writeFileSync(input, Buffer.concat(rows));
    const columns = `{${ARCHIVE_COLUMNS.map((col) => `'${col.name}': '${DUCKDB_TYPES[col.type]}'`).join(', ')}}`;
    await c.run(
      `COPY (SELECT * FROM read_json('${input}', format = 'newline_delimited', columns = ${columns}, timestampformat = '${ARCHIVE_TIMESTAMP_FORMAT.strftime}')) TO '${output}' (FORMAT parquet, COMPRESSION snappy)`,
    );
    const bytes = readFileSync(output);
    rmSync(input, { force: true });
    rmSync(output, { force: true });
    return bytes;
  }

  close(): void {
    this.connection?.closeSync();
    this.instance?.closeSync();
  }

  private async connect(): Promise<DuckDBConnection> {
    if (this.connection) return this.connection;
    const extensions = join(this.scratchDir, 'duckdb-extensions');
    mkdirSync(extensions, { recursive: true });
    this.instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', extension_directory: extensions });
    this.connection = await this.instance.connect();
    return this.connection;
  }
}
