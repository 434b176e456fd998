/**
 * Capacity of one shard's consumer: how many events per second the session-processor's real batch path (the
 * handler module, its DynamoDB adapter, the SDK with its retries and connection pool) keeps up with when
 * DynamoDB answers as slowly as it does in a region, not as fast as an emulator on loopback.
 *
 * DynamoDB is dynalite in a child process (its work on the other core, as the service's is on other machines),
 * behind a latency model injected at the SDK's HTTP handler: each answer is held until a time drawn from a
 * log-normal distribution per operation has passed since the request was sent (an emulator slower than that
 * answers when it can). The model's figures are those of the issue that
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
import { Agent } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KinesisStreamEvent } from 'aws-lambda';
import { createHandler } from '../functions/session-processor/create-handler';
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

/** An SDK HTTP handler that holds each request for a time drawn from the model, then sends it. */
class DelayedHandler extends NodeHttpHandler {
  private readonly random: Random;

  constructor(
    private readonly model: Readonly<Record<string, OperationLatency>> | undefined,
    seed: number,
  ) {
    super({ httpAgent: new Agent({ keepAlive: true, maxSockets: 50 }) });
    this.random = new Random(seed);
  }

  override async handle(...[request, options]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const target = request.headers['x-amz-target'] ?? '';
    const latency = this.model?.[target.slice(target.indexOf('.') + 1)];
    if (!latency) return super.handle(request, options);
    // The answer comes when the modelled latency has passed, or when the emulator gives it if that is later:
    // the emulator's own time is part of the latency, not added to it.
    const due = performance.now() + this.sample(latency);
    const answer = await super.handle(request, options);
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return answer;
  }

  /** Log-normal with the given median and 99th percentile. */
  private sample(l: OperationLatency): number {
    const sigma = Math.log(l.p99Ms / l.p50Ms) / Z99;
    // Box–Muller: a standard normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(1 - this.random.next())) * Math.cos(2 * Math.PI * this.random.next());
    return l.p50Ms * Math.exp(sigma * z);
  }
}

/** dynalite in a child process, on a free loopback port. */
async function startRemoteDynalite(): Promise<{ endpoint: string; child: ChildProcess }> {
  const child = fork(require.resolve('./dynalite-child'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`dynalite's process ended with code ${code} before listening`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, child };
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
): Promise<CapacityRun[]> {
  const all = shardRecords(records, nowMs / 1000);
  const out: CapacityRun[] = [];
  for (const latency of latencies) {
    for (const batchSize of batchSizes) {
      const { endpoint, child } = await startRemoteDynalite();
      const handler = new DelayedHandler(latency === 'model' ? DYNAMODB_LATENCY : undefined, batchSize);
      let requests = 0;
      const client = new DynamoDBClient({
        endpoint,
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
        await ensureTables(client, LOCAL_NAMES);
        requests = 0;
        const invoke = createHandler({
          env: localFunctionEnvironments().sessionProcessor,
          dynamoDb: client,
          logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        });
        const started = process.hrtime.bigint();
        let invocations = 0;
        for (let i = 0; i < all.length; i += batchSize) {
          const event: KinesisStreamEvent = { Records: all.slice(i, i + batchSize) };
          const response = await invoke(event);
          if (response.batchItemFailures.length > 0) throw new Error('the capacity run had a batch failure; its figure would mean nothing');
          invocations += 1;
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        out.push({
          batchSize,
          latency,
          events: all.length,
          seconds,
          eventsPerSecond: Math.round(all.length / seconds),
          invocationMs: Math.round((seconds * 1000) / invocations),
          requests,
        });
      } finally {
        client.destroy();
        child.kill();
      }
    }
  }
  return out;
}

/** Seconds to drain `backlog` records at `capacity` per second while `incoming` per second keep arriving. */
export function catchUpSeconds(backlog: number, capacity: number, incoming: number): number {
  return capacity > incoming ? backlog / (capacity - incoming) : Number.POSITIVE_INFINITY;
}
