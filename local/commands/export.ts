/** `clickstream export sessions|metrics`: the local DynamoDB state as newline-delimited JSON, snake_case. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Session, WindowMetrics } from '../../functions/session-processor/model';
import { dynamoDbClient } from '../runtime/aws-clients';
import { openExistingDataDir } from '../runtime/data-dir';
import { startDynalite } from '../emulators/dynalite';
import { LOCAL_NAMES } from '../runtime/pipeline';
import { allSessions, allWindows } from '../runtime/read-tables';
import type { SessionRow } from '../../dashboard/api';

/**
 * A session as `export sessions` prints it: the dashboard's session row (with the channel), and the attribution
 * and cut journey. `source`, `medium` and `campaign` are GA4's session source, medium and campaign (a direct
 * session's inherited from the user's last non-direct one); `referrer` and `utm_*` are the first event's as sent.
 */
export interface SessionExport extends SessionRow {
  readonly client_session_id: string | null;
  readonly referrer: string | null;
  readonly utm_source: string | null;
  readonly utm_medium: string | null;
  readonly utm_campaign: string | null;
  readonly source: string | null;
  readonly medium: string | null;
  readonly campaign: string | null;
  readonly journey_cut: number;
}

export interface MetricsExport {
  readonly window_start: string;
  readonly events_by_type: Readonly<Record<string, number>>;
  readonly page_views: number;
  readonly page_views_by_page: Readonly<Record<string, number>>;
  readonly conversions: number;
  readonly revenue: number;
  readonly sessions_started: number;
  readonly active_users: number;
  readonly duplicates: number;
  readonly late_events: number;
  readonly already_counted: number;
  readonly refused: number;
  readonly refused_by_reason: Readonly<Record<string, number>>;
}

export function exportSession(s: Session): SessionExport {
  return {
    user_id: s.userId,
    session_id: s.sessionId,
    client_session_id: s.clientSessionId ?? null,
    start_time: new Date(s.startMs).toISOString(),
    last_activity_time: new Date(s.lastMs).toISOString(),
    event_count: s.eventCount,
    page_views: s.pageViews,
    landing_page: s.landingPage,
    exit_page: s.exitPage,
    referrer: s.referrer ?? null,
    utm_source: s.utmSource ?? null,
    utm_medium: s.utmMedium ?? null,
    utm_campaign: s.utmCampaign ?? null,
    // Null only for sessions stored before sessions had a channel.
    channel: s.channel ?? null,
    source: s.source ?? null,
    medium: s.medium ?? null,
    campaign: s.campaign ?? null,
    converted: s.converted,
    revenue: s.revenueMicros / 1e6,
    journey: s.journey,
    journey_cut: s.journeyCut,
  };
}

export function exportWindow(w: WindowMetrics): MetricsExport {
  return {
    window_start: new Date(w.windowStartMs).toISOString(),
    events_by_type: sorted(w.eventsByType),
    page_views: w.pageViews,
    page_views_by_page: sorted(w.pageViewsByPage),
    conversions: w.conversions,
    revenue: w.revenueMicros / 1e6,
    sessions_started: w.sessionsStarted,
    active_users: w.activeUsers,
    duplicates: w.duplicates,
    late_events: w.lateEvents,
    already_counted: w.alreadyCounted,
    refused: w.refused,
    refused_by_reason: sorted(w.refusedByReason),
  };
}

function sorted(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Reads sessions or metrics from a running DynamoDB endpoint (`clickstream up`), or from a data directory's
 * DynamoDB, started on a free port for the purpose.
 */
export async function readExport(
  what: 'sessions' | 'metrics',
  dataDirPath: string,
  endpoint?: string,
): Promise<Array<SessionExport | MetricsExport>> {
  if (endpoint) {
    const client = dynamoDbClient(endpoint);
    try {
      return await readTables(what, client);
    } finally {
      client.destroy();
    }
  }
  const dataDir = openDataDir(dataDirPath);
  try {
    const emulator = await startDynalite({ path: dataDir.dynamodb });
    const client = dynamoDbClient(emulator.endpoint);
    try {
      return await readTables(what, client);
    } finally {
      client.destroy();
      await emulator.close();
    }
  } finally {
    dataDir.release();
  }
}

/** The data directory, locked: its DynamoDB files admit one process. A running `up` is read through --endpoint. */
function openDataDir(path: string) {
  return openExistingDataDir(
    path,
    true,
    'wait for it to finish, or while `clickstream up` runs pass --endpoint with the DynamoDB endpoint it printed',
  );
}

async function readTables(what: 'sessions' | 'metrics', client: DynamoDBClient): Promise<Array<SessionExport | MetricsExport>> {
  if (what === 'sessions') return (await allSessions(client, LOCAL_NAMES.sessionsTable).catch(missingTable)).map(exportSession);
  return (await allWindows(client, LOCAL_NAMES.metricsTable).catch(missingTable)).map(exportWindow);
}

/** A data directory without tables yet has nothing to export (nor to show). */
export function missingTable(err: unknown): never[] {
  if (err instanceof Error && err.name === 'ResourceNotFoundException') return [];
  throw err;
}
