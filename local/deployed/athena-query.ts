/**
 * Running one SELECT in an Athena workgroup and reading its rows: start it, poll its state with back-off until
 * it ends or a deadline passes, then page through its results, each value converted by its column's type.
 *
 * The workgroup's own result location and encryption apply: the stack's workgroup enforces its configuration
 * (`EnforceWorkGroupConfiguration`), and Athena then ignores a client's result settings ("Override
 * client-side settings", https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html),
 * so none are sent.
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { AthenaClient, ColumnInfo, Row } from '@aws-sdk/client-athena';
import { AthenaQueryFailedError, AthenaQueryTimeoutError, translateAwsError } from './errors';

/** One result row, by column name. */
export type AthenaRow = Record<string, unknown>;

export interface AthenaQuery {
  /** A SELECT (only a SELECT's first result row is its header). */
  readonly sql: string;
  readonly workGroup: string;
  /** The values of the query's `?`, in order, each as SQL text: a string quoted, `'2026-11-01'`. */
  readonly parameters?: readonly string[];
}

/** How long and how often to wait for a query; the clock and the sleep are injectable for tests. */
export interface AthenaWaitOptions {
  /** @default ATHENA_WAIT_DEFAULTS.timeoutMs */
  readonly timeoutMs?: number;
  /** @default ATHENA_WAIT_DEFAULTS.firstPollMs */
  readonly firstPollMs?: number;
  /** @default ATHENA_WAIT_DEFAULTS.maxPollMs */
  readonly maxPollMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

export const ATHENA_WAIT_DEFAULTS = {
  // A query over a few days' partitions ends in a second or three: the first look comes soon...
  firstPollMs: 250,
  // ...and the wait doubles up to this, so a long query costs a GetQueryExecution every 2 s, not a storm of them.
  maxPollMs: 2_000,
  // A dashboard refresh waiting longer than this is better told why; the query is stopped, not left scanning.
  timeoutMs: 120_000,
} as const;

// GetQueryResults returns at most 1,000 rows a page (MaxResults, "GetQueryResults",
// https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html).
const RESULTS_PAGE_ROWS = 1000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `query` and returns its rows; throws {@link AthenaQueryFailedError} or {@link AthenaQueryTimeoutError}. */
export async function runAthenaQuery(client: AthenaClient, query: AthenaQuery, wait: AthenaWaitOptions = {}): Promise<AthenaRow[]> {
  const id = await startQuery(client, query);
  await waitForQuery(client, id, query.workGroup, wait);
  return readResults(client, id, query.workGroup);
}

/** Starts the query in the workgroup; returns its execution id. */
export async function startQuery(client: AthenaClient, query: AthenaQuery): Promise<string> {
  const parameters = query.parameters ?? [];
  const out = await client
    .send(
      new StartQueryExecutionCommand({
        QueryString: query.sql,
        WorkGroup: query.workGroup,
        // Execution parameters fill the `?` in order ("StartQueryExecution",
        // https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html); Athena refuses an
        // empty list, so a query without parameters sends none.
        ...(parameters.length > 0 ? { ExecutionParameters: [...parameters] } : {}),
      }),
    )
    .catch((err: unknown) => translateAwsError(err, 'athena:StartQueryExecution', `workgroup ${query.workGroup}`));
  if (!out.QueryExecutionId) throw new Error(`Athena started a query in workgroup ${query.workGroup} but returned no QueryExecutionId`);
  return out.QueryExecutionId;
}

/**
 * Polls until the query SUCCEEDED. QUEUED and RUNNING are waited out (Athena may move a query from RUNNING back
 * to QUEUED after a transient error); FAILED and CANCELLED are final and throw with Athena's StateChangeReason
 * ("QueryExecutionStatus", https://docs.aws.amazon.com/athena/latest/APIReference/API_QueryExecutionStatus.html).
 * Past the deadline the query is stopped and {@link AthenaQueryTimeoutError} thrown.
 */
export async function waitForQuery(client: AthenaClient, id: string, workGroup: string, wait: AthenaWaitOptions = {}): Promise<void> {
  const now = wait.now ?? Date.now;
  const sleep = wait.sleep ?? defaultSleep;
  const timeoutMs = wait.timeoutMs ?? ATHENA_WAIT_DEFAULTS.timeoutMs;
  const maxPollMs = wait.maxPollMs ?? ATHENA_WAIT_DEFAULTS.maxPollMs;
  const started = now();
  let delay = wait.firstPollMs ?? ATHENA_WAIT_DEFAULTS.firstPollMs;
  for (;;) {
    const out = await client
      .send(new GetQueryExecutionCommand({ QueryExecutionId: id }))
      .catch((err: unknown) => translateAwsError(err, 'athena:GetQueryExecution', `workgroup ${workGroup}`));
    const status = out.QueryExecution?.Status;
    const state = status?.State ?? 'UNKNOWN';
    if (state === 'SUCCEEDED') return;
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new AthenaQueryFailedError(id, workGroup, state, status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage);
    }
    const left = started + timeoutMs - now();
    if (left <= 0) await stopAndThrow(client, id, workGroup, now() - started, state);
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, maxPollMs);
  }
}

async function stopAndThrow(client: AthenaClient, id: string, workGroup: string, waitedMs: number, state: string): Promise<never> {
  try {
    await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
  } catch (err) {
    throw new AthenaQueryTimeoutError(id, workGroup, waitedMs, state, false, { cause: err });
  }
  throw new AthenaQueryTimeoutError(id, workGroup, waitedMs, state, true);
}

/**
 * Every row of a finished SELECT, following NextToken. The first row of the first page holds the column
 * names, not data, and is dropped; the names and types come from `ResultSetMetadata.ColumnInfo` instead.
 * (The GetQueryResults reference does not say so; it is how Athena answers a SELECT, and not a DDL statement:
 * https://github.com/uber/athenadriver/blob/master/resources/UndocumentedAthena.md.)
 */
export async function readResults(client: AthenaClient, id: string, workGroup: string): Promise<AthenaRow[]> {
  const rows: AthenaRow[] = [];
  let columns: readonly ColumnInfo[] | undefined;
  let token: string | undefined;
  let first = true;
  do {
    const out = await client
      .send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: RESULTS_PAGE_ROWS }))
      .catch((err: unknown) =>
        translateAwsError(err, 'athena:GetQueryResults (and s3:GetObject on the workgroup result location)', `workgroup ${workGroup}`),
      );
    columns ??= out.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    const page = out.ResultSet?.Rows ?? [];
    for (const row of first ? page.slice(1) : page) rows.push(rowObject(columns, row));
    first = false;
    token = out.NextToken;
  } while (token);
  return rows;
}

function rowObject(columns: readonly ColumnInfo[], row: Row): AthenaRow {
  const data = row.Data ?? [];
  const out: AthenaRow = {};
  columns.forEach((column, i) => {
    out[column.Name ?? `_col${i}`] = athenaValue(column.Type ?? 'varchar', data[i]?.VarCharValue);
  });
  return out;
}

const NUMERIC_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'real', 'float', 'double', 'decimal']);

/**
 * A result value as JavaScript: numbers for the integer, floating-point and decimal types (a bigint beyond
 * 2^53 or a decimal beyond 15 significant digits loses precision), booleans for boolean, null for a NULL
 * (a Datum without VarCharValue; an empty string has one), and the text Athena gave for every other type
 * (varchar, date, timestamp, arrays…). Types as Athena's DML names them ("Data types in Amazon Athena",
 * https://docs.aws.amazon.com/athena/latest/ug/data-types.html).
 */
export function athenaValue(type: string, value: string | undefined): unknown {
  if (value === undefined) return null;
  const base = type.toLowerCase().replace(/\(.*$/, '').trim();
  if (NUMERIC_TYPES.has(base)) return Number(value);
  if (base === 'boolean') return value === 'true';
  return value;
}
