/**
 * What the dashboard reads, behind one small interface: the local stores (dynalite and the archive through
 * DuckDB) or a deployed stack's (DynamoDB and Athena). The panels are computed from these reads alone, by
 * the same export functions `clickstream export` and the same named queries `clickstream query` use.
 */
import type { MetricsExport, SessionExport } from '../commands/export';
import type { DateRange } from '../../queries';
import type { TimeRange } from '../runtime/time-range';

export type { TimeRange };

export interface DashboardSource {
  /** Shown on the page: where the figures come from. */
  readonly description: string;
  /** Every sessions-table session, as `clickstream export sessions` gives it. */
  sessions(): Promise<SessionExport[]>;
  /** Every metrics-table item (a window of one shard), as `clickstream export metrics` gives it. */
  windows(): Promise<MetricsExport[]>;
  /** The rows of a shipped named query (`queries/<name>.sql`) over the dates of `days`. */
  namedQuery(name: string, days: DateRange): Promise<Array<Record<string, unknown>>>;
  /** Archive objects (data and error) under the dates of `days`. */
  archiveObjects(days: DateRange): Promise<number>;
  /** The newest event time in the archive, epoch ms; undefined when it is empty. */
  newestArchiveEventMs(): Promise<number | undefined>;
  close(): Promise<void>;
}
