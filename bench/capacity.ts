/**
 * Capacity of one shard's consumer: how many events per second the session-processor's real batch path (the
 * handler module, its DynamoDB adapter, the SDK with its retries and connection pool) keeps up with when
 * DynamoDB answers as slowly as it does in a region, not as fast as an emulator on loopback.
 *
 * DynamoDB is dynalite in child processes, behind a latency model injected at the SDK's HTTP handler: each
 * answer is held until a time drawn from a log-normal distribution per operation has passed since the request
 * was sent (an emulator slower than that answers when it can). DynamoDB spreads a table's items over
 * partitions by a hash of the partition key and serves them in parallel
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.Partitions.html), where one
 * dynalite answers one request at a time (about 1.1 ms each here); so the sessions table's users are spread
 * by a hash of their id over {@link DYNAMODB_PARTITIONS} processes, a `BatchGetItem` is split between them and
 * its answers merged, and the metrics table lives in the first. The model's figures are those of the issue that
 * asked for this measurement, in line with DynamoDB's "single-digit millisecond" single-item latency
 * (https://aws.amazon.com/dynamodb/features/): single-item and small batch reads p50 5–10 ms, a 25-item
 * BatchWriteItem p50 65 ms, and a tail (p99 about three to four times the median).
 *
 * A shard's consumer runs one invocation at a time (parallelization factor 1), so the capacity is the batch
 * size over the time of one invocation, measured back to back over a backlog (full batches, as after an outage:
 * the batching window only matters when the stream is quiet).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Agent } from 'node:http';
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KinesisStreamEvent } from 'aws-lambda';
import { createHandler } from '../functions/session-processor/create-handler';
import { SESSIONS_TABLE_KEYS } from '../functions/session-processor/table-schema';
import { ensureTables } from '../local/aws/tables';
import { LOCAL_NAMES, localFunctionEnvironments } from '../local/runtime/pipeline';
import { Random } from '../local/workload/random';
import type { WorkloadRecord } from '../local/workload/synthetic';
import { shardRecords } from './shard-records';

/** Median and 99th percentile of one operation's latency, milliseconds. */
export interface OperationLatency {
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** The latency model, by DynamoDB operation (the `X-Amz-Target` header's action). */
export const DYNAMODB_LATENCY: Readonly<Record<string, OperationLatency>> = {
  GetItem: { p50Ms: 6, p99Ms: 20 },
  PutItem: { p50Ms: 8, p99Ms: 25 },
  UpdateItem: { p50Ms: 8, p99Ms: 25 },
  DeleteItem: { p50Ms: 8, p99Ms: 25 },
  Query: { p50Ms: 8, p99Ms: 30 },
  BatchGetItem: { p50Ms: 10, p99Ms: 40 },
  BatchWriteItem: { p50Ms: 65, p99Ms: 220 },
};

/** A shard's write limit, records per second ("Quotas and limits", https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html). */
export const SHARD_WRITE_RECORDS_PER_SECOND = 1000;

const Z99 = 2.326;

/**
 * dynalite processes standing for DynamoDB's partitions: one per core of this machine, at least two (each is
 * single-threaded; more than the cores would only queue on them).
 */
export const DYNAMODB_PARTITIONS = Math.max(2, availableParallelism());

type HandlerArgs = Parameters<NodeHttpHandler['handle']>;
type HandlerResult = Awaited<ReturnType<NodeHttpHandler['handle']>>;
type AttributeValue = Record<string, unknown>;
interface KeysAndAttributes {
  Keys: Array<Record<string, AttributeValue>>;
  [option: string]: unknown;
}

/**
 * An SDK HTTP handler that sends each request to the process holding its items and holds the answer for a time
 * drawn from the model.
 */
class PartitionedDelayedHandler extends NodeHttpHandler {
  private readonly random: Random;

  constructor(
    private readonly ports: readonly number[],
    private readonly sessionsTable: string,
    private readonly model: Readonly<Record<string, OperationLatency>> | undefined,
    seed: number,
  ) {
    super({ httpAgent: new Agent({ keepAlive: true, maxSockets: 50 }) });
    this.random = new Random(seed);
  }

  override async handle(...[request, options]: HandlerArgs): Promise<HandlerResult> {
    const target = request.headers['x-amz-target'] ?? '';
    const operation = target.slice(target.indexOf('.') + 1);
    const latency = this.model?.[operation];
    // The answer comes when the modelled latency has passed, or when the emulator gives it if that is later:
    // the emulator's own time is part of the latency, not added to it.
    const due = performance.now() + (latency ? this.sample(latency) : 0);
    const body = JSON.parse(textOf(request.body)) as Record<string, unknown>;
    const answer =
      operation === 'BatchGetItem'
        ? await this.batchGet(body, request, options)
        : await this.send(this.partitionOf(body), request, options);
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return answer;
  }

  /** The process of a single-item request or a Query: by the sessions table's partition key, else the first. */
  private partitionOf(body: Record<string, unknown>): number {
    if (body['TableName'] !== this.sessionsTable) return 0;
    const item = (body['Key'] ?? body['Item']) as Record<string, AttributeValue> | undefined;
    if (!item) throw new Error(`the capacity bench routes no ${Object.keys(body).join(', ')} request of the sessions table`);
    return this.partitionOfKey(item);
  }

  private partitionOfKey(key: Record<string, AttributeValue>): number {
    const id = String(key[SESSIONS_TABLE_KEYS.partitionKey]?.['S']);
    return createHash('md5').update(id).digest().readUInt32BE(0) % this.ports.length;
  }

  /** Splits the keys by process, sends the parts at once, and merges their answers into one. */
  private async batchGet(body: Record<string, unknown>, request: HandlerArgs[0], options: HandlerArgs[1]): Promise<HandlerResult> {
    const parts = new Map<number, Record<string, KeysAndAttributes>>();
    for (const [table, spec] of Object.entries(body['RequestItems'] as Record<string, KeysAndAttributes>)) {
      for (const key of spec.Keys) {
        const p = table === this.sessionsTable ? this.partitionOfKey(key) : 0;
        const part = parts.get(p) ?? {};
        (part[table] ??= { ...spec, Keys: [] }).Keys.push(key);
        parts.set(p, part);
      }
    }
    const answers = await Promise.all(
      [...parts].map(async ([p, requestItems]) => {
        const one = await this.send(p, request, options, JSON.stringify({ ...body, RequestItems: requestItems }));
        return { one, text: (await Readable.from(one.response.body as Readable).toArray()).join('') };
      }),
    );
    const failed = answers.find((a) => a.one.response.statusCode !== 200);
    const merged: { Responses: Record<string, unknown[]>; UnprocessedKeys: Record<string, KeysAndAttributes> } = {
      Responses: {},
      UnprocessedKeys: {},
    };
    for (const { text } of failed ? [] : answers) {
      const out = JSON.parse(text) as { Responses?: Record<string, unknown[]>; UnprocessedKeys?: Record<string, KeysAndAttributes> };
      for (const [table, items] of Object.entries(out.Responses ?? {})) (merged.Responses[table] ??= []).push(...items);
      for (const [table, spec] of Object.entries(out.UnprocessedKeys ?? {})) {
        (merged.UnprocessedKeys[table] ??= { ...spec, Keys: [] }).Keys.push(...spec.Keys);
      }
    }
    const chosen = failed ?? answers[0]!;
    const text = failed ? failed.text : JSON.stringify(merged);
    chosen.one.response.body = Readable.from([Buffer.from(text)]);
    chosen.one.response.headers = { ...chosen.one.response.headers, 'content-length': String(Buffer.byteLength(text)) };
    return chosen.one;
  }

  private send(partition: number, request: HandlerArgs[0], options: HandlerArgs[1], body = textOf(request.body)): Promise<HandlerResult> {
    const routed = request.clone();
    routed.hostname = '127.0.0.1';
    routed.port = this.ports[partition];
    routed.headers = { ...request.headers, host: `127.0.0.1:${routed.port}`, 'content-length': String(Buffer.byteLength(body)) };
    routed.body = body;
    return super.handle(routed, options);
  }

  /** Log-normal with the given median and 99th percentile. */
  private sample(l: OperationLatency): number {
    const sigma = Math.log(l.p99Ms / l.p50Ms) / Z99;
    // Box–Muller: a standard normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(1 - this.random.next())) * Math.cos(2 * Math.PI * this.random.next());
    return l.p50Ms * Math.exp(sigma * z);
  }
}

/** A request body as text: the SDK serializes DynamoDB's JSON to a string or to bytes. */
function textOf(body: unknown): string {
  if (typeof body === 'string') return body;
  // Read as bytes: the SDK's body type answers string methods with a warning.
  const bytes = body as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** dynalite in a child process, on a free loopback port. */
async function startRemoteDynalite(): Promise<{ port: number; child: ChildProcess }> {
  const child = fork(require.resolve('./dynalite-child'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`dynalite's process ended with code ${code} before listening`)));
  });
  return { port, child };
}

/** CPU time the dynalite processes have used so far, microseconds. */
async function emulatorCpu(processes: ReadonlyArray<{ child: ChildProcess }>): Promise<number> {
  const each = await Promise.all(
    processes.map(
      ({ child }) =>
        new Promise<number>((resolve) => {
          child.once('message', (m: { cpuMicros: number }) => resolve(m.cpuMicros));
          child.send('cpu');
        }),
    ),
  );
  return each.reduce((a, b) => a + b, 0);
}

/** A client of one process, for creating the tables in each. */
function directClient(port: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export interface CapacityRun {
  readonly batchSize: number;
  readonly latency: 'model' | 'none';
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Mean time of one invocation, milliseconds. */
  readonly invocationMs: number;
  readonly requests: number;
  /** CPU time per invocation, milliseconds: the consumer's (this process) and the emulators' (their processes). */
  readonly consumerCpuMs: number;
  readonly emulatorCpuMs: number;
}

/**
 * Events per second of one shard's consumer over `records`, for each batch size, with and without the latency
 * model. Each run has fresh tables, so that every run starts with the same (empty) state.
 */
export async function measureCapacity(
  records: readonly WorkloadRecord[],
  nowMs: number,
  batchSizes: readonly number[],
  latencies: ReadonlyArray<'model' | 'none'> = ['none', 'model'],
  partitions = DYNAMODB_PARTITIONS,
): Promise<CapacityRun[]> {
  const all = shardRecords(records, nowMs / 1000);
  const out: CapacityRun[] = [];
  for (const latency of latencies) {
    for (const batchSize of batchSizes) {
      const processes = await Promise.all(Array.from({ length: partitions }, () => startRemoteDynalite()));
      const ports = processes.map((p) => p.port);
      const handler = new PartitionedDelayedHandler(
        ports,
        LOCAL_NAMES.sessionsTable,
        latency === 'model' ? DYNAMODB_LATENCY : undefined,
        batchSize,
      );
      let requests = 0;
      const client = new DynamoDBClient({
        endpoint: `http://127.0.0.1:${ports[0]}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        requestHandler: handler,
      });
      client.middlewareStack.add(
        (next) => (args) => {
          requests += 1;
          return next(args);
        },
        { step: 'finalizeRequest', name: 'countRequests' },
      );
      try {
        for (const port of ports) {
          const direct = directClient(port);
          await ensureTables(direct, LOCAL_NAMES);
          direct.destroy();
        }
        const invoke = createHandler({
          env: localFunctionEnvironments().sessionProcessor,
          dynamoDb: client,
          logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        });
        const emulatorCpuBefore = await emulatorCpu(processes);
        const cpuBefore = process.cpuUsage();
        const started = process.hrtime.bigint();
        let invocations = 0;
        for (let i = 0; i < all.length; i += batchSize) {
          const event: KinesisStreamEvent = { Records: all.slice(i, i + batchSize) };
          const response = await invoke(event);
          if (response.batchItemFailures.length > 0) throw new Error('the capacity run had a batch failure; its figure would mean nothing');
          invocations += 1;
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const cpu = process.cpuUsage(cpuBefore);
        const emulatorMicros = (await emulatorCpu(processes)) - emulatorCpuBefore;
        out.push({
          batchSize,
          latency,
          events: all.length,
          seconds,
          eventsPerSecond: Math.round(all.length / seconds),
          invocationMs: Math.round((seconds * 1000) / invocations),
          requests,
          consumerCpuMs: Math.round((cpu.user + cpu.system) / 100 / invocations) / 10,
          emulatorCpuMs: Math.round(emulatorMicros / 100 / invocations) / 10,
        });
      } finally {
        client.destroy();
        for (const p of processes) p.child.kill();
      }
    }
  }
  return out;
}

/** Seconds to drain `backlog` records at `capacity` per second while `incoming` per second keep arriving. */
export function catchUpSeconds(backlog: number, capacity: number, incoming: number): number {
  return capacity > incoming ? backlog / (capacity - incoming) : Number.POSITIVE_INFINITY;
}
