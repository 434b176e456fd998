/** Drives processBatch the way Lambda's Kinesis event source does: batches in order, retry from the reported record. */
import type { KinesisStreamRecord } from 'aws-lambda';
import { processBatch } from '../../functions/session-processor/process-batch';
import type { BatchDeps } from '../../functions/session-processor/process-batch';

export interface LoopOptions {
  /** Batch sizes, used in turn, one per attempt. */
  readonly batchSizes: readonly number[];
  /** Deliver every batch a second time right after the first. */
  readonly deliverTwice?: boolean;
  /** Called before each attempt with its number, to arm faults. */
  readonly beforeAttempt?: (attempt: number) => void;
  /** Called after each attempt, to disarm them. */
  readonly afterAttempt?: (attempt: number) => void;
  /** Attempts before giving up, so a bug cannot loop forever. */
  readonly maxAttempts?: number;
}

/** Returns the number of attempts that reported a failure. */
export async function runLikeLambda(records: readonly KinesisStreamRecord[], deps: BatchDeps, o: LoopOptions): Promise<number> {
  let i = 0;
  let attempt = 0;
  let retried = 0;
  while (i < records.length) {
    if (attempt >= (o.maxAttempts ?? 10_000)) throw new Error(`gave up after ${attempt} attempts at record ${i}`);
    const batch = records.slice(i, i + o.batchSizes[attempt % o.batchSizes.length]!);
    o.beforeAttempt?.(attempt);
    const { response } = await processBatch(batch, deps);
    o.afterAttempt?.(attempt);
    attempt += 1;
    if (o.deliverTwice) await processBatch(batch, deps);
    const failed = response.batchItemFailures[0]?.itemIdentifier;
    if (failed === undefined) i += batch.length;
    else {
      retried += 1;
      i = records.findIndex((r) => r.kinesis.sequenceNumber === failed);
    }
  }
  return retried;
}
