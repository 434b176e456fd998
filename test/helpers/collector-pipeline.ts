/**
 * The local pipeline on a one-shard stream with the local collector in front of it, in a data directory of
 * its own: what the collector's end-to-end and browser tests run against.
 */
import { GetRecordsCommand } from '@aws-sdk/client-kinesis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shardIterator } from '../../local/aws/stream';
import { LocalCollector } from '../../local/runtime/collector';
import { openDataDir } from '../../local/runtime/data-dir';
import type { DataDir } from '../../local/runtime/data-dir';
import { LOCAL_NAMES, LocalPipeline } from '../../local/runtime/pipeline';

export interface CollectorPipeline {
  readonly dataDir: DataDir;
  readonly pipeline: LocalPipeline;
  readonly collector: LocalCollector;
  /** Every record on the stream, in order: its partition key and its data as text. */
  streamRecords(): Promise<Array<{ PartitionKey: string; Data: string }>>;
  close(): Promise<void>;
}

export interface CollectorPipelineOptions {
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly bufferIntervalSeconds?: number;
  /** Start both consumers at once (else the test starts them). */
  readonly consume?: boolean;
}

export async function startCollectorPipeline(name: string, o: CollectorPipelineOptions): Promise<CollectorPipeline> {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const dataDir = openDataDir(join(dir, 'data'), true);
  const pipeline = await LocalPipeline.start({
    dataDir,
    shards: 1,
    ...(o.bufferIntervalSeconds !== undefined ? { bufferIntervalSeconds: o.bufferIntervalSeconds } : {}),
  });
  if (o.consume) pipeline.startConsumers();
  const collector = await LocalCollector.start({
    kinesis: pipeline.kinesis,
    streamName: LOCAL_NAMES.stream,
    allowedOrigins: [],
    rateLimit: o.rateLimit,
    burstLimit: o.burstLimit,
  });
  return {
    dataDir,
    pipeline,
    collector,
    async streamRecords() {
      const out: Array<{ PartitionKey: string; Data: string }> = [];
      let iterator = await shardIterator(pipeline.kinesis, LOCAL_NAMES.stream, pipeline.stream.shardIds[0]!, undefined);
      while (iterator) {
        const page = await pipeline.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        for (const r of page.Records ?? []) out.push({ PartitionKey: r.PartitionKey!, Data: Buffer.from(r.Data!).toString('utf8') });
        if ((page.Records ?? []).length === 0) break;
        iterator = page.NextShardIterator;
      }
      return out;
    },
    async close() {
      await collector.close();
      await pipeline.stop();
      dataDir.release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
