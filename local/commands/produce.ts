/**
 * `clickstream produce`: puts events on any stream, local or real AWS (no endpoint: the default credential
 * chain). With `--aggregate` it packs records as the Kinesis Producer Library does: records bound for the
 * same shard (by the MD5 of their partition key) go into one aggregate of at most 50 KiB, sent with the
 * explicit hash key of its first record, so every user's events keep their shard and their order.
 */
import { createHash } from 'node:crypto';
import { ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../aws-clients';
import { readInput } from '../input-file';
import { aggregate } from '../kpl-aggregate';
import { putAll } from '../producer';
import type { ProduceRecord } from '../producer';
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
}

/** KPL's default aggregate size limit. */
const AGGREGATE_MAX_BYTES = 51_200;

export async function produce(o: ProduceOptions, log: (line: string) => void): Promise<{ records: number; kinesisRecords: number }> {
  const records = o.input ? readInput(o.input) : syntheticWorkload({ users: o.users, events: o.events, seed: o.seed, nowMs: Date.now() }).records;
  const client = kinesisClient(o.endpoint, o.region);
  try {
    if (!o.aggregate) {
      const r = await putAll(client, o.stream, records, { ...(o.rate ? { rate: o.rate } : {}), onProgress: (n) => log(`put ${n}/${records.length}`) });
      return { records: r.put, kinesisRecords: r.put };
    }
    const packed = await aggregateByShard(client, o.stream, records);
    let put = 0;
    for (let i = 0; i < packed.length; i += 500) {
      const chunk = packed.slice(i, i + 500);
      const out = await client.send(new PutRecordsCommand({ StreamName: o.stream, Records: chunk.map((p) => ({ Data: p.data, PartitionKey: p.partitionKey, ExplicitHashKey: p.explicitHashKey })) }));
      if ((out.FailedRecordCount ?? 0) > 0) throw new Error(`PutRecords refused ${out.FailedRecordCount} aggregated records (throttling?); nothing was retried, run again`);
      put += chunk.length;
      log(`put ${put}/${packed.length} aggregated records`);
    }
    return { records: records.length, kinesisRecords: packed.length };
  } finally {
    client.destroy();
  }
}

interface Packed {
  readonly partitionKey: string;
  readonly explicitHashKey: string;
  readonly data: Buffer;
}

async function aggregateByShard(client: KinesisClient, stream: string, records: readonly ProduceRecord[]): Promise<Packed[]> {
  const shards = (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
  const ranges = shards.map((s) => ({ id: s.ShardId!, start: BigInt(s.HashKeyRange!.StartingHashKey!), end: BigInt(s.HashKeyRange!.EndingHashKey!) }));
  const pending = new Map<string, { key: string; hash: bigint; items: Array<{ partitionKey: string; data: Buffer }>; bytes: number }>();
  const out: Packed[] = [];
  const flush = (shard: string) => {
    const p = pending.get(shard);
    if (!p || p.items.length === 0) return;
    for (const a of aggregate(p.items)) out.push({ partitionKey: p.key, explicitHashKey: p.hash.toString(), data: a.data });
    pending.delete(shard);
  };
  for (const r of records) {
    const hash = BigInt(`0x${createHash('md5').update(r.partitionKey).digest('hex')}`);
    const shard = ranges.find((s) => hash >= s.start && hash <= s.end)?.id ?? 'unknown';
    let p = pending.get(shard);
    const size = r.data.length + r.partitionKey.length + 8;
    if (p && p.bytes + size > AGGREGATE_MAX_BYTES) {
      flush(shard);
      p = undefined;
    }
    if (!p) {
      p = { key: r.partitionKey, hash, items: [], bytes: 0 };
      pending.set(shard, p);
    }
    p.items.push({ partitionKey: r.partitionKey, data: Buffer.from(r.data) });
    p.bytes += size;
  }
  for (const shard of [...pending.keys()]) flush(shard);
  return out;
}
