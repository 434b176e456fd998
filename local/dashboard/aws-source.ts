/**
 * The dashboard's data from a deployed stack: the sessions and metrics tables through DynamoDB, the named
 * queries and the newest event through Athena over the Glue table, and the archive's objects through S3. The
 * figures come from the same functions the local source uses (the table readers, the export mappings, the
 * shipped queries), so a panel means the same thing against either.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import {
  DATE_RANGE_FILTER,
  DATE_RANGE_PARAMETERS,
  bindQuery,
  checkDateRange,
  lastDays,
  loadNamedQueries,
  parameterPositions,
} from '../../queries';
import type { DateRange, NamedQuery } from '../../queries';
import { DEFAULT_CONFIG } from '../../stacks/config';
import { exportSession, exportWindow } from '../commands/export';
import type { MetricsExport, SessionExport } from '../commands/export';
import { allSessions, allWindows } from '../runtime/read-tables';
import { runAthenaQuery } from '../deployed/athena-query';
import type { AthenaQuery, AthenaRow } from '../deployed/athena-query';
import { countArchiveObjects } from './archive-objects';
import { readDeployedStack, regionOf } from '../deployed/stack';
import type { DeployedStack } from '../deployed/stack';
import { UnknownNamedQueryError, translateAwsError } from '../deployed/errors';
import type { DashboardSource } from './source';

/** The SDK clients the source uses; each left out is the SDK's default (default credential chain and region). */
export interface AwsDashboardClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly dynamodb?: DynamoDBClient;
  readonly athena?: AthenaClient;
  readonly s3?: S3Client;
}

export interface AwsDashboardOptions {
  /**
   * The session timeout the named queries that rebuild sessions use. The stack has no output for its own
   * setting, so a stack deployed with another `sessionTimeoutMinutes` needs it given here.
   * @default DEFAULT_CONFIG.sessionTimeoutMinutes (the stack's default)
   */
  readonly sessionTimeoutMinutes?: number;
  /**
   * How long one Athena query may run before it is stopped.
   * @default ATHENA_WAIT_DEFAULTS.timeoutMs
   */
  readonly queryTimeoutMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** The wait between polls of a running query. @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Days of partitions {@link AwsDashboardSource.newestArchiveEventMs} reads: a filter on `dt` is what keeps a projected table's scan small. */
export const NEWEST_EVENT_DAYS = 7;

/** The newest event time over the range's partitions, epoch ms; null for no rows. */
const NEWEST_EVENT_SQL = `SELECT CAST(to_unixtime(max(e.event_time)) * 1000 AS BIGINT) AS newest_ms FROM \${events} e WHERE ${DATE_RANGE_FILTER}`;

type Clients = Required<AwsDashboardClients>;

export class AwsDashboardSource implements DashboardSource {
  readonly description: string;
  private readonly sessionTimeoutMinutes: number;
  private readonly now: () => number;
  private queries: NamedQuery[] | undefined;

  /**
   * A source for a deployed stack whose outputs were read already (see {@link forStack}). The clients are the
   * source's from here on: {@link close} destroys them.
   */
  constructor(
    readonly stack: DeployedStack,
    private readonly clients: Omit<Clients, 'cloudFormation'> & Partial<Pick<Clients, 'cloudFormation'>>,
    private readonly options: AwsDashboardOptions = {},
  ) {
    this.description = `stack ${stack.stackName} (${stack.region})`;
    this.sessionTimeoutMinutes = options.sessionTimeoutMinutes ?? DEFAULT_CONFIG.sessionTimeoutMinutes;
    this.now = options.now ?? Date.now;
  }

  /**
   * Reads the stack's outputs (CloudFormation DescribeStacks) and returns a source over its resources.
   * `region` defaults to the SDK's (AWS_REGION, the profile's region). Clients not given are the SDK's default
   * clients for that region; given or not, they belong to the source, and a failure here destroys them.
   */
  static async forStack(
    stackName: string,
    region?: string,
    clients: AwsDashboardClients = {},
    options: AwsDashboardOptions = {},
  ): Promise<AwsDashboardSource> {
    const config = region ? { region } : {};
    const all: Clients = {
      cloudFormation: clients.cloudFormation ?? new CloudFormationClient(config),
      dynamodb: clients.dynamodb ?? new DynamoDBClient(config),
      athena: clients.athena ?? new AthenaClient(config),
      s3: clients.s3 ?? new S3Client(config),
    };
    try {
      const resolved = region ?? (await regionOf(all.cloudFormation));
      const stack = await readDeployedStack(all.cloudFormation, stackName, resolved);
      return new AwsDashboardSource(stack, all, options);
    } catch (err) {
      destroy(all);
      throw err;
    }
  }

  async sessions(): Promise<SessionExport[]> {
    const { sessionsTable } = this.stack;
    const sessions = await allSessions(this.clients.dynamodb, sessionsTable).catch((err: unknown) =>
      translateAwsError(err, 'dynamodb:Scan', `table ${sessionsTable}`),
    );
    return sessions.map(exportSession);
  }

  async windows(): Promise<MetricsExport[]> {
    const { metricsTable } = this.stack;
    const windows = await allWindows(this.clients.dynamodb, metricsTable).catch((err: unknown) =>
      translateAwsError(err, 'dynamodb:Scan', `table ${metricsTable}`),
    );
    return windows.map(exportWindow);
  }

  async namedQuery(name: string, days: DateRange): Promise<AthenaRow[]> {
    this.queries ??= loadNamedQueries();
    const query = this.queries.find((q) => q.name === name);
    if (!query)
      throw new UnknownNamedQueryError(
        name,
        this.queries.map((q) => q.name),
      );
    return this.athena(query.sql, days);
  }

  async archiveObjects(days: DateRange): Promise<number> {
    return countArchiveObjects(this.clients.s3, this.stack.archiveBucket, days);
  }

  async newestArchiveEventMs(): Promise<number | undefined> {
    const [row] = await this.athena(NEWEST_EVENT_SQL, lastDays(NEWEST_EVENT_DAYS, new Date(this.now())));
    const newest = row?.['newest_ms'];
    return typeof newest === 'number' ? newest : undefined;
  }

  close(): Promise<void> {
    destroy(this.clients);
    return Promise.resolve();
  }

  /** Rows of `sql` with its table and session timeout bound, its two `?` given the range's dates, quoted. */
  private athena(sql: string, days: DateRange): Promise<AthenaRow[]> {
    const { glueDatabase, glueTable, athenaWorkGroup } = this.stack;
    const bound = bindQuery(sql, { table: `"${glueDatabase}"."${glueTable}"`, sessionTimeoutMinutes: this.sessionTimeoutMinutes });
    const query: AthenaQuery = { sql: bound, workGroup: athenaWorkGroup, parameters: dateParameters(bound, days) };
    return runAthenaQuery(this.clients.athena, query, {
      now: this.now,
      ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      ...(this.options.queryTimeoutMs !== undefined ? { timeoutMs: this.options.queryTimeoutMs } : {}),
    });
  }
}

/**
 * The execution parameters of a query's date range: a string parameter is passed quoted ("EXECUTE",
 * https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements-execute.html), as
 * `queries/index.ts` documents. A query takes two (first and last day) or none, as the local runtime binds them.
 */
function dateParameters(sql: string, days: DateRange): string[] {
  const count = parameterPositions(sql).length;
  if (count === 0) return [];
  if (count !== 2) throw new Error(`a query takes no parameters or exactly two (${DATE_RANGE_PARAMETERS}); this one has ${count}`);
  const { from, to } = checkDateRange(days);
  return [`'${from}'`, `'${to}'`];
}

function destroy(clients: Partial<Clients>): void {
  for (const client of Object.values(clients)) client?.destroy();
}
