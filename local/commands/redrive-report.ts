/** The report `clickstream redrive` prints, in the style of `run`'s: per source what was read, put and left, then conservation. */
import type { SourceReport } from '../ops/redrive';
import { stillRefused } from '../ops/redrive';
import type { ArrivalRange } from '../ops/redrive-decision';
import type { LeftOnStream } from '../runtime/pipeline';
import type { ArchiveOutcomes } from '../runtime/pipeline-pass';
import { holds, leftOnStreamTerms } from '../runtime/pipeline-pass';
import type { Progress } from '../runtime/progress';
import type { SessionPathTotals } from '../runtime/report';
import { table } from '../runtime/report';

/** What the local pipeline made of the records put back, and its conservation checks. */
export interface RedrivePassReport {
  readonly put: number;
  /** Records an earlier, stopped run left on the stream; the pass consumed them with the redriven ones. */
  readonly left: LeftOnStream;
  readonly countedBefore: number;
  /** The session path's counts the pass added. */
  readonly totals: SessionPathTotals;
  readonly archive: ArchiveOutcomes;
  /** put + left = applied + duplicates + late + refused (+ counted by the stopped run). */
  readonly sessionPathBalanced: boolean;
  /** put + left = archived + processing failed + dropped, every one written. */
  readonly archivePathBalanced: boolean;
}

interface Context {
  readonly dryRun: boolean;
  readonly range: ArrivalRange;
  readonly maxEventAgeHours: number;
}

/** Column headings of the sources, by source name. */
const COLUMNS: Readonly<Record<string, string>> = {
  'archive error output (processing-failed)': 'archive errors',
  'on-failure destination': 'on-failure batches',
};

export function printSources(p: Progress, reports: readonly SourceReport[], c: Context): void {
  const row = (label: string, figure: (r: SourceReport) => number): Array<string | number> => [label, ...reports.map(figure)];
  const reasons = [...new Set(reports.flatMap((r) => Object.keys(r.refusedByReason)))].sort();
  const ranged = c.range.from !== undefined || c.range.to !== undefined;
  p.line('');
  p.line(
    table(
      ['', ...reports.map((r) => COLUMNS[r.source] ?? r.source)],
      [
        row('objects read', (r) => r.objectsRead),
        row('records read', (r) => r.recordsRead),
        row(c.dryRun ? 'would be put back on the stream' : 'put back on the stream', (r) => r.put),
        row('still refused (left in place)', stillRefused),
        ...reasons.map((reason) => row(`  ${reason}`, (r) => r.refusedByReason[reason] ?? 0)),
        row('older than maxEventAgeHours now', (r) => r.tooOldNow),
        ...(ranged ? [row('arrived outside --from/--to', (r) => r.outsideRange)] : []),
        row('objects moved whole to redriven/', (r) => r.objectsMoved),
        row('objects split (the rest left)', (r) => r.objectsSplit),
      ],
    ),
  );
  for (const r of reports) p.line(`  ${COLUMNS[r.source] ?? r.source}: ${r.source}, ${r.location}`);
  const tooOld = reports.reduce((n, r) => n + r.tooOldNow, 0);
  if (tooOld > 0)
    p.line(
      `  ${tooOld} record(s) were valid when they arrived but are older than maxEventAgeHours (${c.maxEventAgeHours}) now: put back, they would be refused again. ` +
        'To load them, raise the bound for a backfill run (README, "Recovering failed records")',
    );
  for (const r of reports) {
    if (r.notReadable.length > 0)
      p.line(
        `  ${r.notReadable.length} object(s) of the ${r.source} are in an archived storage class and not restored (first: ${r.notReadable[0]}): restore them, then run redrive again`,
      );
    if (r.malformed.length > 0)
      p.line(`  ${r.malformed.length} object(s) of the ${r.source} are not in its format and were left alone (first: ${r.malformed[0]})`);
  }
}

export function printPass(p: Progress, r: RedrivePassReport): void {
  const t = r.totals;
  const a = r.archive;
  const left = leftOnStreamTerms(r.left, r.countedBefore);
  p.line('');
  p.line('Redriven records (this run)');
  p.line(
    table(
      ['', 'records'],
      [
        ['put back on the stream', r.put],
        ['  applied to sessions', t.applied],
        ['  producer duplicates', t.duplicates],
        ['  late (before session start)', t.late],
        ['  applied, counted before (a failed batch)', t.alreadyCounted],
        ['  refused', t.refused],
      ],
    ),
  );
  p.line(
    `  session path: records put ${r.put}${left.sessionIn} = applied ${t.applied} + duplicates ${t.duplicates} + late ${t.late} + counted before ${t.alreadyCounted} + refused ${t.refused}${left.sessionAhead}: ${holds(r.sessionPathBalanced)}`,
  );
  p.line(
    `  archive path: records put ${r.put}${left.archiveIn} = archived ${a.ok} + processing failed ${a.processingFailed} + dropped ${a.dropped}: ${holds(r.archivePathBalanced)}`,
  );
  if (a.writeFailures > 0)
    p.line(
      `  archive object writes failed ${a.writeFailures} time(s); ${a.unwritten} record(s) not written; last error: ${a.lastWriteError ?? '(none)'}`,
    );
  p.line(
    "  An event applied before counts as a duplicate (in its user's current session) or late (in an earlier one): neither changes a session or a business metric.",
  );
}
