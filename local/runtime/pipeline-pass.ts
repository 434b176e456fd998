/**
 * One pass of the local pipeline over the records a command puts on the stream, as `run` and `redrive` both
 * make it: start the emulators and both consumers over a data directory, read what the tables counted before,
 * let the command put its records, drain until both consumers have taken every record on the stream and
 * Firehose has written every buffer, then read what the pass added. The session path's counts come from the
 * metrics table (each record counted once, by watermark), so what a pass added is the counts after minus before.
 */
import type { Session, WindowMetrics } from '../../functions/session-processor/model';
import type { DeliveryStats } from '../aws/firehose/delivery-stream';
import { LOCAL_NAMES, LocalPipeline } from './pipeline';
import type { LeftOnStream, PipelineOptions } from './pipeline';
import type { Progress } from './progress';
import { allSessions, allWindows } from './read-tables';
import { minusTotals, sessionPathTotals } from './report';
import type { SessionPathTotals } from './report';

/** The archive path's counts, and what object writes left undone. */
export type ArchiveOutcomes = DeliveryStats & { readonly unwritten: number; readonly lastWriteError?: string };

/** What a pass added, read once both consumers are drained and every buffer is written. */
export interface PassOutcome {
  readonly drainedAt: number;
  /** Every window and session of the data directory (not only this pass's). */
  readonly windows: WindowMetrics[];
  readonly sessions: Session[];
  /** The session path's counts this pass added. */
  readonly totals: SessionPathTotals;
  readonly archive: ArchiveOutcomes;
}

export class PipelinePass {
  private constructor(
    readonly pipeline: LocalPipeline,
    /** The session path's counts in the metrics table when the pass started. */
    readonly before: SessionPathTotals,
    /** Records an earlier, stopped run left on the stream after each consumer's checkpoint; this pass consumes them. */
    readonly left: LeftOnStream,
    /** Of those, records the stopped run's session-processor had counted already (its checkpoint lags its writes). */
    readonly countedBefore: number,
  ) {}

  /** Starts the pipeline (consumers not yet polling) and reads where the stream and the tables stand. */
  static async start(o: PipelineOptions): Promise<PipelinePass> {
    const pipeline = await LocalPipeline.start(o);
    try {
      const before = sessionPathTotals(await allWindows(pipeline.dynamodb, LOCAL_NAMES.metricsTable));
      const left = await pipeline.leftOnStream();
      const countedBefore = left.sessionPath > 0 ? await countedAheadOfCheckpoint(pipeline, before, left) : 0;
      return new PipelinePass(pipeline, before, left, countedBefore);
    } catch (err) {
      await pipeline.stop();
      throw err;
    }
  }

  startConsumers(): void {
    this.pipeline.startConsumers();
  }

  /**
   * Waits until every record on the stream is consumed by both paths and every buffer is written, showing
   * progress against the `recordsIn` this pass put (and what a stopped run left), then reads the tables.
   */
  async drain(recordsIn: number, progress: Progress): Promise<PassOutcome> {
    const { pipeline, left } = this;
    const toConsume = recordsIn * 2 + left.sessionPath + left.archivePath;
    const timer = setInterval(() => progress.update('consumed (both paths)', Math.min(consumed(pipeline), toConsume), toConsume), 500);
    try {
      await pipeline.drain();
    } finally {
      clearInterval(timer);
    }
    progress.update('consumed (both paths)', toConsume, toConsume);
    progress.finish();
    const drainedAt = Date.now();
    const windows = await allWindows(pipeline.dynamodb, LOCAL_NAMES.metricsTable);
    const sessions = await allSessions(pipeline.dynamodb, LOCAL_NAMES.sessionsTable);
    return {
      drainedAt,
      windows,
      sessions,
      totals: minusTotals(sessionPathTotals(windows), this.before),
      archive: archiveOutcomes(pipeline),
    };
  }

  stop(): Promise<void> {
    return this.pipeline.stop();
  }
}

/**
 * The session path's conservation: records put + records a stopped run left = valid + refused + what the
 * stopped run had counted already.
 */
export function sessionPathBalanced(recordsIn: number, left: LeftOnStream, countedBefore: number, t: SessionPathTotals): boolean {
  const valid = t.applied + t.duplicates + t.late + t.alreadyCounted;
  return countedBefore >= 0 && countedBefore <= left.sessionPath && recordsIn + left.sessionPath === valid + t.refused + countedBefore;
}

/** The archive path's conservation: records put + left = archived + processing failed + dropped, every one written to an object. */
export function archivePathBalanced(recordsIn: number, left: LeftOnStream, a: ArchiveOutcomes): boolean {
  // Counted at acceptance; the path holds only if every accepted record also reached an object.
  return recordsIn + left.archivePath === a.ok + a.processingFailed + a.dropped && a.unwritten === 0;
}

/** The parts of a conservation line that a stopped run's leftovers add, empty when there were none. */
export function leftOnStreamTerms(
  left: LeftOnStream,
  countedBefore: number,
): { sessionIn: string; sessionAhead: string; archiveIn: string } {
  return {
    sessionIn: left.sessionPath > 0 ? ` + left on the stream by a stopped run ${left.sessionPath}` : '',
    sessionAhead: left.sessionPath > 0 ? ` + counted by the stopped run before its checkpoint ${countedBefore}` : '',
    archiveIn: left.archivePath > 0 ? ` + left on the stream by a stopped run ${left.archivePath}` : '',
  };
}

/** `holds`, or a shout when a conservation check fails. */
export function holds(balanced: boolean): string {
  return balanced ? 'holds' : 'DOES NOT HOLD';
}

/**
 * Records a stopped run's session-processor counted beyond its checkpoint (it writes the metrics table,
 * then checkpoints): every record up to the checkpoints was counted, so these are the counts at start
 * minus the records up to the checkpoints. Kinesis trims records past the stream's retention (24 hours),
 * so on a directory whose stream has lost records this figure is too high, and the check says so.
 */
async function countedAheadOfCheckpoint(p: LocalPipeline, before: SessionPathTotals, left: LeftOnStream): Promise<number> {
  const counted = before.applied + before.duplicates + before.late + before.alreadyCounted + before.refused;
  return counted - ((await p.recordsOnStream()) - left.sessionPath);
}

/** Records both consumers have taken so far, for the progress bar. */
function consumed(p: LocalPipeline): number {
  return p.sessionSource.stats.recordsDelivered + p.archive.stats.recordsIn;
}

/** The archive path's outcomes counted once per record (its first delivery's), however often it was delivered. */
function archiveOutcomes(p: LocalPipeline): ArchiveOutcomes {
  const { ok, failed, dropped } = p.archive.outcomes;
  return {
    ...p.archive.stats,
    ok,
    processingFailed: failed,
    dropped,
    unwritten: p.archive.unwrittenRecords,
    ...(p.archive.lastWriteError !== undefined ? { lastWriteError: p.archive.lastWriteError } : {}),
  };
}
