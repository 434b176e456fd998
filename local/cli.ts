/** The `clickstream` command line: the local runtime and tools for the archive and the tables. */
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR } from './data-dir';
import { readExport } from './commands/export';
import { produce } from './commands/produce';
import { formatRows, listQueries, queryRange, runNamedQuery } from './commands/query';
import { costReport } from './commands/cost';
import { ARCHIVE_STORAGE_CLASSES } from '../stacks/config';
import type { ArchiveStorageClass } from '../stacks/config';
import { parseFaults } from './faults';
import { run } from './commands/run';
import { up } from './commands/up';

const USAGE = `clickstream: the clickstream pipeline on this machine

  clickstream run [--input FILE|-] [--users N] [--events N] [--seed S] [--rate EPS]
                  [--shards N] [--data-dir DIR] [--fresh] [--archive-format json|parquet]
                  [--buffer-seconds S] [--buffer-mb M] [--batch-size N] [--summary-json FILE]
                  [--faults SPEC]
      Start the emulators, put the workload on the stream (default: 50000 synthetic
      records from 2500 users), run both consumers until the stream is drained and
      every Firehose buffer is written, and print the report.

  clickstream up [--port P] [--shards N] [--data-dir DIR] [--fresh] [--buffer-seconds S]
      Start the emulators (Kinesis on P, DynamoDB on P+1; default 4567) and both
      consumers, and keep running until Ctrl-C, for your own producer.

  clickstream produce --stream NAME [--endpoint URL] [--region R] [--input FILE|-]
                      [--users N] [--events N] [--seed S] [--rate EPS] [--aggregate]
      Put events on any stream; without --endpoint, on real AWS with the default
      credential chain. --aggregate packs records as the KPL does.

  clickstream query NAME|FILE.sql [--from DATE] [--to DATE] [--data-dir DIR]
      Run a shipped named query (or a SQL file) over the local archive with DuckDB,
      for the event dates from --from to --to (yyyy-MM-dd, UTC, inclusive; default:
      the last 7 days). Only those days' objects are read.

  clickstream export sessions|metrics [--data-dir DIR] [--endpoint URL]
      Print the local DynamoDB state as newline-delimited JSON.

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
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: {
          ...COMMON, ...WORKLOAD,
          shards: { type: 'string', default: '2' },
          fresh: { type: 'boolean', default: false },
          'summary-json': { type: 'string' },
          'batch-size': { type: 'string' },
          'archive-format': { type: 'string', default: 'json' },
          'buffer-seconds': { type: 'string' },
          'buffer-mb': { type: 'string' },
          faults: { type: 'string' },
        },
      });
      const v: Values = values;
      await run({
        ...workload(v),
        shards: positive('--shards', values.shards),
        dataDir: values['data-dir'],
        fresh: values.fresh,
        ...(values['summary-json'] ? { summaryJson: values['summary-json'] } : {}),
        ...(values['batch-size'] ? { batchSize: positive('--batch-size', values['batch-size']) } : {}),
        archiveFormat: archiveFormat(values['archive-format']),
        ...(values['buffer-seconds'] ? { bufferIntervalSeconds: positive('--buffer-seconds', values['buffer-seconds']) } : {}),
        ...(values['buffer-mb'] ? { bufferSizeMb: positive('--buffer-mb', values['buffer-mb']) } : {}),
        ...(values.faults ? { faults: parseFaults(values.faults) } : {}),
      });
      return 0;
    }
    case 'up': {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: { ...COMMON, port: { type: 'string', default: '4567' }, shards: { type: 'string', default: '2' }, fresh: { type: 'boolean', default: false }, 'buffer-seconds': { type: 'string' } },
      });
      await up({
        port: positive('--port', values.port),
        shards: positive('--shards', values.shards),
        dataDir: values['data-dir'],
        fresh: values.fresh,
        ...(values['buffer-seconds'] ? { bufferIntervalSeconds: positive('--buffer-seconds', values['buffer-seconds']) } : {}),
      }, out);
      return 0;
    }
    case 'produce': {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: { ...WORKLOAD, stream: { type: 'string' }, endpoint: { type: 'string' }, region: { type: 'string' }, aggregate: { type: 'boolean', default: false } },
      });
      if (!values.stream) throw new UsageError('produce needs --stream NAME (the local stream is clickstream-events)');
      const v: Values = values;
      const result = await produce({
        ...workload(v),
        stream: values.stream,
        ...(values.endpoint ? { endpoint: values.endpoint } : {}),
        ...(values.region ? { region: values.region } : {}),
        aggregate: values.aggregate,
      }, (line) => process.stderr.write(`${line}\n`));
      out(`put ${result.records} events in ${result.kinesisRecords} Kinesis records on ${values.stream}`);
      return 0;
    }
    case 'query': {
      const { values, positionals } = parseArgs({ args: rest, strict: true, allowPositionals: true, options: { ...COMMON, from: { type: 'string' }, to: { type: 'string' } } });
      if (positionals.length !== 1) throw new UsageError(`query needs one NAME or FILE.sql; the shipped queries are:\n${listQueries()}`);
      out(formatRows(await runNamedQuery(positionals[0]!, values['data-dir'], queryRange(values.from, values.to))));
      return 0;
    }
    case 'export': {
      const { values, positionals } = parseArgs({ args: rest, strict: true, allowPositionals: true, options: { ...COMMON, endpoint: { type: 'string' } } });
      const what = positionals[0];
      if (positionals.length !== 1 || (what !== 'sessions' && what !== 'metrics')) throw new UsageError('export needs sessions or metrics');
      for (const row of await readExport(what, values['data-dir'], values.endpoint)) out(JSON.stringify(row));
      return 0;
    }
    case 'cost': {
      const { values } = parseArgs({ args: rest, strict: true, options: { 'events-per-month': { type: 'string' }, 'avg-event-bytes': { type: 'string' }, 'storage-class': { type: 'string' } } });
      if (!values['events-per-month']) throw new UsageError('cost needs --events-per-month N');
      out(costReport(positive('--events-per-month', values['events-per-month']), values['avg-event-bytes'] ? positive('--avg-event-bytes', values['avg-event-bytes']) : undefined, storageClass(values['storage-class'])));
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
    ...(typeof v['input'] === 'string' ? { input: v['input'] } : {}),
    users: positive('--users', String(v['users'])),
    events: positive('--events', String(v['events'])),
    seed: positive('--seed', String(v['seed']), 0),
    ...(typeof v['rate'] === 'string' ? { rate: positive('--rate', v['rate']) } : {}),
  };
}

function archiveFormat(raw: string): 'json' | 'parquet' {
  if (raw === 'json' || raw === 'parquet') return raw;
  throw new UsageError(`--archive-format must be json or parquet; got ${JSON.stringify(raw)}`);
}

function positive(flag: string, raw: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number of at least ${min}; got ${JSON.stringify(raw)}`);
  return n;
}

function storageClass(raw: string | undefined): ArchiveStorageClass | undefined {
  if (raw === undefined) return undefined;
  const found = ARCHIVE_STORAGE_CLASSES.find((c) => c === raw);
  if (!found) throw new UsageError(`--storage-class must be one of ${ARCHIVE_STORAGE_CLASSES.join(', ')}; got ${JSON.stringify(raw)}`);
  return found;
}

class UsageError extends Error {}

// package-lock.json pins an SDK that supports Node 20; its notice about 2027 releases is not for this run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// CloudWatch EMF goes to stdout and has no reader locally; the report and --summary-json carry the same counts.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

/** Exits once stdout has taken everything written to it: a pipe may still be draining. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(`clickstream: ${err instanceof Error ? err.message : String(err)}\n`);
  exitAfterFlush(err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1);
});
