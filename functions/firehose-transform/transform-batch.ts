/**
 * One Firehose transformation request: every input recordId answered exactly once, with Ok (the enriched
 * row, newline-terminated, and its partition keys), Dropped (bots of the categories DROP_BOTS names) or ProcessingFailed
 * (the original bytes, which Firehose writes under the error prefix; the reason is logged with the recordId).
 *
 * Response size: Firehose refuses a response over 6 MB. The function keeps to a budget: it answers Ok while
 * the enriched records so far, plus every remaining record at its original size, fit; past that, records
 * are answered ProcessingFailed with reason `response_too_large` and their original bytes, so they reach
 * the error prefix whole and can be replayed. Since the request itself is within 6 MB, the answer always is.
 */
import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { fingerprint } from '../shared/fingerprint';
import { isAggregate } from '../shared/kinesis-records';
import type { UserIdPolicy } from '../shared/pseudonym';
import { refuse } from '../shared/reasons';
import type { Refusal } from '../shared/reasons';
import { validateRecord } from '../shared/validate-event';
import type { EventTimeBounds } from '../shared/validate-event';
import type { BotCategory } from './enrich/bots';
import type { UserAgentCache } from './enrich/user-agent';
import { partitionKeys, toRow } from './to-row';
import type { RowSettings } from './to-row';

/** Firehose's limit on a transformation response, less room for the JSON envelope. */
export const RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024 - 64 * 1024;

export interface TransformSettings extends RowSettings {
  readonly bounds: EventTimeBounds;
  /** What the row holds as `user_id` (and how `event_id` is fingerprinted); the raw id when absent. */
  readonly userIds?: UserIdPolicy;
  /** The bot categories answered Dropped instead of archived (none by default). */
  readonly dropBots: ReadonlySet<BotCategory>;
  readonly responseLimitBytes?: number;
}

export interface TransformLog {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface TransformReport {
  ok: number;
  dropped: number;
  processingFailed: number;
  /** Records answered ProcessingFailed only because the response would have been too large. */
  overBudget: number;
}

type Outcome =
  { kind: 'ok'; data: string; keys: { dt: string; hour: string } } | { kind: 'dropped' } | { kind: 'failed'; refusal: Refusal };

export function transformBatch(
  event: FirehoseTransformationEvent,
  agents: UserAgentCache,
  s: TransformSettings,
  log: TransformLog,
): { result: FirehoseTransformationResult; report: TransformReport } {
  const report: TransformReport = { ok: 0, dropped: 0, processingFailed: 0, overBudget: 0 };
  const limit = s.responseLimitBytes ?? RESPONSE_LIMIT_BYTES;
  const outcomes = event.records.map((r) => transformOne(r, agents, s));

  // Budget: the size of what is answered so far, plus the rest at their original size.
  let remainingOriginal = event.records.reduce((n, r) => n + answerSize(r.recordId, r.data.length), 0);
  let used = 0;
  const records: FirehoseTransformationResultRecord[] = event.records.map((r, i) => {
    let outcome = outcomes[i]!;
    remainingOriginal -= answerSize(r.recordId, r.data.length);
    if (outcome.kind === 'ok' && used + answerSize(r.recordId, outcome.data.length) + remainingOriginal > limit) {
      outcome = { kind: 'failed', refusal: refuse('response_too_large', '', `a response within ${limit} bytes`, 'more after enrichment') };
      report.overBudget += 1;
    }
    const answer = toAnswer(r, outcome);
    used += answerSize(r.recordId, answer.data?.length ?? 0);
    if (outcome.kind === 'ok') report.ok += 1;
    else if (outcome.kind === 'dropped') report.dropped += 1;
    else {
      report.processingFailed += 1;
      // payloadSha identifies the record in Firehose's error output, whose rawData hashes to the same value.
      log.warn('record failed processing', {
        recordId: r.recordId,
        payloadSha: fingerprint(Buffer.from(r.data, 'base64')),
        reason: outcome.refusal.reason,
        field: outcome.refusal.field,
        detail: outcome.refusal.message,
      });
    }
    return answer;
  });
  return { result: { records }, report };
}

function transformOne(r: FirehoseTransformationEventRecord, agents: UserAgentCache, s: TransformSettings): Outcome {
  const bytes = Buffer.from(r.data, 'base64');
  // Firehose de-aggregates KPL records before the transform; one that still carries the header is corrupt.
  if (isAggregate(bytes))
    return {
      kind: 'failed',
      refusal: refuse('invalid_aggregate', '', 'a KPL aggregate that Firehose could de-aggregate', 'an aggregate it could not'),
    };
  const validation = validateRecord(bytes, r.approximateArrivalTimestamp, s.bounds, s.userIds);
  if (!validation.ok) return { kind: 'failed', refusal: validation.refusal };
  const row = toRow(validation.event, agents, s);
  if (row.botCategory !== null && s.dropBots.has(row.botCategory)) return { kind: 'dropped' };
  return { kind: 'ok', data: base64Line(row.json), keys: partitionKeys(row.eventTime) };
}

/** Room for a row's bytes, reused: a Buffer per row and the copy that `${json}\n` made doubled the encoding's cost. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** A JSON text with a newline after it, UTF-8, in base64 as Firehose takes it. */
function base64Line(json: string): string {
  // UTF-8 takes at most 3 bytes per UTF-16 unit, and JSON.stringify leaves no lone surrogate to replace.
  const most = json.length * 3 + 1;
  if (most > scratch.length) scratch = Buffer.allocUnsafe(most);
  const n = scratch.write(json);
  scratch[n] = 0x0a;
  return scratch.toString('base64', 0, n + 1);
}

function toAnswer(r: FirehoseTransformationEventRecord, o: Outcome): FirehoseTransformationResultRecord {
  if (o.kind === 'ok') return { recordId: r.recordId, result: 'Ok', data: o.data, metadata: { partitionKeys: o.keys } };
  if (o.kind === 'dropped') return { recordId: r.recordId, result: 'Dropped', data: r.data };
  return { recordId: r.recordId, result: 'ProcessingFailed', data: r.data };
}

/** Bytes one answer takes in the response JSON: its data, its id and the envelope around them. */
function answerSize(recordId: string, dataLength: number): number {
  return dataLength + recordId.length + 120;
}
