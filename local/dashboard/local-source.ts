/**
 * The dashboard's source on this machine: the sessions and metrics tables on a local DynamoDB (a running
 * `up`, or one started on the data directory), and the archive folder through DuckDB, read anew for each query
 * so that objects Firehose writes meanwhile are seen.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARCHIVE_DATA_ROOT, ARCHIVE_ERROR_ROOT } from '../../functions/shared/firehose-prefixes';
import { loadNamedQueries } from '../../queries';
import type { DateRange } from '../../queries';
import { exportSession, exportWindow, missingTable } from '../commands/export';
import type { MetricsExport, SessionExport } from '../commands/export';
import { dynamoDbClient } from '../runtime/aws-clients';
import { openArchive } from '../runtime/archive-sql';
import { listFiles } from '../runtime/folder-files';
import { LOCAL_NAMES } from '../runtime/pipeline';
import { allSessions, allWindows } from '../runtime/read-tables';
import { eachDate } from '../runtime/time-range';
import type { DashboardSource } from './source';

export interface LocalSourceOptions {
  /** The local DynamoDB's endpoint. */
  readonly dynamoDbEndpoint: string;
  /** The data directory's archive folder, in Firehose's S3 layout. */
  readonly archiveDir: string;
  /** A folder for DuckDB's scratch files. */
  readonly scratchDir: string;
  readonly description: string;
}

/** Column types DuckDB's JSON rows give as text that the API gives as numbers. */
const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DECIMAL|FLOAT|DOUBLE)/;

export class LocalDashboardSource implements DashboardSource {
  readonly description: string;
  private readonly client: DynamoDBClient;

  constructor(private readonly o: LocalSourceOptions) {
    this.description = o.description;
    this.client = dynamoDbClient(o.dynamoDbEndpoint);
  }

  async sessions(): Promise<SessionExport[]> {
    return (await allSessions(this.client, LOCAL_NAMES.sessionsTable).catch(missingTable)).map(exportSession);
  }

  async windows(): Promise<MetricsExport[]> {
    return (await allWindows(this.client, LOCAL_NAMES.metricsTable).catch(missingTable)).map(exportWindow);
  }

  async namedQuery(name: string, days: DateRange): Promise<Array<Record<string, unknown>>> {
    const query = loadNamedQueries().find((q) => q.name === name);
    if (!query) throw new Error(`no named query ${JSON.stringify(name)}`);
    const db = await openArchive(this.o.archiveDir, this.o.scratchDir);
    try {
      const reader = await db.connection.runAndReadAll(db.bind(query.sql, days));
      const numeric = reader.columnNames().filter((_, i) => NUMERIC_TYPE.test(String(reader.columnTypes()[i])));
      return reader.getRowObjectsJson().map((row) => {
        const out: Record<string, unknown> = { ...row };
        for (const column of numeric) if (out[column] !== null) out[column] = Number(out[column]);
        return out;
      });
    } finally {
      db.close();
    }
  }

  archiveObjects(days: DateRange): Promise<number> {
    let count = 0;
    for (const date of eachDate(days)) {
      count += listFiles(join(this.o.archiveDir, ARCHIVE_DATA_ROOT, `dt=${date}`)).length;
      const errors = join(this.o.archiveDir, ARCHIVE_ERROR_ROOT);
      if (existsSync(errors)) for (const kind of readdirSync(errors)) count += listFiles(join(errors, kind, `dt=${date}`)).length;
    }
    return Promise.resolve(count);
  }

  async newestArchiveEventMs(): Promise<number | undefined> {
    const db = await openArchive(this.o.archiveDir, this.o.scratchDir);
    try {
      const [row] = await db.query('SELECT max(event_time) AS newest FROM ${events}');
      const newest = row?.['newest'];
      return typeof newest === 'string' ? Date.parse(`${newest.replace(' ', 'T')}Z`) : undefined;
    } finally {
      db.close();
    }
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }
}
