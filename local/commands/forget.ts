/** `clickstream forget`: erase users from a data directory or a deployed stack, and say what changed. */
import { readFileSync } from 'node:fs';
import { pseudonymousUserId } from '../../functions/shared/pseudonym';
import { UsageError } from '../errors';
import { forget } from '../ops/forget';
import type { ForgetReport, ForgetSubject } from '../ops/forget';
import { openDataDirPlace, openStackPlace } from '../ops/forget-places';
import type { OpenPlace } from '../ops/forget-places';

export interface ForgetCommand {
  readonly users: readonly string[];
  readonly where: { readonly dataDir: string } | { readonly stack: string; readonly region?: string };
  readonly dryRun: boolean;
  readonly reference?: string;
}

/** The user ids of `--user` flags and a `--users-file` (one per line, as written). */
export function userIds(flags: readonly string[], file: string | undefined): string[] {
  // Lines as they are (a user id may hold spaces; only the line ending goes), blank lines and `#` comments skipped.
  const fromFile =
    file === undefined
      ? []
      : readFileSync(file, 'utf8')
          .split(/\r?\n/)
          .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const ids = [...new Set([...flags, ...fromFile])];
  if (ids.length === 0) throw new UsageError('forget needs at least one --user ID (or --users-file FILE)');
  for (const id of ids) if (id.trim() === '') throw new UsageError('--user must not be empty');
  return ids;
}

/** Runs the erasure and prints its report; returns the exit code (0 when nothing of the users is left). */
export async function forgetCommand(c: ForgetCommand, out: (line: string) => void): Promise<number> {
  const opened: OpenPlace =
    'dataDir' in c.where ? await openDataDirPlace(c.where.dataDir) : await openStackPlace(c.where.stack, c.where.region);
  try {
    // In userIdMode hash the sessions table and the archive hold the id's keyed hash; the failure stores, the id as sent.
    const ids = opened.userIds;
    // Both in hash mode: rows written before the mode was switched from keep hold the raw id.
    const subjects: ForgetSubject[] = c.users.map((raw) => ({
      raw,
      stored: ids.mode === 'hash' ? [pseudonymousUserId(ids.key, raw), raw] : [raw],
    }));
    const userIdMode = ids.mode;
    const mode = userIdMode === 'hash' ? ', user ids stored as their keyed hash' : '';
    out(
      `clickstream forget: ${subjects.length} user(s) from ${opened.description}${mode}${c.dryRun ? ' (dry run: nothing is changed)' : ''}`,
    );
    const report = await forget(subjects, opened.place, {
      dryRun: c.dryRun,
      userIdMode,
      progress: out,
      ...(c.reference ? { reference: c.reference } : {}),
    });
    for (const line of reportLines(report)) out(line);
    return complete(report) ? 0 : 1;
  } finally {
    await opened.close();
  }
}

function complete(r: ForgetReport): boolean {
  return r.toRestore.length === 0 && r.remaining.sessionItems + r.remaining.archiveObjects + r.remaining.failureRecords === 0;
}

/** The report: what changed in each store, what is left and why, and where the audit record is. */
export function reportLines(r: ForgetReport): string[] {
  const objects = (c: ForgetReport['archive'], unit: string) =>
    `${r.dryRun ? 'would remove' : 'removed'} ${c.removed} ${unit}: ${c.objectsRewritten} object(s) ${r.dryRun ? 'to rewrite' : 'rewritten'}, ${c.objectsDeleted} ${r.dryRun ? 'to delete' : 'deleted'} (no row left)`;
  const lines = [
    '',
    r.sessionItems + r.archive.removed + r.failureStores.removed === 0
      ? `Nothing of ${r.users} user(s) was found: nothing ${r.dryRun ? 'would change' : 'changed'}`
      : `${r.dryRun ? 'Would erase' : 'Erased'} ${r.users} user(s):`,
    `  sessions table   ${r.sessionItems} item(s) ${r.dryRun ? 'to delete' : 'deleted'}`,
    `  archive          ${objects(r.archive, 'row(s)')}`,
    `  failure stores   ${objects(r.failureStores, 'record(s)')}`,
    '  metrics          unchanged: aggregates without user ids',
  ];
  if (r.toRestore.length > 0) {
    lines.push(
      `  to restore       ${r.toRestore.length} archived object(s) cannot be read until restored; restore each, then run forget again:`,
    );
    for (const o of r.toRestore) lines.push(`    ${o.command}    # ${o.storageClass}`);
  }
  if (!r.dryRun) {
    const left = r.remaining;
    lines.push(
      left.sessionItems + left.archiveObjects + left.failureRecords === 0
        ? '  verified         the same search finds nothing of them in any store'
        : `  NOT COMPLETE     the search afterwards still finds ${left.sessionItems} item(s), ${left.archiveObjects} archive object(s) and ${left.failureRecords} failure record(s): their events are still arriving; stop their producer and run forget again`,
    );
    lines.push(`  audit record     ${r.auditKey ?? 'none (nothing was changed)'}`);
  }
  return lines;
}
