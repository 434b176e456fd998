/** Parts of an archive row's JSON text, made once for values that repeat (a page, a referrer, a user agent). */
import type { ArchiveRow } from '../../shared/archive-schema';

/**
 * Some of a row's columns as JSON members, each after a comma (`,"is_bot":false,"bot_name":null`): the row's
 * text is joined from such parts instead of serialising every column of every row.
 */
export function jsonMembers<K extends keyof ArchiveRow>(columns: Pick<ArchiveRow, K>): string {
  const text = JSON.stringify(columns);
  return text === '{}' ? '' : `,${text.slice(1, -1)}`;
}
