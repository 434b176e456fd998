/**
 * Fault injection for the local runtime (`clickstream run --faults SPEC`), from a seeded random source so
 * that a failing run can be replayed. SPEC is a comma-separated list of keys:
 *
 * - `ddb-error=P`: each DynamoDB call of the session-processor fails with probability P, before it reaches the
 *   table: throttling (ProvisionedThroughputExceededException), a 500 (InternalServerError) or a timeout, in turn;
 * - `ddb-lost-response=P`: each call reaches the table, then its response is lost (the caller sees a timeout);
 * - `crash=P`: each session-processor invocation, with probability P, dies after a random number of its
 *   DynamoDB calls, as a Lambda timeout does (the invocation fails; Lambda retries and bisects);
 * - `duplicate`: every batch is delivered twice to each consumer;
 * - `transform-error=P`: each transform invocation fails (half before, half after doing its work, as a
 *   timeout) with probability P; Firehose retries, then writes the records to its processing-failed output;
 * - `seed=N`: the random source's seed (default 1).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Random } from './workload/random';

export interface FaultPlan {
  readonly ddbError: number;
  readonly ddbLostResponse: number;
  readonly crash: number;
  readonly duplicate: boolean;
  readonly transformError: number;
  readonly seed: number;
}

export const NO_FAULTS: FaultPlan = { ddbError: 0, ddbLostResponse: 0, crash: 0, duplicate: false, transformError: 0, seed: 1 };

const SHARE_KEYS = { 'ddb-error': 'ddbError', 'ddb-lost-response': 'ddbLostResponse', crash: 'crash', 'transform-error': 'transformError' } as const;

/** Parses a SPEC; an unknown key or a share outside [0, 1] is an error naming it. */
export function parseFaults(spec: string): FaultPlan {
  const plan: { -readonly [K in keyof FaultPlan]: FaultPlan[K] } = { ...NO_FAULTS };
  for (const part of spec.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
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
    if (!field) throw new Error(`--faults: unknown key ${JSON.stringify(key)}; the keys are ${[...Object.keys(SHARE_KEYS), 'duplicate', 'seed'].join(', ')}`);
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
}

const ERRORS = [
  () => Object.assign(new Error('Rate of requests exceeds the allowed throughput (injected)'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } }),
  () => Object.assign(new Error('Internal server error (injected)'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }),
  () => Object.assign(new Error('socket timed out (injected)'), { name: 'TimeoutError' }),
];

/** The crash of an invocation: not retryable by the store, so the invocation fails as a timed-out one does. */
export class InjectedCrash extends Error {
  constructor() {
    super('the invocation was stopped part-way (injected crash)');
    this.name = 'InjectedCrash';
  }
}

export class FaultInjector {
  readonly counts: FaultCounts = { ddbErrors: 0, ddbLostResponses: 0, crashes: 0, duplicateDeliveries: 0, transformFailures: 0 };
  private readonly random: Random;
  private errorKind = 0;
  /** DynamoDB calls left before the current invocation crashes, when it is to crash. */
  private callsBeforeCrash: number | undefined;

  constructor(readonly plan: FaultPlan) {
    this.random = new Random(plan.seed);
  }

  /** Installs DynamoDB errors, lost responses and crashes on the session-processor's client. */
  instrumentDynamoDb(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next) => async (args) => {
        if (this.callsBeforeCrash !== undefined) {
          if (this.callsBeforeCrash <= 0) throw new InjectedCrash();
          this.callsBeforeCrash -= 1;
        }
        if (this.plan.ddbError > 0 && this.random.chance(this.plan.ddbError)) {
          this.counts.ddbErrors += 1;
          throw ERRORS[this.errorKind++ % ERRORS.length]!();
        }
        const result = await next(args);
        if (this.plan.ddbLostResponse > 0 && this.random.chance(this.plan.ddbLostResponse)) {
          this.counts.ddbLostResponses += 1;
          throw ERRORS[2]!();
        }
        return result;
      },
      { step: 'initialize', name: 'injectFaults' },
    );
  }

  /** Wraps one session-processor invocation: maybe arms a crash, maybe delivers the batch twice. */
  async invokeSessions<E, R>(event: E, next: (e: E) => Promise<R>): Promise<R> {
    if (this.plan.duplicate) {
      this.counts.duplicateDeliveries += 1;
      await this.once(event, next).catch(() => undefined);
    }
    return this.once(event, next);
  }

  private async once<E, R>(event: E, next: (e: E) => Promise<R>): Promise<R> {
    if (this.plan.crash > 0 && this.random.chance(this.plan.crash)) {
      this.counts.crashes += 1;
      this.callsBeforeCrash = this.random.int(0, 4);
    }
    try {
      return await next(event);
    } finally {
      this.callsBeforeCrash = undefined;
    }
  }

  /** Wraps one transform invocation: maybe fails before or after the work (duplicates are the model's). */
  async invokeTransform<E, R>(event: E, next: (e: E) => Promise<R>): Promise<R> {
    if (this.plan.transformError > 0 && this.random.chance(this.plan.transformError)) {
      this.counts.transformFailures += 1;
      if (this.random.chance(0.5)) throw new Error('Task timed out (injected)');
      await next(event);
      throw new Error('Task timed out after the work was done (injected)');
    }
    return next(event);
  }
}
