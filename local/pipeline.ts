/**
 * The whole pipeline on one machine: the emulators, the stream and tables, and the consumers wired to the
 * very handler modules that deploy, configured through the environment as Lambda configures them.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { join } from 'node:path';
import { createHandler } from '../functions/session-processor/create-handler';
import type { BatchReport } from '../functions/session-processor/process-batch';
import { dynamoDbClient, kinesisClient } from './aws-clients';
import { CheckpointFile } from './checkpoints';
import type { DataDir } from './data-dir';
import { startDynalite } from './emulators/dynalite';
import type { RunningEmulator } from './emulators/dynalite';
import { startKinesalite } from './emulators/kinesalite';
import { FolderFailureDestination } from './failure-destination';
import { FileLog } from './file-log';
import { KinesisEventSource } from './lambda-event-source';
import type { StreamInfo } from './stream';
import { ensureStream } from './stream';
import { ensureTables } from './tables';

export const LOCAL_NAMES = { stream: 'clickstream-events', sessionsTable: 'clickstream-sessions', metricsTable: 'clickstream-metrics' } as const;

export interface PipelineOptions {
  readonly dataDir: DataDir;
  readonly shards: number;
  /** Kinesis port; DynamoDB takes the next one. 0 picks free ports. */
  readonly port?: number;
  /** Records per session-processor invocation (Lambda's BatchSize). */
  readonly batchSize?: number;
}

/** Totals of the session path, summed over invocations. */
export interface SessionTotals {
  recordsIn: number;
  valid: number;
  refused: number;
  refusedByReason: Record<string, number>;
  applied: number;
  duplicates: number;
  late: number;
  alreadyApplied: number;
  sessionsStarted: number;
}

export class LocalPipeline {
  kinesisEmulator!: RunningEmulator;
  dynamoEmulator!: RunningEmulator;
  kinesis!: KinesisClient;
  dynamodb!: DynamoDBClient;
  stream!: StreamInfo;
  sessionSource!: KinesisEventSource;
  readonly sessionTotals: SessionTotals = { recordsIn: 0, valid: 0, refused: 0, refusedByReason: {}, applied: 0, duplicates: 0, late: 0, alreadyApplied: 0, sessionsStarted: 0 };
  private readonly logs: FileLog[] = [];

  constructor(readonly o: PipelineOptions) {}

  async start(): Promise<void> {
    const port = this.o.port ?? 0;
    this.kinesisEmulator = await startKinesalite({ port, path: this.o.dataDir.kinesis });
    this.dynamoEmulator = await startDynalite({ port: port === 0 ? 0 : port + 1, path: this.o.dataDir.dynamodb });
    this.kinesis = kinesisClient(this.kinesisEmulator.endpoint);
    this.dynamodb = dynamoDbClient(this.dynamoEmulator.endpoint);
    this.stream = await ensureStream(this.kinesis, LOCAL_NAMES.stream, this.o.shards);
    await ensureTables(this.dynamodb, LOCAL_NAMES);
    this.sessionSource = this.sessionProcessorMapping();
  }

  /** Starts polling the stream with every consumer. */
  startConsumers(): void {
    this.sessionSource.start();
  }

  /** Waits until every consumer has read every shard to its tip. */
  async drain(): Promise<void> {
    await this.sessionSource.drain();
  }

  async stop(): Promise<void> {
    await this.sessionSource.stop();
    for (const log of this.logs) await log.close();
    this.kinesis.destroy();
    this.dynamodb.destroy();
    await this.kinesisEmulator.close();
    await this.dynamoEmulator.close();
  }

  private sessionProcessorMapping(): KinesisEventSource {
    const log = new FileLog(join(this.o.dataDir.logs, 'session-processor.log'), 'session-processor');
    this.logs.push(log);
    // The same variables the stack sets on the deployed function.
    const env = { SESSIONS_TABLE: LOCAL_NAMES.sessionsTable, METRICS_TABLE: LOCAL_NAMES.metricsTable };
    const handler = createHandler({ env, dynamoDb: this.dynamodb, logger: log, onReport: (r) => this.add(r) });
    return new KinesisEventSource({
      functionName: 'session-processor',
      client: this.kinesis,
      stream: this.stream,
      handler,
      checkpoints: new CheckpointFile(join(this.o.dataDir.checkpoints, 'session-processor.json')),
      onFailure: new FolderFailureDestination(this.o.dataDir.failed),
      batchSize: this.o.batchSize ?? 500,
      retryAttempts: 10,
      bisectBatchOnError: true,
    });
  }

  private add(r: BatchReport): void {
    const t = this.sessionTotals;
    // A retried record is decoded again; count records by what was finally applied, refused once per delivery.
    t.recordsIn += r.recordsIn;
    t.valid += r.valid;
    t.refused += r.refused;
    for (const [k, v] of Object.entries(r.refusedByReason)) t.refusedByReason[k] = (t.refusedByReason[k] ?? 0) + v;
    t.applied += r.applied;
    t.duplicates += r.duplicates;
    t.late += r.late;
    t.alreadyApplied += r.alreadyApplied;
    t.sessionsStarted += r.sessionsStarted;
  }
}
