/**
 * `clickstream produce`: puts events on any stream, local or real AWS (no endpoint: the default credential
 * chain). With `--aggregate` it packs records as the Kinesis Producer Library does: records bound for the
 * same shard (by the MD5 of their partition key) go into one aggregate of at most 50 KiB, sent with the
 * explicit hash key of its first record, so every user's events keep their shard and their order.
 */
import { createHash } from 'node:crypto';
import { ListShardsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../runtime/aws-clients';
import { UsageError } from '../errors';
import { checkRange } from '../flags';
import { checkInputReadable, newCounts, readInput } from '../producer/input-file';
import { aggregate } from '../producer/kpl-aggregate';
import { STREAM_NAME_PATTERN } from '../limits';
import { putAll } from '../producer/producer';
import type { ProduceRecord } from '../producer/producer';
import { RefusedStore } from '../producer/refused-store';
import { syntheticWorkload } from '../workload/synthetic';

export interface ProduceOptions {
  readonly stream: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly input?: string;
  readonly users: number;
  readonly events: number;
  readonly seed: number;
  readonly rate?: number;
  readonly aggregate: boolean;
  /** Where input lines too large for a Kinesis record are kept (a folder per run, created at the first one). */
  readonly refusedDir: string;
}

export interface ProduceSummary {
  /** Input lines read (or synthetic records made). */
  readonly lines: number;
  /** Events put (inside aggregates, with --aggregate). */
  readonly records: number;
  readonly kinesisRecords: number;
  /** Lines refused before the stream, kept under `refusedDir`. */
  readonly refused: number;
  readonly refusedDir: string | null;
}

/** KPL's default aggregate size limit. */
const AGGREGATE_MAX_BYTES = 51_200;

/** Checks every option before anything is read or put. */
export function checkProduceOptions(o: ProduceOptions): void {
  if (!STREAM_NAME_PATTERN.test(o.stream))
    throw new UsageError(
      `--stream ${JSON.stringify(o.stream)} is not a Kinesis stream name: expected 1–128 characters of letters, digits, _ . -`,
    );
  if (o.endpoint !== undefined && !/^https?:\/\/[^/]+/.test(o.endpoint))
    throw new UsageError(`--endpoint ${JSON.stringify(o.endpoint)} is not a URL: expected http://HOST:PORT`);
  if (o.rate !== undefined) checkRange('--rate', o.rate, { min: 1 });
  if (o.input !== undefined) checkInputReadable(o.input);
  else {
    checkRange('--users', o.users, { min: 1 });
    checkRange('--events', o.events, { min: 1 });
  }
}

export async function produce(o: ProduceOptions, log: (line: string) => void): Promise<ProduceSummary> {
  checkProduceOptions(o);
  const store = new RefusedStore(o.refusedDir);
  const counts = newCounts();
  const records: AsyncIterable<ProduceRecord> = o.input ? readInput(o.input, store, counts) : synthetic(o, counts);
  const client = kinesisClient(o.endpoint, o.region);
  try {
    const source = o.aggregate ? aggregateByShard(client, o.stream, records) : records;
    const r = await putAll(client, o.stream, source, {
      ...(o.rate ? { rate: o.rate } : {}),
      onProgress: (n) => log(`put ${n} Kinesis records, ${counts.records} events read`),
    });
    for (const [reason, n] of Object.entries(store.byReason))
      log(`refused ${n} input lines before the stream (${reason}); kept whole in ${store.dir}`);
    return {
      lines: counts.lines,
      records: counts.records,
      kinesisRecords: r.put,
      refused: counts.refused,
      refusedDir: counts.refused > 0 ? store.dir : null,
    };
  } finally {
    client.destroy();
  }
}

async function* synthetic(o: ProduceOptions, counts: ReturnType<typeof newCounts>): AsyncGenerator<ProduceRecord> {
  for (const r of syntheticWorkload({ users: o.users, events: o.events, seed: o.seed, nowMs: Date.now() }).records) {
    counts.lines += 1;
    counts.records += 1;
    yield r;
  }
  await Promise.resolve();
}

interface Pending {
  readonly key: string;
  readonly hash: bigint;
  readonly items: Array<{ partitionKey: string; data: Buffer }>;
  bytes: number;
}

/**
 * Packs records per shard into aggregates as they stream by. A record too large to share an aggregate is
 * sent on its own, after its shard's pending aggregate, so every key keeps its order.
 */
async function* aggregateByShard(
  client: KinesisClient,
  stream: string,
  records: AsyncIterable<ProduceRecord>,
): AsyncGenerator<ProduceRecord> {
  const shards = (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
  const ranges = shards.map((s) => ({
    id: s.ShardId!,
    start: BigInt(s.HashKeyRange!.StartingHashKey!),
    end: BigInt(s.HashKeyRange!.EndingHashKey!),
  }));
  const pending = new Map<string, Pending>();
  const flush = function* (shard: string): Generator<ProduceRecord> {
    const p = pending.get(shard);
    pending.delete(shard);
    if (!p || p.items.length === 0) return;
    for (const a of aggregate(p.items)) yield { partitionKey: p.key, explicitHashKey: p.hash.toString(), data: a.data, orderKey: shard };
  };
  for await (const r of records) {
    const hash = BigInt(`0x${createHash('md5').update(r.partitionKey).digest('hex')}`);
    const shard = ranges.find((s) => hash >= s.start && hash <= s.end)?.id ?? 'unknown';
    const size = r.data.length + r.partitionKey.length + 8;
    if (size > AGGREGATE_MAX_BYTES) {
      yield* flush(shard);
      yield { ...r, orderKey: shard };
      continue;
    }
    let p = pending.get(shard);
    if (p && p.bytes + size > AGGREGATE_MAX_BYTES) {
      yield* flush(shard);
      p = undefined;
    }
    if (!p) {
      p = { key: r.partitionKey, hash, items: [], bytes: 0 };
      pending.set(shard, p);
    }
    p.items.push({ partitionKey: r.partitionKey, data: Buffer.from(r.data) });
    p.bytes += size;
  }
  for (const shard of [...pending.keys()]) yield* flush(shard);
}
