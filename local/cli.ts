/** The `clickstream` command line: the local runtime and tools for the archive and the tables. */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { DEFAULT_DATA_DIR } from './runtime/data-dir';
import { DataDirError, UsageError } from './errors';
import { wholeNumber } from './flags';
import { BATCH_SIZE_RANGE, BUFFER_MB_RANGE, BUFFER_SECONDS_RANGE, LOCAL_SHARD_RANGE, PORT_RANGE } from './limits';
import type { Range } from './flags';
import { readExport } from './commands/export';
import { produce } from './commands/produce';
import { formatRows, listQueries, queryRange, runNamedQuery } from './commands/query';
import { costReport } from './commands/cost';
import { ARCHIVE_STORAGE_CLASSES } from '../stacks/config';
import { USER_ID_MODES } from '../functions/shared/pseudonym';
import type { UserIdMode } from '../functions/shared/pseudonym';
import type { ArchiveStorageClass } from '../stacks/config';
import { parseFaults } from './runtime/faults';
import { run } from './commands/run';
import { up } from './commands/up';
import { dashboard, serveDashboard } from './commands/dashboard';
import { redriveLocal, redriveStack } from './commands/redrive';
import { AwsDashboardSource } from './dashboard/aws-source';
import { forgetCommand, userIds } from './commands/forget';

/** The option declarations `parseArgs` takes. */
type FlagOptions = NonNullable<ParseArgsConfig['options']>;

const USAGE = `clickstream: the clickstream pipeline on this machine

  clickstream run [--input FILE|-] [--users N] [--events N] [--seed S] [--rate EPS]
                  [--shards N] [--data-dir DIR] [--fresh] [--archive-format json|parquet]
                  [--buffer-seconds S] [--buffer-mb M] [--batch-size N] [--summary-json FILE]
                  [--faults SPEC] [--user-id-mode keep|hash] [--dashboard]
      Start the emulators, put the workload on the stream (default: 50000 synthetic
      records from 2500 users), run both consumers until the stream is drained and
      every Firehose buffer is written, and print the report. --shards 1-64 (default 2,
      or the existing stream's), --batch-size 1-10000, --buffer-seconds 0-900,
      --buffer-mb 1-128: the AWS ranges. --user-id-mode hash stores keyed hashes of
      user ids (key in DIR/secrets/user-id-key); a data directory keeps the mode it
      was made with (change it with --fresh). --dashboard keeps serving the
      dashboard over the result until Ctrl-C.

  clickstream up [--port P] [--shards N] [--data-dir DIR] [--fresh] [--buffer-seconds S]
                 [--user-id-mode keep|hash]
      Start the emulators (Kinesis on P, DynamoDB on P+1; default 4567), both
      consumers, the collector (P+2), the demo site (P+3) and the dashboard (P+4),
      and keep running until Ctrl-C, for your own producer or browser.

  clickstream dashboard [--data-dir DIR | --stack NAME [--region R]] [--port P]
      Serve the dashboard (default: a free port) until Ctrl-C, over a data
      directory's tables and archive, or over a deployed stack's tables and Athena
      workgroup with the default AWS credential chain.

  clickstream produce --stream NAME [--endpoint URL] [--region R] [--input FILE|-]
                      [--users N] [--events N] [--seed S] [--rate EPS] [--aggregate]
                      [--refused-dir DIR]
      Put events on any stream; without --endpoint, on real AWS with the default
      credential chain. --aggregate packs records as the KPL does. Lines too large
      for a Kinesis record are refused and kept in --refused-dir (default
      .clickstream-refused).

  clickstream query NAME|FILE.sql [--from DATE] [--to DATE] [--data-dir DIR]
      Run a shipped named query (or a SQL file) over the local archive with DuckDB,
      for the event dates from --from to --to (yyyy-MM-dd, UTC, inclusive; default:
      the last 7 days). Only those days' objects are read.

  clickstream export sessions|metrics [--data-dir DIR] [--endpoint URL]
      Print the local DynamoDB state as newline-delimited JSON.

  clickstream redrive [--data-dir DIR | --stack NAME [--region R]] [--from DATE] [--to DATE]
                      [--max-event-age-hours N] [--dry-run]
      Put the failed records that today's code accepts back on the stream: Firehose's
      processing-failed output and the session-processor's on-failure batches, those
      that arrived from --from to --to (yyyy-MM-dd, UTC, inclusive; default: all). A
      record too old at its original arrival stays refused; one too old now (past
      --max-event-age-hours, default 72) is left for a backfill run. What is put moves
      to redriven/, what stays is reported by reason. Locally the pipeline runs until
      both consumers took the records; --dry-run writes and puts nothing.

  clickstream forget --user ID [--user ID…] [--users-file FILE]
                     [--data-dir DIR | --stack NAME [--region R]] [--dry-run] [--reference TEXT]
      Erase users: their items in the sessions table, their rows in every archive
      object (each rewritten whole under the same key), their records in both failure
      stores; then search again, and write an audit record of counts under erasures/.
      Archived objects (Glacier) are listed with the command that restores them.
      Exits 1 while anything of them is left. --dry-run counts and changes nothing.

  clickstream cost --events-per-month N [--avg-event-bytes B] [--storage-class GLACIER_IR|GLACIER|DEEP_ARCHIVE]
      The modelled monthly AWS cost of a deployment, beside the per-event design,
      with the archive's storage class (the stack's archiveStorageClass).
`;

type Values = Record<string, string | boolean | undefined>;

const COMMON = { 'data-dir': { type: 'string', default: DEFAULT_DATA_DIR } } as const;
const WORKLOAD = {
  input: { type: 'string' },
  users: { type: 'string', default: '2500' },
  events: { type: 'string', default: '50000' },
  seed: { type: 'string', default: '42' },
  rate: { type: 'string' },
} as const;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  switch (command) {
    case 'run': {
      const { values } = flags(rest, {
        ...COMMON,
        ...WORKLOAD,
        shards: { type: 'string' },
        fresh: { type: 'boolean', default: false },
        'summary-json': { type: 'string' },
        'batch-size': { type: 'string' },
        'archive-format': { type: 'string', default: 'json' },
        'buffer-seconds': { type: 'string' },
        'buffer-mb': { type: 'string' },
        faults: { type: 'string' },
        'user-id-mode': { type: 'string' },
        dashboard: { type: 'boolean', default: false },
      });
      const v: Values = values;
      await run({
        ...workload(v),
        ...optional('--shards', values.shards, LOCAL_SHARD_RANGE, (shards) => ({ shards })),
        dataDir: values['data-dir'],
        fresh: values.fresh,
        ...(values['summary-json'] !== undefined ? { summaryJson: nonEmpty('--summary-json', values['summary-json']) } : {}),
        ...optional('--batch-size', values['batch-size'], BATCH_SIZE_RANGE, (batchSize) => ({ batchSize })),
        archiveFormat: archiveFormat(values['archive-format']),
        ...optional('--buffer-seconds', values['buffer-seconds'], BUFFER_SECONDS_RANGE, (bufferIntervalSeconds) => ({
          bufferIntervalSeconds,
        })),
        ...optional('--buffer-mb', values['buffer-mb'], BUFFER_MB_RANGE, (bufferSizeMb) => ({ bufferSizeMb })),
        ...(values.faults !== undefined ? { faults: faults(values.faults) } : {}),
        ...userIdMode(values['user-id-mode']),
      });
      if (values.dashboard) await dashboard({ dataDir: values['data-dir'], port: 0 }, out);
      return 0;
    }
    case 'dashboard': {
      const { values } = flags(rest, {
        ...COMMON,
        port: { type: 'string', default: '0' },
        stack: { type: 'string' },
        region: { type: 'string' },
      });
      const port = wholeNumber('--port', values.port, { min: 0, max: 65_535 });
      if (values.stack !== undefined) {
        const source = await AwsDashboardSource.forStack(nonEmpty('--stack', values.stack), values.region);
        await serveDashboard(source, port, out);
      } else {
        if (values.region !== undefined) throw new UsageError('--region goes with --stack NAME');
        await dashboard({ dataDir: values['data-dir'], port }, out);
      }
      return 0;
    }
    case 'up': {
      const { values } = flags(rest, {
        ...COMMON,
        port: { type: 'string', default: '4567' },
        shards: { type: 'string' },
        fresh: { type: 'boolean', default: false },
        'buffer-seconds': { type: 'string' },
        'user-id-mode': { type: 'string' },
      });
      await up(
        {
          port: wholeNumber('--port', values.port, PORT_RANGE),
          ...optional('--shards', values.shards, LOCAL_SHARD_RANGE, (shards) => ({ shards })),
          dataDir: values['data-dir'],
          fresh: values.fresh,
          ...optional('--buffer-seconds', values['buffer-seconds'], BUFFER_SECONDS_RANGE, (bufferIntervalSeconds) => ({
            bufferIntervalSeconds,
          })),
          ...userIdMode(values['user-id-mode']),
        },
        out,
      );
      return 0;
    }
    case 'produce': {
      const { values } = flags(rest, {
        ...WORKLOAD,
        stream: { type: 'string' },
        endpoint: { type: 'string' },
        region: { type: 'string' },
        aggregate: { type: 'boolean', default: false },
        'refused-dir': { type: 'string', default: '.clickstream-refused' },
      });
      if (!values.stream) throw new UsageError('produce needs --stream NAME (the local stream is clickstream-events)');
      const v: Values = values;
      const result = await produce(
        {
          ...workload(v),
          stream: values.stream,
          ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
          ...(values.region !== undefined ? { region: nonEmpty('--region', values.region) } : {}),
          aggregate: values.aggregate,
          refusedDir: nonEmpty('--refused-dir', values['refused-dir']),
        },
        (line) => process.stderr.write(`${line}\n`),
      );
      const refused = result.refusedDir
        ? `; refused ${result.refused} of ${result.lines} lines as too large for a Kinesis record, kept in ${result.refusedDir}`
        : '';
      out(`put ${result.records} events in ${result.kinesisRecords} Kinesis records on ${values.stream}${refused}`);
      return 0;
    }
    case 'query': {
      const { values, positionals } = flagsAndNames(rest, { ...COMMON, from: { type: 'string' }, to: { type: 'string' } });
      if (positionals.length !== 1) throw new UsageError(`query needs one NAME or FILE.sql; the shipped queries are:\n${listQueries()}`);
      out(formatRows(await runNamedQuery(positionals[0]!, values['data-dir'], queryRange(values.from, values.to))));
      return 0;
    }
    case 'export': {
      const { values, positionals } = flagsAndNames(rest, { ...COMMON, endpoint: { type: 'string' } });
      const what = positionals[0];
      if (positionals.length !== 1 || (what !== 'sessions' && what !== 'metrics')) throw new UsageError('export needs sessions or metrics');
      for (const row of await readExport(what, values['data-dir'], values.endpoint)) out(JSON.stringify(row));
      return 0;
    }
    case 'redrive': {
      const { values } = flags(rest, {
        'data-dir': { type: 'string' },
        stack: { type: 'string' },
        region: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'max-event-age-hours': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
      });
      const o = {
        ...(values.from !== undefined ? { from: values.from } : {}),
        ...(values.to !== undefined ? { to: values.to } : {}),
        ...optional('--max-event-age-hours', values['max-event-age-hours'], { min: 1 }, (maxEventAgeHours) => ({ maxEventAgeHours })),
        dryRun: values['dry-run'],
      };
      if (values.stack !== undefined) {
        if (values['data-dir'] !== undefined) throw new UsageError('redrive takes --stack NAME or --data-dir DIR, not both');
        await redriveStack({
          ...o,
          stack: nonEmpty('--stack', values.stack),
          ...(values.region !== undefined ? { region: values.region } : {}),
        });
      } else {
        if (values.region !== undefined) throw new UsageError('--region goes with --stack NAME');
        await redriveLocal({ ...o, dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR });
      }
      return 0;
    }
    case 'forget': {
      const { values } = flags(rest, {
        ...COMMON,
        user: { type: 'string', multiple: true, default: [] },
        'users-file': { type: 'string' },
        stack: { type: 'string' },
        region: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        reference: { type: 'string' },
      });
      if (values.region !== undefined && values.stack === undefined) throw new UsageError('--region goes with --stack NAME');
      return forgetCommand(
        {
          users: userIds(values.user, values['users-file']),
          where:
            values.stack !== undefined
              ? { stack: nonEmpty('--stack', values.stack), region: values.region }
              : { dataDir: values['data-dir'] },
          dryRun: values['dry-run'],
          ...(values.reference !== undefined ? { reference: values.reference } : {}),
        },
        out,
      );
    }
    case 'cost': {
      const { values } = flags(rest, {
        'events-per-month': { type: 'string' },
        'avg-event-bytes': { type: 'string' },
        'storage-class': { type: 'string' },
      });
      if (!values['events-per-month']) throw new UsageError('cost needs --events-per-month N');
      out(
        costReport(
          wholeNumber('--events-per-month', values['events-per-month'], { min: 1 }),
          values['avg-event-bytes'] !== undefined
            ? wholeNumber('--avg-event-bytes', values['avg-event-bytes'], { min: 1, max: 1024 * 1024 })
            : undefined,
          storageClass(values['storage-class']),
        ),
      );
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  }
}

function workload(v: Values): { input?: string; users: number; events: number; seed: number; rate?: number } {
  return {
    ...(typeof v['input'] === 'string' ? { input: nonEmpty('--input', v['input']) } : {}),
    users: wholeNumber('--users', String(v['users']), { min: 1 }),
    events: wholeNumber('--events', String(v['events']), { min: 1 }),
    seed: wholeNumber('--seed', String(v['seed']), { min: 0 }),
    ...(typeof v['rate'] === 'string' ? { rate: wholeNumber('--rate', v['rate'], { min: 1 }) } : {}),
  };
}

/** A flag given as a whole number within its range becomes `make(n)`; an absent one adds nothing. */
function optional<T>(flag: string, raw: string | undefined, range: Range, make: (n: number) => T): T | Record<string, never> {
  return raw === undefined ? {} : make(wholeNumber(flag, raw, range));
}

function nonEmpty(flag: string, raw: string): string {
  if (raw.trim() === '') throw new UsageError(`${flag} must not be empty`);
  return raw;
}

function faults(spec: string) {
  try {
    return parseFaults(spec);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function archiveFormat(raw: string): 'json' | 'parquet' {
  if (raw === 'json' || raw === 'parquet') return raw;
  throw new UsageError(`--archive-format must be json or parquet; got ${JSON.stringify(raw)}`);
}

/** The command's flags, strictly: an unknown flag is an error that names it. */
function flags<O extends FlagOptions>(args: string[], options: O) {
  return parseArgs({ args, strict: true, options });
}

/** The command's flags and its positional names (a query name, what to export). */
function flagsAndNames<O extends FlagOptions>(args: string[], options: O) {
  return parseArgs({ args, strict: true, allowPositionals: true, options });
}

/** `--user-id-mode keep|hash`; absent adds nothing (the data directory's own mode). */
function userIdMode(raw: string | undefined): { userIdMode?: UserIdMode } {
  if (raw === undefined) return {};
  const found = USER_ID_MODES.find((m) => m === raw);
  if (!found) throw new UsageError(`--user-id-mode must be ${USER_ID_MODES.join(' or ')}; got ${JSON.stringify(raw)}`);
  return { userIdMode: found };
}

function storageClass(raw: string | undefined): ArchiveStorageClass | undefined {
  if (raw === undefined) return undefined;
  const found = ARCHIVE_STORAGE_CLASSES.find((c) => c === raw);
  if (!found) throw new UsageError(`--storage-class must be one of ${ARCHIVE_STORAGE_CLASSES.join(', ')}; got ${JSON.stringify(raw)}`);
  return found;
}

// package-lock.json pins an SDK that supports Node 20; its notice about 2027 releases is not for this run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// CloudWatch EMF goes to stdout and has no reader locally; the report and --summary-json carry the same counts.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

/** Exits once stdout has taken everything written to it: a pipe may still be draining. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(exitAfterFlush, (err: unknown) => {
  const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
  process.stderr.write(`clickstream: ${err instanceof Error ? err.message : String(err)}\n`);
  // CLICKSTREAM_DEBUG=1 adds the stack of an error that is not a usage or data-directory error.
  if (process.env.CLICKSTREAM_DEBUG && err instanceof Error && !usage && !(err instanceof DataDirError))
    process.stderr.write(`${err.stack}\n`);
  exitAfterFlush(usage ? 2 : 1);
});
