import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { ColumnInfo, GetQueryResultsCommandInput, GetQueryResultsCommandOutput, QueryExecutionState } from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { encodeSession, encodeState, encodeWindow } from '../../../functions/session-processor/item-codec';
import type { Item } from '../../../functions/session-processor/item-codec';
import type { Session, WindowMetrics } from '../../../functions/session-processor/model';
import { exportSession } from '../../../local/commands/export';
import { athenaValue } from '../../../local/deployed/athena-query';
import { AwsDashboardSource } from '../../../local/dashboard/aws-source';
import type { AwsDashboardOptions } from '../../../local/dashboard/aws-source';
import {
  AthenaQueryFailedError,
  AthenaQueryTimeoutError,
  AwsAccessDeniedError,
  StackNotFoundError,
  StackOutputMissingError,
  UnknownNamedQueryError,
} from '../../../local/deployed/errors';
import { DATE_RANGE_FILTER } from '../../../queries';
import { DEFAULT_CONFIG } from '../../../stacks/config';
import { MINUTE, T0 } from '../../helpers/events';
import { STACK_OUTPUT_VALUES as OUTPUTS, describedStack } from '../../helpers/deployed-stack';

const cloudFormation = mockClient(CloudFormationClient);
// The table readers send through the document client, so items are seen and given as native values.
const documents = mockClient(DynamoDBDocumentClient);
const athena = mockClient(AthenaClient);
const s3 = mockClient(S3Client);

afterEach(() => {
  cloudFormation.reset();
  documents.reset();
  athena.reset();
  s3.reset();
});

const REGION = 'eu-west-1';
const WEEK = { from: '2026-11-01', to: '2026-11-07' };

function deployedStack(outputs: Record<string, string> = OUTPUTS): void {
  cloudFormation.on(DescribeStacksCommand, { StackName: 'cs' }).resolves(describedStack(outputs, new Date(T0)));
}

function clients() {
  return {
    cloudFormation: new CloudFormationClient({ region: REGION }),
    dynamodb: new DynamoDBClient({ region: REGION }),
    athena: new AthenaClient({ region: REGION }),
    s3: new S3Client({ region: REGION }),
  };
}

/** A fake clock that sleeping advances, so that waits take no time and are seen exactly. */
function fakeTime(startMs = T0) {
  const clock = { ms: startMs, slept: [] as number[] };
  const options: AwsDashboardOptions = {
    now: () => clock.ms,
    sleep: (ms) => {
      clock.slept.push(ms);
      clock.ms += ms;
      return Promise.resolve();
    },
  };
  return { clock, options };
}

async function sourceFor(options: AwsDashboardOptions = fakeTime().options): Promise<AwsDashboardSource> {
  deployedStack();
  return AwsDashboardSource.forStack('cs', REGION, clients(), options);
}

describe('AwsDashboardSource.forStack', () => {
  it("reads the tables, the archive bucket, the Glue table and the workgroup from the stack's outputs", async () => {
    const source = await sourceFor();
    expect(cloudFormation).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: 'cs' });
    expect(source.stack).toEqual({
      stackName: 'cs',
      region: REGION,
      sessionsTable: 'cs-sessions',
      metricsTable: 'cs-metrics',
      archiveBucket: 'cs-archive',
      failureBucket: 'cs-failures',
      streamName: 'cs-events',
      glueDatabase: 'clickstream_db',
      glueTable: 'events',
      athenaWorkGroup: 'cs-queries',
    });
    expect(source.description).toBe('stack cs (eu-west-1)');
  });

  it("takes the SDK's region when none is given", async () => {
    deployedStack();
    const source = await AwsDashboardSource.forStack('cs', undefined, {
      ...clients(),
      cloudFormation: new CloudFormationClient({ region: 'eu-central-1' }),
    });
    expect(source.description).toBe('stack cs (eu-central-1)');
  });

  it('says that the stack is not in the region and how to deploy it or name its region', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id cs does not exist'), { name: 'ValidationError' }));
    const attempt = AwsDashboardSource.forStack('cs', REGION, clients());
    await expect(attempt).rejects.toThrow(StackNotFoundError);
    await expect(attempt).rejects.toThrow('stack cs not found in region eu-west-1: deploy it with `npx cdk deploy`, or pass the region');
  });

  it('names the output the stack lacks, with the stack status', async () => {
    deployedStack(Object.fromEntries(Object.entries(OUTPUTS).filter(([key]) => key !== 'AthenaWorkGroupName')));
    const attempt = AwsDashboardSource.forStack('cs', REGION, clients());
    await expect(attempt).rejects.toThrow(StackOutputMissingError);
    await expect(attempt).rejects.toThrow(/stack cs in region eu-west-1 \(status UPDATE_COMPLETE\) has no output AthenaWorkGroupName/);
  });

  it('names the permission to grant when DescribeStacks is denied', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));
    const attempt = AwsDashboardSource.forStack('cs', REGION, clients());
    await expect(attempt).rejects.toThrow(AwsAccessDeniedError);
    await expect(attempt).rejects.toThrow(/needs cloudformation:DescribeStacks on stack cs in eu-west-1/);
  });

  it('destroys its clients when the stack cannot be read, and on close', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id cs does not exist'), { name: 'ValidationError' }));
    const failed = clients();
    const destroyed = Object.values(failed).map((c) => jest.spyOn(c, 'destroy'));
    await expect(AwsDashboardSource.forStack('cs', REGION, failed)).rejects.toThrow(StackNotFoundError);
    for (const d of destroyed) expect(d).toHaveBeenCalledTimes(1);

    cloudFormation.reset();
    deployedStack();
    const held = clients();
    const closed = Object.values(held).map((c) => jest.spyOn(c, 'destroy'));
    await (await AwsDashboardSource.forStack('cs', REGION, held)).close();
    for (const d of closed) expect(d).toHaveBeenCalledTimes(1);
  });
});

const LIFE = { sessionTtlDays: 30, metricsTtlDays: 30 };

function session(userId: string, startMs: number, pageViews: number): Session {
  return {
    userId,
    sessionId: `s-${userId}-${startMs}`,
    clientSessionId: undefined,
    startMs,
    lastMs: startMs + 5 * MINUTE,
    eventCount: pageViews + 1,
    pageViews,
    landingPage: '/',
    exitPage: '/cart',
    referrer: undefined,
    utmSource: 'news',
    utmMedium: undefined,
    utmCampaign: undefined,
    channel: 'direct',
    source: '(direct)',
    medium: '(none)',
    campaign: '(direct)',
    converted: false,
    revenueMicros: 0,
    journey: ['/', '/cart'],
    journeyTimes: [startMs, startMs + MINUTE],
    journeyCut: 0,
  };
}

function window(windowStartMs: number, shardId: string, pageViews: number): WindowMetrics {
  return {
    windowStartMs,
    shardId,
    watermark: 1n,
    events: pageViews,
    eventsByType: { page_view: pageViews },
    pageViews,
    pageViewsByPage: { '/': pageViews },
    conversions: 0,
    revenueMicros: 0,
    sessionsStarted: 1,
    activeUsers: 1,
    duplicates: 0,
    lateEvents: 0,
    alreadyCounted: 0,
    refused: 0,
    refusedByReason: {},
  };
}

/** Answers Scan of `table` in two pages, the second asked for with the first's LastEvaluatedKey. */
function twoScanPages(table: string, first: Item[], second: Item[]): void {
  const lastKey = { userId: 'page-1-end', sk: 'x' };
  documents
    .on(ScanCommand, { TableName: table })
    .callsFake(async (input: ScanCommandInput) =>
      Promise.resolve(input.ExclusiveStartKey === undefined ? { Items: first, LastEvaluatedKey: lastKey } : { Items: second }),
    );
}

describe('sessions and windows', () => {
  it('pages through Scan of the sessions table and returns closed and current sessions as export rows', async () => {
    const closed = session('a', T0, 3);
    const current = session('b', T0 + MINUTE, 1);
    const state = {
      userId: 'b',
      watermarks: { 'shard-1': 7n },
      sessionFingerprints: [],
      activeWindows: [],
      currentSession: current,
      lastNonDirect: undefined,
    };
    twoScanPages('cs-sessions', [encodeSession(closed, LIFE)], [encodeState(state, LIFE)]);

    const rows = await (await sourceFor()).sessions();

    expect(rows).toEqual([exportSession(closed), exportSession(current)]);
    expect(documents).toHaveReceivedCommandTimes(ScanCommand, 2);
    expect(documents).toHaveReceivedCommandWith(ScanCommand, {
      TableName: 'cs-sessions',
      ExclusiveStartKey: { userId: 'page-1-end', sk: 'x' },
    });
  });

  it("pages through Scan of the metrics table and sums a window's shards across pages", async () => {
    const w1 = T0;
    const w2 = T0 + 5 * MINUTE;
    twoScanPages(
      'cs-metrics',
      [encodeWindow(window(w1, 'shard-1', 2), LIFE)],
      [encodeWindow(window(w1, 'shard-2', 3), LIFE), encodeWindow(window(w2, 'shard-1', 4), LIFE)],
    );

    const rows = await (await sourceFor()).windows();

    expect(rows.map((r) => [r.window_start, r.page_views, r.events_by_type, r.active_users])).toEqual([
      [new Date(w1).toISOString(), 5, { page_view: 5 }, 2],
      [new Date(w2).toISOString(), 4, { page_view: 4 }, 1],
    ]);
    expect(documents).toHaveReceivedCommandTimes(ScanCommand, 2);
    expect(documents).toHaveReceivedCommandWith(ScanCommand, {
      TableName: 'cs-metrics',
      ExclusiveStartKey: { userId: 'page-1-end', sk: 'x' },
    });
  });

  it('names the permission to grant when Scan is denied', async () => {
    documents
      .on(ScanCommand)
      .rejects(Object.assign(new Error('not authorized to perform dynamodb:Scan'), { name: 'AccessDeniedException' }));
    await expect((await sourceFor()).sessions()).rejects.toThrow(/needs dynamodb:Scan on table cs-sessions/);
  });
});

const column = (Name: string, Type: string): ColumnInfo => ({ Name, Label: Name, Type });
const row = (...values: Array<string | undefined>) => ({ Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) });

function queryStates(...states: QueryExecutionState[]): void {
  const mock = athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'q-1' });
  for (const State of states) mock.resolvesOnce({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State } } });
}

/** Results in pages: the first page begins with the header row, as Athena's answer to a SELECT does. */
function resultPages(columns: ColumnInfo[], pages: Array<Array<ReturnType<typeof row>>>): void {
  athena
    .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1' })
    .callsFake(async (input: GetQueryResultsCommandInput): Promise<GetQueryResultsCommandOutput> => {
      const index = input.NextToken === undefined ? 0 : Number(input.NextToken.replace('page-', ''));
      const header = row(...columns.map((c) => c.Name));
      return Promise.resolve({
        $metadata: {},
        ResultSet: { ResultSetMetadata: { ColumnInfo: columns }, Rows: index === 0 ? [header, ...pages[0]!] : pages[index]! },
        ...(index + 1 < pages.length ? { NextToken: `page-${index + 1}` } : {}),
      });
    });
}

describe('namedQuery', () => {
  beforeEach(() => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  });

  it("starts the shipped query in the stack's workgroup, bound to the Glue table, with the range's dates quoted as execution parameters", async () => {
    queryStates('SUCCEEDED');
    resultPages([column('day_utc', 'date'), column('users', 'bigint')], [[row('2026-11-01', '12')]]);

    const rows = await (await sourceFor()).namedQuery('daily_active_users', WEEK);

    expect(rows).toEqual([{ day_utc: '2026-11-01', users: 12 }]);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      WorkGroup: 'cs-queries',
      ExecutionParameters: ["'2026-11-01'", "'2026-11-07'"],
      QueryString: expect.stringContaining('FROM "clickstream_db"."events" e'),
    });
    const input = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(input.QueryString).toContain(DATE_RANGE_FILTER);
    expect(input.QueryString).not.toContain('${');
    // The workgroup enforces its result location and encryption: the query sets none.
    expect(input.ResultConfiguration).toBeUndefined();
  });

  it("binds the stack's default session timeout into the queries that rebuild sessions", async () => {
    queryStates('SUCCEEDED');
    resultPages([column('step', 'varchar')], [[]]);
    await (await sourceFor()).namedQuery('funnel', WEEK);
    const sql = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input.QueryString!;
    expect(sql).toContain(`<= ${DEFAULT_CONFIG.sessionTimeoutMinutes * 60_000}`);
  });

  it('polls while the query is queued or running, waiting longer each time, until it succeeds', async () => {
    queryStates('QUEUED', 'RUNNING', 'QUEUED', 'RUNNING', 'SUCCEEDED');
    resultPages([column('n', 'bigint')], [[row('1')]]);
    const { clock, options } = fakeTime();

    await (await sourceFor(options)).namedQuery('top_pages', WEEK);

    expect(athena).toHaveReceivedCommandTimes(GetQueryExecutionCommand, 5);
    expect(clock.slept).toEqual([250, 500, 1000, 2000]);
  });

  it("pages through the results, drops the first page's header row only, and converts each value by its column type", async () => {
    queryStates('SUCCEEDED');
    const columns = [
      column('page_path', 'varchar'),
      column('page_views', 'bigint'),
      column('share', 'double'),
      column('revenue', 'decimal'),
      column('converted', 'boolean'),
      column('hour_utc', 'timestamp'),
      column('referrer', 'varchar'),
    ];
    resultPages(columns, [
      [
        row('/', '120', '0.5', '10.25', 'true', '2026-11-01 10:00:00.000', 'https://news.example/'),
        row('/cart', '60', '0.25', '0', 'false', '2026-11-01 11:00:00.000', ''),
      ],
      // A second page has no header: a row whose values look like column names is data.
      [
        row('page_path', '30', '0.125', '1.5', 'false', '2026-11-01 12:00:00.000', undefined),
        row('/about', '30', '0.125', '0', 'false', '2026-11-01 13:00:00.000', undefined),
      ],
    ]);

    const rows = await (await sourceFor()).namedQuery('top_pages', WEEK);

    expect(rows).toEqual([
      {
        page_path: '/',
        page_views: 120,
        share: 0.5,
        revenue: 10.25,
        converted: true,
        hour_utc: '2026-11-01 10:00:00.000',
        referrer: 'https://news.example/',
      },
      { page_path: '/cart', page_views: 60, share: 0.25, revenue: 0, converted: false, hour_utc: '2026-11-01 11:00:00.000', referrer: '' },
      {
        page_path: 'page_path',
        page_views: 30,
        share: 0.125,
        revenue: 1.5,
        converted: false,
        hour_utc: '2026-11-01 12:00:00.000',
        referrer: null,
      },
      {
        page_path: '/about',
        page_views: 30,
        share: 0.125,
        revenue: 0,
        converted: false,
        hour_utc: '2026-11-01 13:00:00.000',
        referrer: null,
      },
    ]);
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, 2);
    expect(athena).toHaveReceivedCommandWith(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'page-1' });
  });

  it("throws Athena's reason when the query fails, and reads no results", async () => {
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        QueryExecutionId: 'q-1',
        Status: {
          State: 'FAILED',
          StateChangeReason: "TABLE_NOT_FOUND: line 4:3: Table 'awsdatacatalog.clickstream_db.events' does not exist",
        },
      },
    });
    const attempt = (await sourceFor()).namedQuery('top_pages', WEEK);
    await expect(attempt).rejects.toThrow(AthenaQueryFailedError);
    await expect(attempt).rejects.toThrow(/Athena query q-1 in workgroup cs-queries failed: TABLE_NOT_FOUND: line 4:3: Table/);
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, 0);
  });

  it('says that a cancelled query was cancelled, with the reason', async () => {
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { QueryExecutionId: 'q-1', Status: { State: 'CANCELLED', StateChangeReason: 'Bytes scanned limit was exceeded' } },
    });
    await expect((await sourceFor()).namedQuery('top_pages', WEEK)).rejects.toThrow(/was cancelled: Bytes scanned limit was exceeded/);
  });

  it('stops a query that has not finished by the deadline and says so', async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { clock, options } = fakeTime();

    const attempt = (await sourceFor({ ...options, queryTimeoutMs: 10_000 })).namedQuery('top_pages', WEEK);

    await expect(attempt).rejects.toThrow(AthenaQueryTimeoutError);
    await expect(attempt).rejects.toThrow(/did not finish within 10 s \(last state RUNNING\); it was stopped/);
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: 'q-1' });
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, 0);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('refuses a name that is not a shipped query, listing the shipped ones', async () => {
    const attempt = (await sourceFor()).namedQuery('top_page', WEEK);
    await expect(attempt).rejects.toThrow(UnknownNamedQueryError);
    await expect(attempt).rejects.toThrow(/no named query "top_page"; the shipped ones are: .*top_pages/);
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 0);
  });
});

describe('athenaValue', () => {
  it.each([
    ['integer', '42', 42],
    ['tinyint', '-3', -3],
    ['bigint', '1795000000000', 1795000000000],
    ['real', '1.5', 1.5],
    ['double', 'NaN', NaN],
    ['decimal(12,2)', '10.25', 10.25],
    ['boolean', 'false', false],
    ['varchar', '', ''],
    ['date', '2026-11-01', '2026-11-01'],
    ['array(varchar)', '[a, b]', '[a, b]'],
    ['bigint', undefined, null],
  ])('reads a %s value given as %j as %p', (type, value, expected) => {
    expect(athenaValue(type, value)).toEqual(expected);
  });
});

describe('newestArchiveEventMs', () => {
  beforeEach(() => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    queryStates('SUCCEEDED');
  });

  it("asks Athena for the newest event time over the last 7 days' partitions, today included", async () => {
    resultPages([column('newest_ms', 'bigint')], [[row('1795000000000')]]);
    const { options } = fakeTime(Date.parse('2026-11-27T12:00:00Z'));

    expect(await (await sourceFor(options)).newestArchiveEventMs()).toBe(1795000000000);

    const input = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(input.ExecutionParameters).toEqual(["'2026-11-21'", "'2026-11-27'"]);
    expect(input.QueryString).toContain('max(e.event_time)');
    expect(input.QueryString).toContain(`FROM "clickstream_db"."events" e WHERE ${DATE_RANGE_FILTER}`);
  });

  it('is undefined when those days hold no events', async () => {
    resultPages([column('newest_ms', 'bigint')], [[row(undefined)]]);
    expect(await (await sourceFor()).newestArchiveEventMs()).toBeUndefined();
  });
});

/** ListObjectsV2 over `keys`, `pageSize` entries a page (keys and, with a delimiter, common prefixes). */
function fakeBucket(keys: readonly string[], pageSize = 2): void {
  s3.on(ListObjectsV2Command, { Bucket: 'cs-archive' }).callsFake(async (input: ListObjectsV2CommandInput) => {
    const prefix = input.Prefix ?? '';
    const entries: Array<{ key: string } | { prefix: string }> = [];
    for (const key of [...keys].sort()) {
      if (!key.startsWith(prefix)) continue;
      const cut = input.Delimiter ? key.indexOf(input.Delimiter, prefix.length) : -1;
      if (cut === -1) entries.push({ key });
      else if (!entries.some((e) => 'prefix' in e && e.prefix === key.slice(0, cut + 1))) entries.push({ prefix: key.slice(0, cut + 1) });
    }
    const start = input.ContinuationToken === undefined ? 0 : Number(input.ContinuationToken.replace('after-', ''));
    const page = entries.slice(start, start + pageSize);
    const more = start + pageSize < entries.length;
    return Promise.resolve({
      Contents: page.flatMap((e) => ('key' in e ? [{ Key: e.key }] : [])),
      CommonPrefixes: page.flatMap((e) => ('prefix' in e ? [{ Prefix: e.prefix }] : [])),
      KeyCount: page.length,
      IsTruncated: more,
      ...(more ? { NextContinuationToken: `after-${start + pageSize}` } : {}),
    });
  });
}

describe('archiveObjects', () => {
  it('counts the data and error objects of every date of the range, across pages and error kinds', async () => {
    fakeBucket([
      'events/dt=2026-10-31/hour=23/late.json.gz',
      'events/dt=2026-11-01/hour=00/a.json.gz',
      'events/dt=2026-11-01/hour=00/b.json.gz',
      'events/dt=2026-11-01/hour=09/c.json.gz',
      'events/dt=2026-11-02/hour=05/d.json.gz',
      'events/dt=2026-11-02/hour=17/e.json.gz',
      'events/dt=2026-11-03/hour=00/next.json.gz',
      'errors/format-conversion-failed/dt=2026-11-02/f.gz',
      'errors/partitioning-failed/dt=2026-11-02/g.gz',
      'errors/partitioning-failed/dt=2026-11-02/h.gz',
      'errors/processing-failed/dt=2026-10-31/old.gz',
      'errors/processing-failed/dt=2026-11-01/i.gz',
    ]);

    expect(await (await sourceFor()).archiveObjects({ from: '2026-11-01', to: '2026-11-02' })).toBe(3 + 2 + 1 + 2 + 1);

    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Prefix: 'errors/', Delimiter: '/', ContinuationToken: 'after-2' });
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Prefix: 'events/dt=2026-11-01/', ContinuationToken: 'after-2' });
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Prefix: 'errors/partitioning-failed/dt=2026-11-02/' });
  });

  it('names the permission to grant when listing the bucket is denied', async () => {
    s3.on(ListObjectsV2Command).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect((await sourceFor()).archiveObjects(WEEK)).rejects.toThrow(/needs s3:ListBucket on bucket cs-archive/);
  });
});
