/**
 * Erasing people (GDPR Article 17, CCPA): every item, row and record of some users, from every store the
 * pipeline writes, the same way in AWS and on one machine.
 *
 * 1. The sessions table: every item of the user's partition (their state and their closed sessions).
 * 2. The archive's data objects: the query engine (Athena's `"$path"`, or DuckDB locally) names the objects
 *    holding a row of theirs; each is rewritten without those rows, whole, under the same key (or deleted when
 *    no row is left). Objects the engine cannot read (S3 Glacier Flexible Retrieval and Deep Archive, which
 *    Athena skips: "Query restored Amazon S3 Glacier objects",
 *    https://docs.aws.amazon.com/athena/latest/ug/querying-glacier.html) are read directly once restored, and
 *    listed with the command that restores them until then; never skipped silently.
 * 3. The failure stores (Firehose's error output, the on-failure destination, and what `redrive` moved under
 *    `redriven/`): each object is read record by record and rewritten without the user's records.
 * 4. The same search again, which must find nothing; then an audit record of counts under `erasures/`.
 *
 * Metrics windows are aggregates without user ids and stay. Every step is idempotent and every object write
 * replaces the object whole, so a run stopped anywhere is finished by running it again.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESSIONS_TABLE_KEYS } from '../../functions/session-processor/table-schema';
import { ARCHIVE_DATA_ROOT } from '../../functions/shared/firehose-prefixes';
import { ArchiveRewriter } from './archive-rewrite';
import { FAILURE_PREFIXES, readErrorOutput, readFailedBatch, readRefusedLine, userIdOf } from './failure-objects';
import type { FailureObject, KeptRecord } from './failure-objects';
import { ARCHIVED_STORAGE_CLASSES } from './object-store';
import type { ListedObject, ObjectStore } from './object-store';

/** The folder of the audit records, in the archive store, outside the Glue table's location. */
export const ERASURES_PREFIX = 'erasures/';

/**
 * A person to erase: the id the producer sent, and the ids the stores may hold it under: the raw id, and in
 * `userIdMode` hash its keyed hash too (rows written before the mode was switched hold the raw id).
 */
export interface ForgetSubject {
  readonly raw: string;
  readonly stored: readonly string[];
}

/** The query engine over the archive's data objects. */
export interface ArchiveSearch {
  /** The engine in words, for the report: `DuckDB over …`, `Athena workgroup …`. */
  readonly description: string;
  /** Keys of the data objects the engine can read that hold a row whose `user_id` is one of `storedIds`. */
  findObjects(storedIds: ReadonlySet<string>): Promise<string[]>;
}

/** Where a deployment (or a data directory) keeps what `forget` erases. */
export interface ForgetPlace {
  /** The archive: data under `events/`, Firehose's error output under `errors/`, and `redriven/`. */
  readonly archive: ObjectStore;
  /** The on-failure destination's invocation records, and `redriven/`. */
  readonly failures: ObjectStore;
  /** Input lines the local producer refused before the stream, kept whole (a data directory only). */
  readonly refusedLines?: ObjectStore;
  readonly search: ArchiveSearch;
  readonly sessions: { readonly client: DynamoDBDocumentClient; readonly table: string };
  /** Who runs the erasure, for the audit record. */
  readonly operator: string;
  /** The AWS CLI command restoring an archived object of a store; absent where nothing is ever archived. */
  readonly restoreCommand?: (store: ObjectStore, key: string) => string;
}

export interface ForgetOptions {
  /** Count what would change and write nothing. */
  readonly dryRun: boolean;
  /** The request's reference (a ticket number), kept in the audit record. */
  readonly reference?: string;
  /** `keep` or `hash`, for the audit record. */
  readonly userIdMode: string;
  readonly progress: (line: string) => void;
  readonly now?: () => Date;
}

/** An archived object that holds, or may hold, the users' data, with how to make it readable. */
export interface ObjectToRestore {
  readonly store: string;
  readonly key: string;
  readonly storageClass: string;
  readonly command: string;
}

export interface StoreCounts {
  objectsRewritten: number;
  objectsDeleted: number;
  /** Archive rows, or failure-store records. */
  removed: number;
}

export interface ForgetReport {
  readonly dryRun: boolean;
  readonly users: number;
  readonly sessionItems: number;
  readonly archive: StoreCounts;
  readonly failureStores: StoreCounts;
  readonly toRestore: readonly ObjectToRestore[];
  /** What the search after the erasure still found (all zero when it is complete). */
  readonly remaining: { readonly sessionItems: number; readonly archiveObjects: number; readonly failureRecords: number };
  readonly auditKey: string | undefined;
}

/** The audit record: who was erased when, by counts; never the erased data, never the ids themselves. */
export interface ErasureAudit {
  readonly version: 1;
  readonly erasedAt: string;
  readonly operator: string;
  readonly reference: string | null;
  readonly userIdMode: string;
  /**
   * How many people were erased. Never their ids, nor a hash of them: an unkeyed hash of a guessable id
   * (an email, a customer number) gives it back to whoever hashes the guesses; `reference` (the request's
   * ticket) is what ties the record to a person, in the system that holds the request.
   */
  readonly subjects: number;
  readonly sessionItemsDeleted: number;
  readonly archive: StoreCounts;
  readonly failureStores: StoreCounts;
  readonly objectsAwaitingRestore: number;
  /** Whether the check afterwards found nothing of them and nothing awaits a restore; null until it has run. */
  readonly complete: boolean | null;
}

/** Erases `subjects` from `place`; see the module comment for the order. */
export async function forget(subjects: readonly ForgetSubject[], place: ForgetPlace, o: ForgetOptions): Promise<ForgetReport> {
  const stored = new Set(subjects.flatMap((s) => s.stored));
  const raw = new Set(subjects.map((s) => s.raw));
  const rewriter = new ArchiveRewriter();
  try {
    o.progress(`sessions table ${place.sessions.table}: ${o.dryRun ? 'counting' : 'deleting'} the users' items`);
    const sessionItems = await eraseSessionItems(place, stored, o.dryRun);

    o.progress(`archive: searching with ${place.search.description}`);
    const archive: StoreCounts = { objectsRewritten: 0, objectsDeleted: 0, removed: 0 };
    const found = await place.search.findObjects(stored);
    const { readable: archivedReadable, toRestore } = await archivedObjects(place, ARCHIVE_DATA_ROOT);
    // A restored archived object can be both found by the engine and listed: it is rewritten once.
    for (const key of new Set([...found, ...archivedReadable]))
      await rewriteArchiveObject(place.archive, key, stored, rewriter, archive, o);

    o.progress(
      `failure stores: reading ${place.archive.description} (${FAILURE_PREFIXES.archiveErrors}) and ${place.failures.description}`,
    );
    const failureStores: StoreCounts = { objectsRewritten: 0, objectsDeleted: 0, removed: 0 };
    const matches = (r: KeptRecord) => recordMatches(r, raw, stored);
    for (const [store, listed] of await failureObjects(place)) {
      if (await store.readable(listed)) await rewriteFailureObject(store, listed.key, matches, failureStores, o);
      else toRestore.push(restoreEntry(place, store, listed));
    }

    const changed = sessionItems + archive.removed + failureStores.removed > 0;
    const partial = { dryRun: o.dryRun, users: subjects.length, sessionItems, archive, failureStores, toRestore };
    // The audit record is written before the check, marked unchecked, so that a check that fails (a timeout,
    // a lost connection) cannot leave an erasure without its record; the check then completes it.
    const at = (o.now ?? (() => new Date()))();
    const auditKey = !o.dryRun && changed ? auditKeyOf(at) : undefined;
    if (auditKey) await writeAudit(place, auditKey, at, partial, undefined, o);
    const remaining = o.dryRun
      ? { sessionItems: 0, archiveObjects: 0, failureRecords: 0 }
      : await search(place, stored, raw, rewriter, o.progress);
    if (auditKey) await writeAudit(place, auditKey, at, partial, remaining, o);
    return { ...partial, remaining, auditKey };
  } finally {
    rewriter.close();
  }
}

/** Where a run's audit record goes: by date, then time and a random id. */
function auditKeyOf(at: Date): string {
  const iso = at.toISOString();
  return `${ERASURES_PREFIX}${iso.slice(0, 10)}/${iso.replaceAll(':', '-')}-${randomUUID()}.json`;
}

/** Deletes (or counts) every item of each user's partition; returns how many. */
async function eraseSessionItems(place: ForgetPlace, storedIds: ReadonlySet<string>, dryRun: boolean): Promise<number> {
  let n = 0;
  for (const id of storedIds) {
    const keys = await sessionItemKeys(place, id);
    n += keys.length;
    if (!dryRun) await deleteItems(place, keys);
  }
  return n;
}

/** The keys of a user's items: one partition, read page by page. */
async function sessionItemKeys(place: ForgetPlace, userId: string): Promise<Array<Record<string, unknown>>> {
  const { partitionKey, sortKey } = SESSIONS_TABLE_KEYS;
  const keys: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await place.sessions.client.send(
      new QueryCommand({
        TableName: place.sessions.table,
        KeyConditionExpression: '#pk = :id',
        ProjectionExpression: '#pk, #sk',
        ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
        ExpressionAttributeValues: { ':id': userId },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) keys.push({ [partitionKey]: item[partitionKey] as unknown, [sortKey]: item[sortKey] as unknown });
    start = page.LastEvaluatedKey;
  } while (start);
  return keys;
}

// BatchWriteItem takes at most 25 requests, and returns what it could not do as UnprocessedItems, to be sent
// again with back-off ("BatchWriteItem", https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html).
const BATCH_WRITE_MAX = 25;
const BATCH_WRITE_ATTEMPTS = 8;

async function deleteItems(place: ForgetPlace, keys: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < keys.length; i += BATCH_WRITE_MAX) {
    let requests = keys.slice(i, i + BATCH_WRITE_MAX).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 1; requests.length > 0; attempt += 1) {
      if (attempt > BATCH_WRITE_ATTEMPTS)
        throw new Error(`the sessions table kept ${requests.length} deletes unprocessed after ${BATCH_WRITE_ATTEMPTS} attempts; run again`);
      if (attempt > 1) await sleep(50 * 2 ** attempt);
      const out = await place.sessions.client.send(new BatchWriteCommand({ RequestItems: { [place.sessions.table]: requests } }));
      requests = (out.UnprocessedItems?.[place.sessions.table] ?? []) as typeof requests;
    }
  }
}

/** Data objects in archived classes: the restored ones to read directly, the others to list. */
async function archivedObjects(place: ForgetPlace, prefix: string): Promise<{ readable: string[]; toRestore: ObjectToRestore[] }> {
  const readable: string[] = [];
  const toRestore: ObjectToRestore[] = [];
  for await (const o of place.archive.list(prefix)) {
    if (!ARCHIVED_STORAGE_CLASSES.has(o.storageClass)) continue;
    if (await place.archive.readable(o)) readable.push(o.key);
    else toRestore.push(restoreEntry(place, place.archive, o));
  }
  return { readable, toRestore };
}

function restoreEntry(place: ForgetPlace, store: ObjectStore, o: ListedObject): ObjectToRestore {
  return {
    store: store.description,
    key: o.key,
    storageClass: o.storageClass,
    command: place.restoreCommand?.(store, o.key) ?? `restore ${o.key} in ${store.description}`,
  };
}

async function rewriteArchiveObject(
  store: ObjectStore,
  key: string,
  storedIds: ReadonlySet<string>,
  rewriter: ArchiveRewriter,
  counts: StoreCounts,
  o: ForgetOptions,
): Promise<void> {
  const content = await store.get(key);
  const out = await rewriter.rewrite(key, content.body, storedIds);
  if (out.removed === 0) return;
  counts.removed += out.removed;
  if (out.body === undefined) {
    counts.objectsDeleted += 1;
    if (!o.dryRun) await store.delete(key);
  } else {
    counts.objectsRewritten += 1;
    if (!o.dryRun) await store.put(key, out.body, content);
  }
  o.progress(
    `  ${o.dryRun ? 'would remove' : 'removed'} ${out.removed} row(s) from ${key}${out.body === undefined ? ' (no row left: deleted)' : ''}`,
  );
}

/** Every failure-store object: Firehose's error output and its redriven copies, the on-failure records and theirs. */
async function failureObjects(place: ForgetPlace): Promise<Array<[ObjectStore, ListedObject]>> {
  const out: Array<[ObjectStore, ListedObject]> = [];
  for (const [store, prefixes] of [
    [place.archive, [FAILURE_PREFIXES.archiveErrors, `${FAILURE_PREFIXES.redriven}${FAILURE_PREFIXES.archiveErrors}`]],
    [place.failures, [FAILURE_PREFIXES.onFailure, `${FAILURE_PREFIXES.redriven}${FAILURE_PREFIXES.onFailure}`]],
  ] as const) {
    for (const prefix of prefixes) for await (const o of store.list(prefix)) out.push([store, o]);
  }
  if (place.refusedLines)
    for await (const o of place.refusedLines.list('')) if (o.key.endsWith(REFUSED_LINE_SUFFIX)) out.push([place.refusedLines, o]);
  return out;
}

/** The files of refused input lines (their index, `refused.ndjson`, holds no user data: line, reason, size, hash). */
const REFUSED_LINE_SUFFIX = '.record';

/** Parses a failure-store object by where it lies. */
function readFailureObject(key: string, body: Buffer): FailureObject {
  if (key.endsWith(REFUSED_LINE_SUFFIX)) return readRefusedLine(body);
  const unmoved = key.startsWith(FAILURE_PREFIXES.redriven) ? key.slice(FAILURE_PREFIXES.redriven.length) : key;
  return unmoved.startsWith(FAILURE_PREFIXES.onFailure) ? readFailedBatch(body) : readErrorOutput(body);
}

async function rewriteFailureObject(
  store: ObjectStore,
  key: string,
  matches: (r: KeptRecord) => boolean,
  counts: StoreCounts,
  o: ForgetOptions,
): Promise<void> {
  const content = await store.get(key);
  const object = readFailureObject(key, content.body);
  const removed = object.records.filter(matches).length;
  if (removed === 0) return;
  const body = object.keeping((r) => !matches(r));
  counts.removed += removed;
  if (body === undefined) {
    counts.objectsDeleted += 1;
    if (!o.dryRun) await store.delete(key);
  } else {
    counts.objectsRewritten += 1;
    if (!o.dryRun) await store.put(key, body, content);
  }
  o.progress(
    `  ${o.dryRun ? 'would remove' : 'removed'} ${removed} record(s) from ${key}${body === undefined ? ' (none left: deleted)' : ''}`,
  );
}

/**
 * A failure-store record of one of the users: its `userId` (a producer record) or `user_id` (a transformed
 * row) is a raw or stored id. A record that is not JSON at all is matched when its text holds a raw id as a
 * JSON string: erasing a broken record of someone else is the safer error.
 */
export function recordMatches(r: KeptRecord, raw: ReadonlySet<string>, stored: ReadonlySet<string>): boolean {
  const id = userIdOf(r);
  if (id !== undefined) return raw.has(id) || stored.has(id);
  const text = r.payload.toString('utf8');
  for (const candidate of raw) if (text.includes(JSON.stringify(candidate))) return true;
  return false;
}

/** The search of every store again, after the erasure: what is left of the users. */
async function search(
  place: ForgetPlace,
  stored: ReadonlySet<string>,
  raw: ReadonlySet<string>,
  rewriter: ArchiveRewriter,
  progress: (line: string) => void,
): Promise<ForgetReport['remaining']> {
  progress('verifying: the same search over every store');
  let sessionItems = 0;
  for (const id of stored) sessionItems += (await sessionItemKeys(place, id)).length;
  const archiveObjects = new Set(await place.search.findObjects(stored));
  const { readable } = await archivedObjects(place, ARCHIVE_DATA_ROOT);
  for (const key of readable) {
    if ((await rewriter.countRows(key, (await place.archive.get(key)).body, stored)) > 0) archiveObjects.add(key);
  }
  let failureRecords = 0;
  for (const [store, listed] of await failureObjects(place)) {
    if (!(await store.readable(listed))) continue;
    const object = readFailureObject(listed.key, (await store.get(listed.key)).body);
    failureRecords += object.records.filter((r) => recordMatches(r, raw, stored)).length;
  }
  return { sessionItems, archiveObjects: archiveObjects.size, failureRecords };
}

async function writeAudit(
  place: ForgetPlace,
  key: string,
  at: Date,
  report: Omit<ForgetReport, 'auditKey' | 'remaining'>,
  remaining: ForgetReport['remaining'] | undefined,
  o: ForgetOptions,
): Promise<void> {
  const audit: ErasureAudit = {
    version: 1,
    erasedAt: at.toISOString(),
    operator: place.operator,
    reference: o.reference ?? null,
    userIdMode: o.userIdMode,
    subjects: report.users,
    sessionItemsDeleted: report.sessionItems,
    archive: report.archive,
    failureStores: report.failureStores,
    objectsAwaitingRestore: report.toRestore.length,
    complete:
      remaining === undefined
        ? null
        : report.toRestore.length === 0 && remaining.sessionItems + remaining.archiveObjects + remaining.failureRecords === 0,
  };
  await place.archive.put(key, Buffer.from(`${JSON.stringify(audit, null, 2)}\n`));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
