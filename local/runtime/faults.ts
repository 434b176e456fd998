/**
 * Fault injection for the local runtime (`clickstream run --faults SPEC`), from seeded random sources so that
 * a failing run can be replayed (see {@link FaultInjector}). SPEC is a comma-separated list of keys:
 *
 * - `ddb-error=P`: each DynamoDB call of the session-processor fails with probability P, before it reaches the
 *   table: throttling (ProvisionedThroughputExceededException), a 500 (InternalServerError) or a timeout, drawn at random;
 * - `ddb-lost-response=P`: each call reaches the table, then its response is lost (the caller sees a timeout);
 * - `crash=P`: each session-processor invocation, with probability P, dies, as a Lambda timeout does (the
 *   invocation fails; Lambda retries and bisects): each of its DynamoDB calls is, by its own draw (one in four,
 *   {@link CRASH_AT_CALL}), one it dies at: that call fails, never reaching the table, with an error no retry
 *   fixes, so the invocation fails; calls already running beside it go on, and those its code makes only after
 *   that call succeeds are not made. One that draws no such call dies at its end, its work done;
 * - `duplicate`: every batch is delivered twice to each consumer;
 * - `transform-error=P`: each transform invocation fails (half before, half after doing its work, as a
 *   timeout) with probability P; Firehose retries, then writes the records to its processing-failed output;
 * - `transform-bug=P`: a share P of records (chosen by their bytes) is answered ProcessingFailed, as a bug in
 *   the transform that refuses some valid input would answer: they go to Firehose's processing-failed output,
 *   whole, for `clickstream redrive` to put back once the bug is gone;
 * - `session-bug=P`: a share P of records (chosen by their bytes) makes every session-processor invocation
 *   that holds one throw, as a bug that throws on some input would: half of them before the invocation's
 *   writes, half after them (the batch is then applied, yet reported failed). Lambda bisects and retries until
 *   each such record fails alone, then writes it to the on-failure destination;
 * - `session-write-bug=P`: a share P of records (chosen by their bytes) makes every session-processor
 *   invocation that holds one throw when it writes its users, after its metrics: as a bug in writing a user
 *   would. Lambda bisects and retries until the record fails alone, then writes it to the on-failure
 *   destination, its event counted in the metrics and not applied to its user;
 * - `seed=N`: the seed every decision's random source derives from (default 1).
 *
 * The two bugs are drawn per record from its bytes, not per invocation: a rerun of the same input, however
 * batched, fails the same records, as a real bug would. They are wrappers around the real handlers, never
 * code in the functions.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FirehoseTransformationEvent, FirehoseTransformationResult, KinesisStreamEvent } from 'aws-lambda';
import { fingerprint } from '../../functions/shared/fingerprint';
import { METRICS_TABLE_KEYS, SESSIONS_TABLE_KEYS, isPendingMarker } from '../../functions/session-processor/table-schema';
import { Random } from '../workload/random';

export interface FaultPlan {
  readonly ddbError: number;
  readonly ddbLostResponse: number;
  readonly crash: number;
  readonly duplicate: boolean;
  readonly transformError: number;
  readonly transformBug: number;
  readonly sessionBug: number;
  readonly sessionWriteBug: number;
  readonly seed: number;
}

export const NO_FAULTS: FaultPlan = {
  ddbError: 0,
  ddbLostResponse: 0,
  crash: 0,
  duplicate: false,
  transformError: 0,
  transformBug: 0,
  sessionBug: 0,
  sessionWriteBug: 0,
  seed: 1,
};

const SHARE_KEYS = {
  'ddb-error': 'ddbError',
  'ddb-lost-response': 'ddbLostResponse',
  crash: 'crash',
  'transform-error': 'transformError',
  'transform-bug': 'transformBug',
  'session-bug': 'sessionBug',
  'session-write-bug': 'sessionWriteBug',
} as const;

/** Parses a SPEC; an unknown key or a share outside [0, 1] is an error naming it. */
export function parseFaults(spec: string): FaultPlan {
  const plan: { -readonly [K in keyof FaultPlan]: FaultPlan[K] } = { ...NO_FAULTS };
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const [key, raw] = part.split('=') as [string, string | undefined];
    if (key === 'duplicate') {
      plan.duplicate = raw === undefined || raw === 'true';
      continue;
    }
    if (key === 'seed') {
      const seed = Number(raw);
      if (!Number.isInteger(seed) || seed < 0) throw new Error(`--faults seed must be a whole number; got ${JSON.stringify(raw)}`);
      plan.seed = seed;
      continue;
    }
    const field = SHARE_KEYS[key as keyof typeof SHARE_KEYS];
    if (!field)
      throw new Error(
        `--faults: unknown key ${JSON.stringify(key)}; the keys are ${[...Object.keys(SHARE_KEYS), 'duplicate', 'seed'].join(', ')}`,
      );
    const share = Number(raw);
    if (!(share >= 0 && share <= 1)) throw new Error(`--faults ${key} must be a share from 0 to 1; got ${JSON.stringify(raw)}`);
    plan[field] = share;
  }
  return plan;
}

/** What the injector did, for the report. */
export interface FaultCounts {
  ddbErrors: number;
  ddbLostResponses: number;
  crashes: number;
  duplicateDeliveries: number;
  transformFailures: number;
  /** Records the transform's injected bug answered ProcessingFailed (each answer, retries included). */
  transformBugRecords: number;
  /** Session-processor invocations the injected bug made throw. */
  sessionBugInvocations: number;
}

/** The chance that a call of an invocation that is to crash is one it dies at: one in four. */
const CRASH_AT_CALL = 0.25;

const ERRORS = [
  () =>
    Object.assign(new Error('Rate of requests exceeds the allowed throughput (injected)'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    }),
  () => Object.assign(new Error('Internal server error (injected)'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }),
  () => Object.assign(new Error('socket timed out (injected)'), { name: 'TimeoutError' }),
];

/** Where the injected session-processor bug throws: before the invocation's writes, or after them. */
export type SessionBugPlace = 'before its writes' | 'after its writes' | 'while writing its users';

/** The injected session-processor bug: thrown by an invocation that holds a record it "cannot handle". */
export class InjectedSessionBug extends Error {
  constructor(readonly place: SessionBugPlace) {
    super(`the session-processor threw on a record it cannot handle (injected bug, ${place})`);
    this.name = 'InjectedSessionBug';
  }
}

/** The crash of an invocation: not retryable by the store, so the invocation fails as a timed-out one does. */
export class InjectedCrash extends Error {
  constructor() {
    super('the invocation was stopped part-way (injected crash)');
    this.name = 'InjectedCrash';
  }
}

const KEY_ATTRIBUTES: readonly string[] = [...Object.values(SESSIONS_TABLE_KEYS), ...Object.values(METRICS_TABLE_KEYS)];

/**
 * The key attributes of an item or key, as text. A pending-metrics marker is named as such: its key holds the
 * batch's first sequence number, which Kinesis assigns anew in every run (an invocation writes one marker).
 */
function keyText(item: Readonly<Record<string, unknown>> | undefined): string {
  if (item !== undefined && isPendingMarker({ [METRICS_TABLE_KEYS.partitionKey]: plainValue(item[METRICS_TABLE_KEYS.partitionKey]) }))
    return 'pending-marker';
  return KEY_ATTRIBUTES.filter((k) => item?.[k] !== undefined)
    .map((k) => JSON.stringify(item![k]))
    .join(',');
}

/** A string attribute as the document client gives it, or as DynamoDB's wire form (`{ S: … }`) does. */
function plainValue(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'S' in value ? value.S : value;
}

interface WriteRequest {
  readonly PutRequest?: { readonly Item: Record<string, unknown> };
  readonly DeleteRequest?: { readonly Key: Record<string, unknown> };
}

interface RequestShape {
  readonly TableName?: string;
  readonly Item?: Record<string, unknown>;
  readonly Key?: Record<string, unknown>;
  /** BatchWriteItem's writes, or BatchGetItem's keys, by table. */
  readonly RequestItems?: Record<string, readonly WriteRequest[] | { readonly Keys?: ReadonlyArray<Record<string, unknown>> }>;
}

/** What a DynamoDB request touches: its table and the keys of its items, sorted; the same in every run. */
export function requestKeys(input: unknown): string {
  const r = input as RequestShape;
  if (r.RequestItems === undefined) return `${r.TableName ?? ''}:${keyText(r.Item ?? r.Key)}`;
  return Object.entries(r.RequestItems)
    .map(([table, requests]) => {
      const keys = Array.isArray(requests)
        ? (requests as readonly WriteRequest[]).map((q) => keyText(q.PutRequest?.Item ?? q.DeleteRequest?.Key))
        : ((requests as { readonly Keys?: ReadonlyArray<Record<string, unknown>> }).Keys ?? []).map((k) => keyText(k));
      return `${table}:${keys.sort().join(';')}`;
    })
    .sort()
    .join('|');
}

/** One invocation under fault injection: where its draws come from, and the calls it has left when it is to crash. */
interface InvocationFaults {
  /** `consumer/shard/n`: the n-th invocation of one consumer on one shard. */
  readonly key: string;
  /** DynamoDB calls made so far, per operation and keys. */
  readonly calls: Map<string, number>;
  /** Whether the invocation is to die (see `crash` above). */
  crashArmed: boolean;
  /** The session write bug: the invocation throws at its first write to the sessions table. */
  throwAtUserWrite: boolean;
}

/**
 * Injects the plan's faults. Every decision is drawn from a random source of its own, seeded from the plan's
 * seed and the decision's place: the consumer, the shard, the invocation's number on that shard and, for a
 * DynamoDB call, its operation, the keys it reads or writes and its number among that invocation's calls of the
 * same operation and keys. Responses arrive in any order and an invocation's writes run side by side, yet each
 * decision is the same in every run that makes the same calls; the local runtime puts the whole input before the
 * consumers start when faults are asked for, so that every run sees the same batches. With several shards a batch
 * also settles the pending-metrics markers of other shards' batches in flight, so the calls it makes, and the
 * counts of faults, depend on how the shards interleave; the outcome does not.
 */
export class FaultInjector {
  readonly counts: FaultCounts = {
    ddbErrors: 0,
    ddbLostResponses: 0,
    crashes: 0,
    duplicateDeliveries: 0,
    transformFailures: 0,
    transformBugRecords: 0,
    sessionBugInvocations: 0,
  };
  private readonly invocations = new Map<string, number>();
  private readonly current = new AsyncLocalStorage<InvocationFaults>();

  constructor(readonly plan: FaultPlan) {}

  /** Installs DynamoDB errors, lost responses and crashes on the session-processor's client. */
  instrumentDynamoDb(client: DynamoDBClient, sessionsTable: string): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const invocation = this.current.getStore();
        if (invocation === undefined) return next(args);
        const operation = context.commandName ?? 'call';
        // The users' writes are the puts to the sessions table; the metrics table's come first.
        const usersTable = (args.input as { TableName?: string }).TableName === sessionsTable;
        if (invocation.throwAtUserWrite && operation === 'PutItemCommand' && usersTable) {
          this.counts.sessionBugInvocations += 1;
          throw new InjectedSessionBug('while writing its users');
        }
        // Named by what the call writes or reads, not by its place among the invocation's calls: the session
        // writes run side by side (a user's state once its sessions are written), so their order varies from run
        // to run, and a numbered draw would fall on another call. A call repeated within the invocation (a retry)
        // takes the next draw of its name.
        const name = `${operation}/${requestKeys(args.input)}`;
        const n = invocation.calls.get(name) ?? 0;
        invocation.calls.set(name, n + 1);
        // A crash strikes a call by its name too, and only that call: whether any other call is made depends on
        // its own draws and on the code's order, never on the order in which responses arrive.
        if (invocation.crashArmed && this.random(`${invocation.key}/${name}/${n}/crash`).chance(CRASH_AT_CALL)) {
          throw new InjectedCrash();
        }
        const random = this.random(`${invocation.key}/${name}/${n}`);
        if (this.plan.ddbError > 0 && random.chance(this.plan.ddbError)) {
          this.counts.ddbErrors += 1;
          throw ERRORS[random.int(0, ERRORS.length - 1)]!();
        }
        // Drawn before the call, so that the order in which responses arrive cannot change it.
        const loseResponse = this.plan.ddbLostResponse > 0 && random.chance(this.plan.ddbLostResponse);
        const result = await next(args);
        if (loseResponse) {
          this.counts.ddbLostResponses += 1;
          throw ERRORS[2]!();
        }
        return result;
      },
      { step: 'initialize', name: 'injectFaults' },
    );
  }

  /** Wraps one session-processor invocation: maybe arms a crash, maybe delivers the batch twice, maybe throws the session bug. */
  async invokeSessions<E extends KinesisStreamEvent, R>(event: E, next: (e: E) => Promise<R>): Promise<R> {
    const shard = event.Records[0]?.eventID.split(':')[0] ?? '';
    if (this.plan.duplicate) {
      this.counts.duplicateDeliveries += 1;
      await this.once(this.nextInvocation('session-processor', shard), event, next).catch(() => undefined);
    }
    return this.once(this.nextInvocation('session-processor', shard), event, next);
  }

  private async once<E extends KinesisStreamEvent, R>(key: string, event: E, next: (e: E) => Promise<R>): Promise<R> {
    const invocation: InvocationFaults = {
      key,
      calls: new Map(),
      crashArmed: false,
      throwAtUserWrite: this.sessionWriteBugIn(event),
    };
    const random = this.random(`${key}/crash`);
    if (this.plan.crash > 0 && random.chance(this.plan.crash)) {
      this.counts.crashes += 1;
      invocation.crashArmed = true;
    }
    const bug = this.sessionBugIn(event);
    if (bug === 'before its writes') {
      this.counts.sessionBugInvocations += 1;
      throw new InjectedSessionBug(bug);
    }
    const result = await this.current.run(invocation, () => next(event));
    // Armed, and still running: no call struck it (or one that did was a write the processor lets fail, a
    // pending-metrics marker's): it dies at its end, before it could answer.
    if (invocation.crashArmed) throw new InjectedCrash();
    if (bug === 'after its writes') {
      this.counts.sessionBugInvocations += 1;
      throw new InjectedSessionBug(bug);
    }
    return result;
  }

  /** Where the session bug strikes an invocation of these records: before its writes if any record says so. */
  private sessionBugIn(event: KinesisStreamEvent): SessionBugPlace | undefined {
    if (this.plan.sessionBug === 0) return undefined;
    let place: SessionBugPlace | undefined;
    for (const r of event.Records) {
      const here = this.sessionBugOf(Buffer.from(r.kinesis.data, 'base64'));
      if (here === 'before its writes') return here;
      place ??= here;
    }
    return place;
  }

  /** Whether the session write bug strikes a record of these: drawn per record from its bytes. */
  private sessionWriteBugIn(event: KinesisStreamEvent): boolean {
    if (this.plan.sessionWriteBug === 0) return false;
    return event.Records.some((r) =>
      this.random(`session-write-bug/${fingerprint(Buffer.from(r.kinesis.data, 'base64'))}`).chance(this.plan.sessionWriteBug),
    );
  }

  /** Whether the session bug strikes a record with these bytes, and where: the same for every run of the same seed. */
  sessionBugOf(data: Buffer): SessionBugPlace | undefined {
    const random = this.random(`session-bug/${fingerprint(data)}`);
    if (!random.chance(this.plan.sessionBug)) return undefined;
    return random.chance(0.5) ? 'before its writes' : 'after its writes';
  }

  /** Whether the transform bug strikes a record with these bytes: the same for every run of the same seed. */
  transformBugOf(data: Buffer): boolean {
    return this.random(`transform-bug/${fingerprint(data)}`).chance(this.plan.transformBug);
  }

  /** Wraps one transform invocation: maybe fails before or after the work (duplicates are the model's). */
  async invokeTransform<E extends FirehoseTransformationEvent, R extends FirehoseTransformationResult>(
    event: E,
    next: (e: E) => Promise<R>,
  ): Promise<R> {
    const work = this.plan.transformBug > 0 ? (e: E) => this.withTransformBug(e, next) : next;
    const random = this.random(this.nextInvocation('firehose-transform', event.records[0]?.kinesisRecordMetadata?.shardId ?? ''));
    if (this.plan.transformError > 0 && random.chance(this.plan.transformError)) {
      this.counts.transformFailures += 1;
      if (random.chance(0.5)) throw new Error('Task timed out (injected)');
      await work(event);
      throw new Error('Task timed out after the work was done (injected)');
    }
    return work(event);
  }

  /** The real transform's answer, with the bugged records answered ProcessingFailed with their input bytes. */
  private async withTransformBug<E extends FirehoseTransformationEvent, R extends FirehoseTransformationResult>(
    event: E,
    next: (e: E) => Promise<R>,
  ): Promise<R> {
    const result = await next(event);
    const bugged = new Map(
      event.records.filter((r) => this.transformBugOf(Buffer.from(r.data, 'base64'))).map((r) => [r.recordId, r.data] as const),
    );
    if (bugged.size === 0) return result;
    this.counts.transformBugRecords += bugged.size;
    return {
      ...result,
      records: result.records.map((answer) => {
        const data = bugged.get(answer.recordId);
        return data === undefined ? answer : { recordId: answer.recordId, result: 'ProcessingFailed' as const, data };
      }),
    };
  }

  /** The key of the next invocation of a consumer on a shard. */
  private nextInvocation(consumer: string, shard: string): string {
    const key = `${consumer}/${shard}`;
    const n = this.invocations.get(key) ?? 0;
    this.invocations.set(key, n + 1);
    return `${key}/${n}`;
  }

  /** A random source for one decision, seeded from the plan's seed and the decision's key. */
  private random(key: string): Random {
    return new Random(createHash('sha256').update(`${this.plan.seed}/${key}`).digest().readUInt32BE(0));
  }
}
