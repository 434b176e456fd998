/** `clickstream up`: the emulators and both consumers, running until interrupted, for your own producer. */
import { openDataDir } from '../runtime/data-dir';
import { USER_ID_KEY_FILE, openUserIdMode } from '../runtime/user-id-key';
import type { UserIdMode } from '../../functions/shared/pseudonym';
import { checkRange } from '../flags';
import { BUFFER_SECONDS_RANGE, LOCAL_SHARD_RANGE, PORT_RANGE } from '../limits';
import { LOCAL_NAMES, LocalPipeline } from '../runtime/pipeline';
import { LocalCollector } from '../runtime/collector';
import { DEFAULT_CONFIG } from '../../stacks/config';
import { join } from 'node:path';
import { LocalDashboardSource } from '../dashboard/local-source';
import { DashboardServer } from '../dashboard/server';
import { untilInterrupted } from './dashboard';

/** Seconds between the dashboard's refreshes while `up` runs. */
const DASHBOARD_REFRESH_SECONDS = 10;

export interface UpOptions {
  readonly port: number;
  /** Shards of a new stream; an existing stream with another count is an error. */
  readonly shards?: number;
  readonly dataDir: string;
  readonly fresh: boolean;
  readonly bufferIntervalSeconds?: number;
  /** What the stores hold as a user's id; absent: what the data directory was made with (keep for a new one). */
  readonly userIdMode?: UserIdMode;
}

export async function up(o: UpOptions, print: (line: string) => void): Promise<void> {
  checkRange('--port', o.port, PORT_RANGE);
  if (o.shards !== undefined) checkRange('--shards', o.shards, LOCAL_SHARD_RANGE);
  if (o.bufferIntervalSeconds !== undefined) checkRange('--buffer-seconds', o.bufferIntervalSeconds, BUFFER_SECONDS_RANGE);
  const dataDir = openDataDir(o.dataDir, o.fresh);
  try {
    const userIds = openUserIdMode(dataDir, o.userIdMode);
    const pipeline = await LocalPipeline.start({
      dataDir,
      userIds,
      port: o.port,
      ...(o.shards !== undefined ? { shards: o.shards } : {}),
      ...(o.bufferIntervalSeconds !== undefined ? { bufferIntervalSeconds: o.bufferIntervalSeconds } : {}),
    });
    // Each part is stopped in reverse order of start, also when a later one fails to start (a port in use).
    const stops: Array<() => Promise<void>> = [() => pipeline.stop()];
    try {
      pipeline.startConsumers();
      const collector = await LocalCollector.start({
        kinesis: pipeline.kinesis,
        streamName: LOCAL_NAMES.stream,
        port: o.port === 0 ? 0 : o.port + 2,
        allowedOrigins: DEFAULT_CONFIG.collectorAllowedOrigins,
        rateLimit: DEFAULT_CONFIG.collectorRateLimit,
        burstLimit: DEFAULT_CONFIG.collectorBurstLimit,
      });
      stops.push(async () => {
        await collector.close();
        const answers = [...collector.counts.byStatus].map(([status, n]) => `${status}: ${n}`).join(', ');
        print(`collector: ${collector.counts.acceptedEvents} events accepted; requests by status: ${answers || 'none'}`);
      });
      const source = new LocalDashboardSource({
        dynamoDbEndpoint: pipeline.dynamoEmulator.endpoint,
        archiveDir: dataDir.archive,
        scratchDir: join(dataDir.root, 'tmp'),
        description: `local, live (${dataDir.root})`,
      });
      stops.push(() => source.close());
      const dashboard = await DashboardServer.start({
        source,
        port: o.port === 0 ? 0 : o.port + 4,
        refreshSeconds: DASHBOARD_REFRESH_SECONDS,
      });
      stops.push(() => dashboard.close());
      print(`Dashboard          ${dashboard.url}   (refreshes every ${DASHBOARD_REFRESH_SECONDS}s)`);
      print(`Collector          POST ${collector.collectUrl}   (one event, or {"events": [...]} with up to 500)`);
      print(`Demo site          ${collector.siteUrl}   (open it: every page carries the tracker)`);
      print(
        `Kinesis endpoint   ${pipeline.kinesisEmulator.endpoint}   stream ${LOCAL_NAMES.stream} (${pipeline.stream.shardIds.length} shards)`,
      );
      print(`DynamoDB endpoint  ${pipeline.dynamoEmulator.endpoint}   tables ${LOCAL_NAMES.sessionsTable}, ${LOCAL_NAMES.metricsTable}`);
      print(`Archive            ${dataDir.archive} (Firehose buffers ${o.bufferIntervalSeconds ?? 60}s)`);
      if (userIds.mode === 'hash') print(`User ids           hashed with the key in ${join(dataDir.root, USER_ID_KEY_FILE)}`);
      print('');
      print('Send events over HTTP, or point any AWS SDK at the endpoints (any credentials, region us-east-1), for example:');
      print(
        `  curl -X POST ${collector.collectUrl} --data '{"events":[{"userId":"u1","eventType":"page_view","timestamp":'$(date +%s000)',"url":"https://shop.example/"}]}'`,
      );
      print(`  npx clickstream produce --stream ${LOCAL_NAMES.stream} --endpoint ${pipeline.kinesisEmulator.endpoint} --events 1000`);
      print(
        `  npx clickstream export sessions --endpoint ${pipeline.dynamoEmulator.endpoint}   (the data directory is locked while up runs)`,
      );
      print('Ctrl-C stops, flushing Firehose buffers first.');
      await untilInterrupted();
      print('stopping: draining consumers and flushing buffers…');
    } finally {
      for (const stop of stops.reverse()) await stop();
    }
  } finally {
    dataDir.release();
  }
}
