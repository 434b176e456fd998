/** The `clickstream` command line: the local runtime and tools for the archive and the tables. */
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR } from './data-dir';
import { run } from './commands/run';

const USAGE = `clickstream: run the clickstream pipeline locally

  clickstream run [--input FILE|-] [--users N] [--events N] [--seed S] [--rate EPS]
                  [--shards N] [--data-dir DIR] [--fresh] [--summary-json FILE]

  run   start the emulators, put the workload on the stream, run the consumers until
        the stream is drained, and print the report (default: 20000 synthetic events)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command === 'run') {
    const { values } = parseArgs({
      args: rest,
      options: {
        input: { type: 'string' },
        users: { type: 'string', default: '1000' },
        events: { type: 'string', default: '20000' },
        seed: { type: 'string', default: '42' },
        rate: { type: 'string' },
        shards: { type: 'string', default: '2' },
        'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
        fresh: { type: 'boolean', default: false },
        'summary-json': { type: 'string' },
        'batch-size': { type: 'string' },
        'archive-format': { type: 'string', default: 'json' },
        'buffer-seconds': { type: 'string' },
        'buffer-mb': { type: 'string' },
      },
      strict: true,
    });
    await run({
      ...(values.input ? { input: values.input } : {}),
      users: positive('--users', values.users),
      events: positive('--events', values.events),
      seed: positive('--seed', values.seed, 0),
      ...(values.rate ? { rate: positive('--rate', values.rate) } : {}),
      shards: positive('--shards', values.shards),
      dataDir: values['data-dir'],
      fresh: values.fresh,
      ...(values['summary-json'] ? { summaryJson: values['summary-json'] } : {}),
      ...(values['batch-size'] ? { batchSize: positive('--batch-size', values['batch-size']) } : {}),
      archiveFormat: archiveFormat(values['archive-format']),
      ...(values['buffer-seconds'] ? { bufferIntervalSeconds: positive('--buffer-seconds', values['buffer-seconds']) } : {}),
      ...(values['buffer-mb'] ? { bufferSizeMb: positive('--buffer-mb', values['buffer-mb']) } : {}),
    });
    return 0;
  }
  process.stderr.write(`clickstream: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  return 2;
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

class UsageError extends Error {}

// package-lock.json pins an SDK that supports Node 20; its notice about 2027 releases is not for this run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// CloudWatch EMF goes to stdout and has no reader locally; the report and --summary-json carry the same counts.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`clickstream: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
