/**
 * `npm run bench`: speed, AWS requests and cost, each beside the figure it is compared with, measured in
 * one run on the seeded synthetic workload (seed 42). Prints a table and, with `--json FILE`, the same
 * figures as JSON. Each target is printed next to its figure, and missed ones are named.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { run } from '../local/commands/run';
import type { RunSummary } from '../local/commands/run';
import { table } from '../local/runtime/report';
import { syntheticWorkload } from '../local/workload/synthetic';
import { measureColdStarts } from './cold-start';
import { measureCompute } from './compute';
import { DYNAMODB_LATENCY, DYNAMODB_PARTITIONS, SHARD_WRITE_RECORDS_PER_SECOND, catchUpSeconds, measureCapacity } from './capacity';
import { DEFAULT_CONFIG } from '../stacks/config';
import { FUNCTION_NODE_OPTIONS, INIT_TARGET_MS, MAX_BUNDLE_KB } from '../stacks/function-bundling';
import { DEFAULT_RATES, DEPLOYED_SETTINGS, alarmMetricsOf, perEventCost, pipelineCost } from '../local/cost/cost-model';
import type { Rates } from '../local/cost/cost-model';
import { PRICES } from '../local/cost/prices';
import { TRACKER_GZIP_TARGET_BYTES, buildTracker } from '../tracker/build';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const SEED = 42;
const WORKLOAD = { users: 2500, events: 50_000 };
/** Records of each capacity run: enough for some 40 invocations at the default batch size. */
const CAPACITY_EVENTS = 20_000;

interface Check {
  readonly section: string;
  readonly figure: string;
  readonly value: number;
  readonly target: string;
  readonly met: boolean;
  /** What the run measured that explains a miss. */
  readonly why?: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'string' } }, strict: true });
  const started = Date.now();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(
    `npm run bench: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, workload: synthetic seed ${SEED}, ${WORKLOAD.events} records from ${WORKLOAD.users} users`,
  );
  const checks: Check[] = [];
  const check = (section: string, figure: string, value: number, target: string, met: boolean, why?: string) =>
    checks.push({ section, figure, value, target, met, ...(why ? { why } : {}) });

  // 1. Compute throughput on one core.
  say('\n1. Compute throughput, one core, in-memory stores (median of 7)');
  const now = Date.now();
  const workload = syntheticWorkload({ ...WORKLOAD, seed: SEED, nowMs: now });
  const compute = await measureCompute(workload.records, now);
  say(
    table(
      ['', 'events/s', 'of the JSON floor'],
      [
        ['JSON floor (base64 + parse + stringify)', compute.floorEps, '1.00'],
        [
          'session-processor (decode, validate, sessionize, aggregate)',
          compute.sessionProcessorEps,
          (compute.sessionProcessorEps / compute.floorEps).toFixed(2),
        ],
        [
          'firehose-transform (decode, validate, enrich, serialize)',
          compute.transformEps,
          (compute.transformEps / compute.floorEps).toFixed(2),
        ],
      ],
    ),
  );
  for (const [name, eps, target] of [
    ['session-processor / floor', compute.sessionProcessorEps, 0.35],
    ['firehose-transform / floor', compute.transformEps, 0.3],
  ] as const) {
    check('1', name, eps / compute.floorEps, `>= ${target.toFixed(2)}`, eps / compute.floorEps >= target);
  }

  // 2 and 4. The full local pipeline: requests, then end-to-end speed and latency at a steady rate.
  say('\n2. AWS requests through the full local pipeline (default workload, default buffering)');
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const full = await run({ ...WORKLOAD, seed: SEED, shards: 2, dataDir: join(dir, 'full'), fresh: true, quiet: true });
  const r = full.aws_requests;
  const valid = full.valid;
  const per1000 = (n: number) => Math.round((n / valid) * 1000 * 100) / 100;
  const ddbRequests = Object.values(r.dynamodb).reduce((a, b) => a + b, 0);
  say(
    table(
      ['per 1,000 valid events', 'this pipeline', 'per-event design'],
      [
        ...Object.entries(r.dynamodb)
          .sort()
          .map(([k, v]): [string, number, string] => [`DynamoDB ${k.replace('Command', '')}`, per1000(v), '']),
        ['DynamoDB requests', per1000(ddbRequests), '3000'],
        ['DynamoDB write units', per1000(r.dynamodb_write_units), '2000'],
        ['DynamoDB read units', per1000(r.dynamodb_read_units), '1000'],
        ['S3 objects', per1000(r.s3_objects), '1000'],
        ['Kinesis PutRecords (producer)', per1000(r.kinesis_put_records_calls), ''],
        ['Kinesis GetRecords (both consumers)', per1000(r.kinesis_consumers['GetRecordsCommand'] ?? 0), ''],
        ['requests (DynamoDB + S3)', r.per_1000_valid_events, '4000'],
      ],
    ),
  );
  check(
    '2',
    'requests per 1,000 valid events / per-event design',
    r.per_1000_valid_events / 4000,
    '<= 0.15',
    r.per_1000_valid_events / 4000 <= 0.15,
  );
  check('2', 'S3 objects per 1,000 events', per1000(r.s3_objects), '<= 1', per1000(r.s3_objects) <= 1);

  say(
    `\n3. Cold-start proxy: bundles as the stack builds them, run with its NODE_OPTIONS (${FUNCTION_NODE_OPTIONS.join(' ')}); load and init over a bare \`node -e 0\` (median of 12)`,
  );
  const cold = measureColdStarts(12);
  say(
    table(
      ['function', 'bundle KB', 'init ms'],
      cold.map((c) => [c.name, Math.round(c.bundleBytes / 102.4) / 10, c.initMs]),
    ),
  );
  for (const c of cold) {
    check('3', `${c.name} bundle KB`, c.bundleBytes / 1024, `<= ${MAX_BUNDLE_KB}`, c.bundleBytes <= MAX_BUNDLE_KB * 1024);
    check('3', `${c.name} init ms`, c.initMs, `<= ${INIT_TARGET_MS}`, c.initMs <= INIT_TARGET_MS);
  }

  say('\n4. Local end-to-end (clickstream run: produce, both consumers, flush)');
  const steady = await run({
    users: 800,
    events: 15_000,
    seed: SEED,
    rate: 1000,
    shards: 2,
    dataDir: join(dir, 'steady'),
    fresh: true,
    quiet: true,
  });
  say(
    table(
      ['', 'records/s', 'put to session p50 ms', 'p95 ms'],
      [
        ['as fast as possible (section 2 run)', full.events_per_second, full.put_to_session_ms.p50, full.put_to_session_ms.p95],
        ['steady 1,000 records/s, 15,000 records', steady.events_per_second, steady.put_to_session_ms.p50, steady.put_to_session_ms.p95],
      ],
    ),
  );
  check('4', 'local end-to-end records/s', full.events_per_second, '>= 1000', full.events_per_second >= 1000);

  say(`\n5. Cost per month (${PRICES.region} list prices read ${PRICES.readOn}, local/cost/prices.ts)`);
  const rates = measuredRates(
    full,
    compute.enrichedBytes,
    workload.records.reduce((n, x) => n + x.data.length, 0) / workload.records.length,
  );
  const rows = [3e6, 30e6, 300e6].map((n) => {
    const ours = pipelineCost(n, rates);
    const theirs = perEventCost(n, rates);
    return { n, ours: ours.total, theirs: theirs.total, shards: ours.shards };
  });
  say(
    table(
      ['events per month', 'shards', 'this pipeline $', 'per-event design $', 'ratio'],
      rows.map((x) => [x.n.toLocaleString('en-US'), x.shards, x.ours, x.theirs, (x.ours / x.theirs).toFixed(2)]),
    ),
  );
  say(`  rates used: ${JSON.stringify(rates)}`);
  // At 3 million events the fixed costs dominate: each line, and the total without the collector API.
  const small = pipelineCost(3e6, rates);
  const withoutCollector = pipelineCost(3e6, rates, { ...DEPLOYED_SETTINGS, collector: false, alarmMetrics: alarmMetricsOf(false) });
  say(
    table(
      ['at 3 million events', 'USD/month'],
      small.lines.map((l) => [l.item, l.usd]),
    ),
  );
  say(`  without the collector API (events put on the stream directly): $${withoutCollector.total.toFixed(2)}`);
  const fixedItems = ['Kinesis shards', 'KMS key (alarm topic)'];
  const fixed = small.lines.filter((l) => fixedItems.includes(l.item)).reduce((t, l) => t + l.usd, 0);
  const collectorUsd = small.total - withoutCollector.total;
  check(
    '5',
    'cost at 3 million events, $',
    rows[0]!.ours,
    '<= 18',
    rows[0]!.ours <= 18,
    `a shard and the alarm topic's key are $${fixed.toFixed(2)} before any event, the collector API $${collectorUsd.toFixed(2)}; without it $${withoutCollector.total.toFixed(2)}`,
  );
  check('5', 'cost at 30 million events, $', rows[1]!.ours, '<= 150', rows[1]!.ours <= 150);

  say('\n6. Browser tracker, minified and gzipped (level 9)');
  const tracker = await buildTracker();
  say(
    table(
      ['', 'bytes', 'target'],
      [
        ['tracker.js (one <script> tag)', tracker.scriptGzipBytes, `<= ${TRACKER_GZIP_TARGET_BYTES}`],
        ['tracker.mjs (ES module)', tracker.moduleGzipBytes, ''],
      ],
    ),
  );
  check(
    '6',
    'tracker.js gzipped bytes',
    tracker.scriptGzipBytes,
    `<= ${TRACKER_GZIP_TARGET_BYTES}`,
    tracker.scriptGzipBytes <= TRACKER_GZIP_TARGET_BYTES,
  );

  say(
    `\n7. Capacity of one shard's consumer: the session-processor's batch path against DynamoDB (${DYNAMODB_PARTITIONS} dynalite processes, users spread by a hash of their id) behind a latency model (bench/capacity.ts), ${CAPACITY_EVENTS.toLocaleString('en-US')} records back to back`,
  );
  const capacityWorkload = syntheticWorkload({ ...WORKLOAD, events: CAPACITY_EVENTS, seed: SEED, nowMs: now });
  const capacity = await measureCapacity(capacityWorkload.records, now, [100, 500, 1000]);
  say(
    table(
      [
        'batch size',
        'DynamoDB latency',
        'events/s',
        'x shard write limit',
        'x 500/s',
        'ms per invocation',
        'requests',
        'CPU ms: consumer',
        'emulators',
      ],
      capacity.map((c) => [
        c.batchSize,
        c.latency === 'model' ? 'modelled' : 'emulator only',
        c.eventsPerSecond,
        (c.eventsPerSecond / SHARD_WRITE_RECORDS_PER_SECOND).toFixed(2),
        (c.eventsPerSecond / 500).toFixed(2),
        c.invocationMs,
        c.requests,
        c.consumerCpuMs,
        c.emulatorCpuMs,
      ]),
    ),
  );
  say(
    `  latency model (p50/p99 ms): ${Object.entries(DYNAMODB_LATENCY)
      .map(([op, l]) => `${op} ${l.p50Ms}/${l.p99Ms}`)
      .join(', ')}`,
  );
  const atDefault = capacity.find((c) => c.latency === 'model' && c.batchSize === DEFAULT_CONFIG.batchSize)!;
  const backlog = 3600 * SHARD_WRITE_RECORDS_PER_SECOND;
  const catchUp = (incoming: number) => catchUpSeconds(backlog, atDefault.eventsPerSecond, incoming) / 60;
  say(
    `  catch-up after a one-hour backlog at the full write rate (${backlog.toLocaleString('en-US')} records), batch size ${atDefault.batchSize}: ` +
      `${catchUp(0).toFixed(0)} min with the producers stopped, ${catchUp(500).toFixed(0)} min while they write 500/s, ${catchUp(SHARD_WRITE_RECORDS_PER_SECOND).toFixed(0)} min while they write at the full 1,000/s`,
  );
  check(
    '7',
    `events/s at batch size ${atDefault.batchSize} / shard write limit`,
    atDefault.eventsPerSecond / SHARD_WRITE_RECORDS_PER_SECOND,
    '>= 5',
    atDefault.eventsPerSecond >= 5 * SHARD_WRITE_RECORDS_PER_SECOND,
    `an invocation of ${atDefault.invocationMs} ms took ${atDefault.consumerCpuMs} ms of the consumer's CPU (the SDK's work for ${Math.round(atDefault.requests / (atDefault.events / atDefault.batchSize))} requests) and ${atDefault.emulatorCpuMs} ms of the emulators' on the same cores`,
  );

  say('\nTargets');
  say(
    table(
      ['section', 'figure', 'value', 'target', 'met'],
      checks.map((c) => [c.section, c.figure, Math.round(c.value * 100) / 100, c.target, c.met ? 'yes' : 'MISSED']),
    ),
  );
  const missed = checks.filter((c) => !c.met);
  say(missed.length === 0 ? '  every target met' : '  missed (see README, Performance and cost):');
  for (const c of missed) say(`  - ${c.figure}: ${c.why ?? 'see README'}`);
  say(`\nbench took ${Math.round((Date.now() - started) / 1000)} s`);
  if (values.json)
    writeFileSync(
      values.json,
      `${JSON.stringify({ compute, requests: full.aws_requests, valid, coldStarts: cold, endToEnd: { full: { eps: full.events_per_second, ...full.put_to_session_ms }, steady: { eps: steady.events_per_second, ...steady.put_to_session_ms } }, cost: rows, costAt3Million: { lines: small.lines, total: small.total, withoutCollector: withoutCollector.total }, rates, capacity, checks }, null, 2)}\n`,
    );
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Per-event rates for the cost model from the measured run: bytes from the workload and the archive;
 * capacity units per item from the DynamoDB requests (every write is a PutItem: states, closed sessions,
 * windows and markers take their mean, which is conservative for the small ones); Lambda time stays the
 * model's default.
 */
function measuredRates(s: RunSummary, enrichedBytes: number, eventBytes: number): Rates {
  const r = s.aws_requests;
  const units = r.dynamodb_units_by_operation;
  const perItem = r.dynamodb_write_units / Math.max(1, r.dynamodb_items_written);
  const perKey = (units['BatchGetItemCommand'] ?? 0) / Math.max(1, r.dynamodb_keys_read);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    ...DEFAULT_RATES,
    eventBytes: Math.round(eventBytes),
    archiveBytesPerEvent: Math.round(s.archive_bytes / Math.max(1, s.archived)),
    enrichedBytesPerEvent: enrichedBytes,
    stateWriteUnits: round(perItem),
    sessionWriteUnits: round(perItem),
    stateReadUnits: round(perKey),
    windowWriteUnits: round(perItem),
    eventsPerSession: round(s.applied / Math.max(1, s.session_stats.sessions)),
  };
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
