/** The fields of a session row of the shipped `sessions` query, in the order tests compare them. */

/** Epoch milliseconds of an archive timestamp (`yyyy-MM-dd HH:mm:ss.SSS`, UTC). */
export function archiveMs(text: unknown): number {
  return Date.parse(`${String(text).replace(' ', 'T')}Z`);
}

/** user, start, last activity (ms), events, page views, landing page, exit page, channel, source, medium, campaign, converted, revenue. */
export function sqlSessionFields(row: Record<string, unknown>): unknown[] {
  return [
    row['user_id'],
    archiveMs(row['start_time']),
    archiveMs(row['last_activity_time']),
    Number(row['event_count']),
    Number(row['page_views']),
    row['landing_page'],
    row['exit_page'],
    row['channel'],
    row['source'],
    row['medium'],
    row['campaign'],
    row['converted'],
    Number(row['revenue']),
  ];
}
