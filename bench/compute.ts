/**
 * Compute throughput of each handler on one core, AWS replaced by in-memory stores, beside the floor any
 * JSON pipeline pays for the same records: base64-decode, JSON.parse and JSON.stringify.
 */
import type { FirehoseTransformationEvent, KinesisStreamRecord } from 'aws-lambda';
import { loadConfig as transformConfig } from '../functions/firehose-transform/config';
import { UserAgentCache } from '../functions/firehose-transform/enrich/user-agent';
import { transformBatch } from '../functions/firehose-transform/transform-batch';
import { loadConfig as processorConfig } from '../functions/session-processor/config';
import { processBatch } from '../functions/session-processor/process-batch';
import type { WorkloadRecord } from '../local/workload/synthetic';
import { MemorySessionStore } from '../functions/session-processor/memory-store';
import { shardRecords } from './shard-records';

export interface ComputeResult {
  readonly events: number;
  readonly floorEps: number;
  readonly sessionProcessorEps: number;
  readonly transformEps: number;
  /** Mean size of an enriched row, bytes. */
  readonly enrichedBytes: number;
}

const BATCH = 500;

/**
 * Medians of events per second of each function over `repeat` rounds. Each round times every function once,
 * in turn, so that the machine's drift during the run touches all of them alike.
 */
async function medians(events: number, repeat: number, fns: ReadonlyArray<() => Promise<void> | void>): Promise<number[]> {
  for (const fn of fns) await fn(); // warm-up: JIT, caches
  const rates = fns.map((): number[] => []);
  for (let i = 0; i < repeat; i += 1) {
    for (const [k, fn] of fns.entries()) {
      const t = process.hrtime.bigint();
      await fn();
      rates[k]!.push(events / (Number(process.hrtime.bigint() - t) / 1e9));
    }
  }
  return rates.map((r) => Math.round([...r].sort((a, b) => a - b)[r.length >> 1]!));
}

export async function measureCompute(records: readonly WorkloadRecord[], nowMs: number, repeat = 7): Promise<ComputeResult> {
  const arrival = nowMs / 1000;
  const kinesis: KinesisStreamRecord[][] = [];
  const firehose: FirehoseTransformationEvent[] = [];
  for (let i = 0; i < records.length; i += BATCH) {
    const slice = records.slice(i, i + BATCH);
    kinesis.push(shardRecords(slice, arrival, i));
    firehose.push({
      invocationId: 'bench',
      deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/bench',
      region: 'us-east-1',
      records: slice.map((r, k) => ({ recordId: String(i + k), approximateArrivalTimestamp: nowMs, data: r.data.toString('base64') })),
    });
  }
  const n = records.length;
  const encoded = kinesis.flat().map((r) => r.kinesis.data);

  const floor = () => {
    for (const data of encoded) {
      try {
        JSON.stringify(JSON.parse(Buffer.from(data, 'base64').toString('utf8')));
      } catch {
        // The workload's invalid records: the floor pays the failed parse, as the handlers do.
      }
    }
  };

  const config = processorConfig({ SESSIONS_TABLE: 'bench', METRICS_TABLE: 'bench' });
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const sessionProcessor = async () => {
    const store = new MemorySessionStore();
    for (const batch of kinesis) await processBatch(batch, { store, log, rules: config.rules, bounds: config.bounds });
  };

  const settings = transformConfig({});
  const agents = new UserAgentCache();
  let enrichedBytes = 0;
  const transform = () => {
    let bytes = 0;
    for (const event of firehose) {
      const { result } = transformBatch(event, agents, settings, log);
      for (const r of result.records) if (r.result === 'Ok') bytes += ((r.data?.length ?? 0) * 3) / 4;
    }
    enrichedBytes = bytes / n;
  };
  const [floorEps, sessionProcessorEps, transformEps] = (await medians(n, repeat, [floor, sessionProcessor, transform])) as [
    number,
    number,
    number,
  ];
  return { events: n, floorEps, sessionProcessorEps, transformEps, enrichedBytes: Math.round(enrichedBytes) };
}
