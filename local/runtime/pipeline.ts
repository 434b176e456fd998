/**
 * The whole pipeline on one machine: the emulators, the stream and tables, and the consumers wired to the
 * very handler modules that deploy, configured through the environment as Lambda configures them.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { join } from 'node:path';
import { transformEnvironment } from '../../functions/firehose-transform/config';
import { createHandler as createTransformHandler } from '../../functions/firehose-transform/create-handler';
import { sessionProcessorEnvironment } from '../../functions/session-processor/config';
import { createHandler } from '../../functions/session-processor/create-handler';
import { DEFAULT_CONFIG } from '../../stacks/config';
import type { ArchiveFormat, ClickstreamConfig } from '../../stacks/config';
import { dynamoDbClient, kinesisClient } from './aws-clients';
import { CheckpointFile } from '../aws/checkpoints';
import type { DataDir } from './data-dir';
import type { LocalUserIdMode } from './user-id-key';
import { startDynalite } from '../emulators/dynalite';
import type { RunningEmulator } from '../emulators/dynalite';
import { startKinesalite } from '../emulators/kinesalite';
import { FolderFailureDestination } from '../aws/failure-destination';
import { FileLog } from './file-log';
import type { FaultInjector } from './faults';
import { LocalDeliveryStream } from '../aws/firehose/delivery-stream';
import { ParquetWriter } from '../aws/firehose/parquet';
import { KinesisEventSource } from '../aws/lambda-event-source';
import type { StreamInfo } from '../aws/stream';
import { countRecords, ensureStream } from '../aws/stream';
import { countDynamoDb, countKinesis, newCounts } from './request-counter';
import type { RequestCounts } from './request-counter';
import { ensureTables } from '../aws/tables';
import { UsageError } from '../errors';

export const LOCAL_NAMES = {
  stream: 'clickstream-events',
  sessionsTable: 'clickstream-sessions',
  metricsTable: 'clickstream-metrics',
  deliveryStream: 'clickstream-archive',
} as const;

/** Shards of a new local stream when `--shards` is not given; an existing stream keeps its own. */
export const DEFAULT_SHARDS = 2;

/** Each consumer's checkpoint file in the data directory's `checkpoints/` folder. */
export const CHECKPOINT_FILES = { sessionProcessor: 'session-processor.json', firehose: 'firehose.json' } as const;

/** Records on the stream that the consumers had not finished when this run started (an earlier run was stopped). */
export interface LeftOnStream {
  readonly sessionPath: number;
  readonly archivePath: number;
}

/**
 * The environment variables of each function in the local runtime: every one the stack sets from the same
 * settings (the stack's defaults unless given), with the local tables' names.
 */
export function localFunctionEnvironments(config: ClickstreamConfig = DEFAULT_CONFIG): {
  sessionProcessor: Record<string, string>;
  firehoseTransform: Record<string, string>;
} {
  return { sessionProcessor: sessionProcessorEnvironment(LOCAL_NAMES, config), firehoseTransform: transformEnvironment(config) };
}

export interface PipelineOptions {
  readonly dataDir: DataDir;
  /** Shards asked for; an existing stream with another count is an error. Absent: the stream's own, or DEFAULT_SHARDS. */
  readonly shards?: number;
  /** Kinesis port; DynamoDB takes the next one. 0 picks free ports. */
  readonly port?: number;
  /** Records per session-processor invocation (Lambda's BatchSize); the stack's `batchSize` by default. */
  readonly batchSize?: number;
  /** Retries of a failed session batch (Lambda's MaximumRetryAttempts); the stack's `retryAttempts` by default. */
  readonly retryAttempts?: number;
  /** Called after each session-processor invocation with the sequence numbers it committed and the time. */
  readonly onSessionsVisible?: (sequenceNumbers: readonly string[], atMs: number) => void;
  /** Faults to inject (see local/runtime/faults.ts). */
  readonly faults?: FaultInjector;
  readonly archiveFormat?: ArchiveFormat;
  readonly bufferIntervalSeconds?: number;
  readonly bufferSizeMb?: number;
  /** What the stores hold as a user's id, with the key in `hash` mode (see user-id-key.ts); raw ids when absent. */
  readonly userIds?: LocalUserIdMode;
  /**
   * The oldest event both functions accept, hours before arrival (the stack's `maxEventAgeHours`): a backfill
   * redrive runs with a higher bound, as a deployment would for one.
   * @default DEFAULT_CONFIG.maxEventAgeHours
   */
  readonly maxEventAgeHours?: number;
}

/** What start-up makes: the emulators, the clients and the stream. */
interface Started {
  readonly kinesisEmulator: RunningEmulator;
  readonly dynamoEmulator: RunningEmulator;
  /** Clients of the CLI's own reads and writes. */
  readonly kinesis: KinesisClient;
  readonly dynamodb: DynamoDBClient;
  /** The function's client, as it would have its own in Lambda: only its requests are counted. */
  readonly functionDynamoDb: DynamoDBClient;
  /** The consumers' client: its GetRecords are counted. */
  readonly consumerKinesis: KinesisClient;
  readonly stream: StreamInfo;
  readonly dynamoCounts: RequestCounts;
  readonly kinesisCounts: RequestCounts;
}

export class LocalPipeline {
  readonly kinesisEmulator: RunningEmulator;
  readonly dynamoEmulator: RunningEmulator;
  readonly kinesis: KinesisClient;
  readonly dynamodb: DynamoDBClient;
  readonly stream: StreamInfo;
  readonly sessionSource: KinesisEventSource;
  readonly archive: LocalDeliveryStream;
  /** DynamoDB requests and capacity of the session-processor, measured at its SDK client. */
  readonly dynamoCounts: RequestCounts;
  /** Kinesis requests of both consumers (the producer's are counted by the producer). */
  readonly kinesisCounts: RequestCounts;
  private readonly functionDynamoDb: DynamoDBClient;
  private readonly consumerKinesis: KinesisClient;
  private readonly parquet: ParquetWriter | undefined;
  private readonly logs: FileLog[] = [];

  private constructor(
    readonly o: PipelineOptions,
    started: Started,
  ) {
    this.kinesisEmulator = started.kinesisEmulator;
    this.dynamoEmulator = started.dynamoEmulator;
    this.kinesis = started.kinesis;
    this.dynamodb = started.dynamodb;
    this.functionDynamoDb = started.functionDynamoDb;
    this.consumerKinesis = started.consumerKinesis;
    this.stream = started.stream;
    this.dynamoCounts = started.dynamoCounts;
    this.kinesisCounts = started.kinesisCounts;
    const format = o.archiveFormat ?? DEFAULT_CONFIG.archiveFormat;
    this.parquet = format === 'parquet' ? new ParquetWriter(join(o.dataDir.root, 'tmp')) : undefined;
    this.sessionSource = this.sessionProcessorMapping();
    this.archive = this.deliveryStream(format);
  }

  /** Starts the emulators, the stream and the tables; on failure closes whatever it had started. */
  static async start(o: PipelineOptions): Promise<LocalPipeline> {
    const emulators: RunningEmulator[] = [];
    const clients: Array<{ destroy(): void }> = [];
    try {
      const port = o.port ?? 0;
      const kinesisEmulator = await startKinesalite({ port, path: o.dataDir.kinesis });
      emulators.push(kinesisEmulator);
      const dynamoEmulator = await startDynalite({ port: port === 0 ? 0 : port + 1, path: o.dataDir.dynamodb });
      emulators.push(dynamoEmulator);
      const [kinesis, consumerKinesis] = [kinesisClient(kinesisEmulator.endpoint), kinesisClient(kinesisEmulator.endpoint)];
      const [dynamodb, functionDynamoDb] = [dynamoDbClient(dynamoEmulator.endpoint), dynamoDbClient(dynamoEmulator.endpoint)];
      clients.push(kinesis, consumerKinesis, dynamodb, functionDynamoDb);
      const dynamoCounts = newCounts();
      const kinesisCounts = newCounts();
      countDynamoDb(functionDynamoDb, dynamoCounts);
      o.faults?.instrumentDynamoDb(functionDynamoDb, LOCAL_NAMES.sessionsTable);
      countKinesis(consumerKinesis, kinesisCounts);
      const stream = await ensureStream(kinesis, LOCAL_NAMES.stream, o.shards ?? DEFAULT_SHARDS);
      const found = stream.shardIds.length;
      if (o.shards !== undefined && found !== o.shards) {
        throw new UsageError(
          `--shards ${o.shards}: the stream in --data-dir ${o.dataDir.root} has ${found} shards; leave --shards out to use them, or add --fresh to start over with ${o.shards}`,
        );
      }
      await ensureTables(dynamodb, LOCAL_NAMES);
      return new LocalPipeline(o, {
        kinesisEmulator,
        dynamoEmulator,
        kinesis,
        dynamodb,
        functionDynamoDb,
        consumerKinesis,
        stream,
        dynamoCounts,
        kinesisCounts,
      });
    } catch (err) {
      for (const emulator of emulators) await emulator.close().catch(() => undefined);
      for (const client of clients) client.destroy();
      throw err;
    }
  }

  /**
   * Records between each consumer's checkpoint and the stream's end: left by an earlier run that was stopped
   * before its consumers finished. Call before `startConsumers`.
   */
  async leftOnStream(): Promise<LeftOnStream> {
    const after = (file: string) => new CheckpointFile(join(this.o.dataDir.checkpoints, file));
    return {
      sessionPath: await countRecords(this.kinesis, this.stream, after(CHECKPOINT_FILES.sessionProcessor)),
      archivePath: await countRecords(this.kinesis, this.stream, after(CHECKPOINT_FILES.firehose)),
    };
  }

  /** Every record on the stream, from the trim horizon. */
  async recordsOnStream(): Promise<number> {
    return countRecords(this.kinesis, this.stream);
  }

  /** Starts polling the stream with every consumer. */
  startConsumers(): void {
    this.sessionSource.start();
    this.archive.start();
  }

  /** Waits until every consumer has read every shard to its tip, and Firehose has written every buffer. */
  async drain(): Promise<void> {
    await Promise.all([this.sessionSource.drain(), this.archive.drain()]);
  }

  async stop(): Promise<void> {
    await this.sessionSource.stop();
    await this.archive.stop();
    this.parquet?.close();
    for (const log of this.logs) await log.close();
    this.kinesis.destroy();
    this.dynamodb.destroy();
    this.functionDynamoDb.destroy();
    this.consumerKinesis.destroy();
    await this.kinesisEmulator.close();
    await this.dynamoEmulator.close();
  }

  private sessionProcessorMapping(): KinesisEventSource {
    const log = new FileLog(join(this.o.dataDir.logs, 'session-processor.log'), 'session-processor');
    this.logs.push(log);
    const handler = createHandler({
      env: this.environments.sessionProcessor,
      dynamoDb: this.functionDynamoDb,
      logger: log,
      ...this.userIdKey(),
    });
    return new KinesisEventSource({
      functionName: 'session-processor',
      client: this.consumerKinesis,
      stream: this.stream,
      handler,
      checkpoints: new CheckpointFile(join(this.o.dataDir.checkpoints, CHECKPOINT_FILES.sessionProcessor)),
      onFailure: new FolderFailureDestination(this.o.dataDir.failed),
      batchSize: this.o.batchSize ?? DEFAULT_CONFIG.batchSize,
      invoke: (event, next) => this.observe(event, (e) => (this.o.faults ? this.o.faults.invokeSessions(e, next) : next(e))),
      retryAttempts: this.o.retryAttempts ?? DEFAULT_CONFIG.retryAttempts,
      bisectBatchOnError: true,
    });
  }

  /** The functions' variables: the stack's defaults, with this directory's user-id mode and this pipeline's event age bound. */
  private get environments(): ReturnType<typeof localFunctionEnvironments> {
    return localFunctionEnvironments({
      ...DEFAULT_CONFIG,
      userIdMode: this.o.userIds?.mode ?? DEFAULT_CONFIG.userIdMode,
      maxEventAgeHours: this.o.maxEventAgeHours ?? DEFAULT_CONFIG.maxEventAgeHours,
    });
  }

  /** The handlers' key source in `hash` mode: the data directory's key file, where the stack has its secret. */
  private userIdKey(): { userIdKey?: () => Promise<Uint8Array> } {
    const ids = this.o.userIds;
    return ids?.mode === 'hash' ? { userIdKey: () => Promise.resolve(ids.key) } : {};
  }

  /** Invokes the handler and reports which records its answer committed (those below the first reported one). */
  private async observe(
    event: KinesisStreamEvent,
    next: (e: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>,
  ): Promise<KinesisStreamBatchResponse | void> {
    const response = await next(event);
    if (!this.o.onSessionsVisible) return response;
    const failed = response?.batchItemFailures?.[0]?.itemIdentifier;
    const committed: string[] = [];
    for (const r of event.Records) {
      if (r.kinesis.sequenceNumber === failed) break;
      committed.push(r.kinesis.sequenceNumber);
    }
    this.o.onSessionsVisible(committed, Date.now());
    return response;
  }

  private deliveryStream(format: ArchiveFormat): LocalDeliveryStream {
    const log = new FileLog(join(this.o.dataDir.logs, 'firehose-transform.log'), 'firehose-transform');
    this.logs.push(log);
    return new LocalDeliveryStream({
      name: LOCAL_NAMES.deliveryStream,
      client: this.consumerKinesis,
      stream: this.stream,
      transform: createTransformHandler({ env: this.environments.firehoseTransform, logger: log, ...this.userIdKey() }),
      transformArn: 'arn:aws:lambda:us-east-1:000000000000:function:firehose-transform',
      checkpoints: new CheckpointFile(join(this.o.dataDir.checkpoints, CHECKPOINT_FILES.firehose)),
      bucketDir: this.o.dataDir.archive,
      format,
      ...(this.parquet ? { parquet: this.parquet } : {}),
      bufferBytes: (this.o.bufferSizeMb ?? DEFAULT_CONFIG.bufferingSizeMb) * 1024 * 1024,
      bufferIntervalMs: (this.o.bufferIntervalSeconds ?? DEFAULT_CONFIG.bufferingIntervalSeconds) * 1000,
      ...(this.o.faults
        ? { deliverTwice: this.o.faults.plan.duplicate, invoke: (event, next) => this.o.faults!.invokeTransform(event, next) }
        : {}),
    });
  }
}
