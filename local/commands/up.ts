/** `clickstream up`: the emulators and both consumers, running until interrupted, for your own producer. */
import { openDataDir } from '../data-dir';
import { LOCAL_NAMES, LocalPipeline } from '../pipeline';

export interface UpOptions {
  readonly port: number;
  readonly shards: number;
  readonly dataDir: string;
  readonly fresh: boolean;
  readonly bufferIntervalSeconds?: number;
}

export async function up(o: UpOptions, print: (line: string) => void): Promise<void> {
  const dataDir = openDataDir(o.dataDir, o.fresh);
  const pipeline = new LocalPipeline({ dataDir, shards: o.shards, port: o.port, ...(o.bufferIntervalSeconds ? { bufferIntervalSeconds: o.bufferIntervalSeconds } : {}) });
  await pipeline.start();
  pipeline.startConsumers();
  print(`Kinesis endpoint   ${pipeline.kinesisEmulator.endpoint}   stream ${LOCAL_NAMES.stream} (${pipeline.stream.shardIds.length} shards)`);
  print(`DynamoDB endpoint  ${pipeline.dynamoEmulator.endpoint}   tables ${LOCAL_NAMES.sessionsTable}, ${LOCAL_NAMES.metricsTable}`);
  print(`Archive            ${dataDir.archive} (Firehose buffers ${o.bufferIntervalSeconds ?? 60}s)`);
  print('');
  print('Point any AWS SDK at the endpoints (any credentials, region us-east-1), for example:');
  print(`  npx clickstream produce --stream ${LOCAL_NAMES.stream} --endpoint ${pipeline.kinesisEmulator.endpoint} --events 1000`);
  print(`  npx clickstream export sessions --data-dir ${o.dataDir}   (after stopping: the data directory is in use)`);
  print('Ctrl-C stops, flushing Firehose buffers first.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  print('stopping: draining consumers and flushing buffers…');
  await pipeline.stop();
}
