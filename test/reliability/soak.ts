/**
 * Soak: the local pipeline at a steady rate for a while (default 10 minutes at 1,000 records/s), sampling
 * resident memory and each consumer's lag, then draining and checking conservation on both paths.
 * `npx tsx test/reliability/soak.ts [--minutes M] [--rate EPS]`. Each minute's records are a new synthetic
 * chunk whose timestamps again span the last 24 hours, so many events arrive after their user's session
 * moved on and count as late: a load test of counting, not of sessionization.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDataDir } from '../../local/runtime/data-dir';
import { LOCAL_NAMES, LocalPipeline } from '../../local/runtime/pipeline';
import { putAll } from '../../local/producer/producer';
import { allWindows } from '../../local/runtime/read-tables';
import { sessionPathTotals, table } from '../../local/runtime/report';
import { syntheticWorkload } from '../../local/workload/synthetic';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, rate: { type: 'string', default: '1000' } } });
  const minutes = Number(values.minutes);
  const rate = Number(values.rate);
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const pipeline = await LocalPipeline.start({ dataDir: openDataDir(join(dir, 'data'), true), shards: 2 });
  pipeline.startConsumers();
  const started = Date.now();
  let put = 0;
  const samples: Array<[number, number, number, number]> = [];
  const sample = () => {
    const s = pipeline.sessionSource.stats.recordsDelivered;
    samples.push([
      Math.round((Date.now() - started) / 1000),
      Math.round(process.memoryUsage().rss / 1024 / 1024),
      put - Math.min(put, s),
      put - Math.min(put, pipeline.archive.outcomes.ok + pipeline.archive.outcomes.failed),
    ]);
  };
  const timer = setInterval(sample, 30_000);
  for (let chunk = 0; Date.now() - started < minutes * 60_000; chunk += 1) {
    const records = syntheticWorkload({
      users: Math.ceil((rate * 60) / 10),
      events: rate * 60,
      seed: chunk + 1,
      nowMs: Date.now(),
    }).records;
    await putAll(pipeline.kinesis, pipeline.stream.name, records, { rate, onProgress: (n) => (put = chunk * rate * 60 + n) });
  }
  clearInterval(timer);
  await pipeline.drain();
  sample();
  const t = sessionPathTotals(await allWindows(pipeline.dynamodb, LOCAL_NAMES.metricsTable));
  const archive = pipeline.archive.outcomes;
  await pipeline.stop();
  rmSync(dir, { recursive: true, force: true });
  const sessionOk = put === t.applied + t.duplicates + t.late + t.refused;
  const archiveOk = put === archive.ok + archive.failed + archive.dropped;
  process.stdout.write(`soak: ${minutes} min at ${rate} records/s, ${put} records\n`);
  process.stdout.write(`${table(['seconds', 'RSS MB', 'session lag', 'archive lag'], samples)}\n`);
  process.stdout.write(
    `conservation: session path ${sessionOk ? 'holds' : 'DOES NOT HOLD'}, archive path ${archiveOk ? 'holds' : 'DOES NOT HOLD'}\n`,
  );
  return sessionOk && archiveOk ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
