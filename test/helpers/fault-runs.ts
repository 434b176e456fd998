/** Runs of `clickstream run` on one input with and without faults, reduced to what must not change. */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fingerprint } from '../../functions/shared/fingerprint';
import { readExport } from '../../local/commands/export';
import type { MetricsExport } from '../../local/commands/export';
import { runNamedQuery } from '../../local/commands/query';
import { run } from '../../local/commands/run';
import type { RunOptions, RunSummary } from '../../local/commands/run';
import { parseFaults } from '../../local/runtime/faults';
import { syntheticWorkload } from '../../local/workload/synthetic';

export interface Outcome {
  readonly summary: RunSummary;
  readonly sessions: unknown[];
  /** Metrics without the refused counts, which sit in the window of each run's own arrival times. */
  readonly metrics: unknown[];
  readonly refused: number;
  /** Archive rows, once per event_id, without received_at (each run's own arrival time). */
  readonly archive: Array<Record<string, unknown>>;
  /**
   * Event ids that Firehose wrote to its error output because the transform itself kept failing (not
   * because the record was refused): kept whole there, to be replayed, and so missing from the archive.
   */
  readonly inErrorOutput: ReadonlySet<string>;
  /** Objects in the on-failure folder: session batches whose retries ran out. */
  readonly onFailureObjects: number;
}

/**
 * Valid events that only the faulty run's error output holds: archived by the clean run, not by the faulty
 * one (a duplicate of one may still have been archived). A refused record that shared a failed invocation
 * is in the error output too, but was never archived: it is not one of these.
 */
export function onlyInErrorOutput(clean: Outcome, faulty: Outcome): Set<string> {
  const archived = new Set(faulty.archive.map((r) => String(r['event_id'])));
  const valid = new Set(clean.archive.map((r) => String(r['event_id'])));
  return new Set([...faulty.inErrorOutput].filter((id) => valid.has(id) && !archived.has(id)));
}

/** The archive a faulty run must equal: the clean one without the events only its error output keeps. */
export function expectedArchive(clean: Outcome, faulty: Outcome): Array<Record<string, unknown>> {
  const missing = onlyInErrorOutput(clean, faulty);
  return clean.archive.filter((r) => !missing.has(String(r['event_id'])));
}

/** Event ids of the error records whose transform invocation failed (errorCode Lambda.FunctionError). */
function failedInvocations(dataDir: string): Set<string> {
  const ids = new Set<string>();
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.gz')) {
        for (const line of gunzipSync(readFileSync(path)).toString('utf8').split('\n')) {
          if (line === '') continue;
          const e = JSON.parse(line) as { errorCode: string; rawData: string };
          if (e.errorCode === 'Lambda.FunctionError') ids.add(fingerprint(Buffer.from(e.rawData, 'base64')));
        }
      }
    }
  };
  walk(join(dataDir, 'archive', 'errors'));
  return ids;
}

/** Files in a folder and its subfolders; none when it does not exist. */
function filesUnder(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((n, name) => {
    const path = join(dir, name);
    return n + (statSync(path).isDirectory() ? filesUnder(path) : 1);
  }, 0);
}

/** The fault kinds of `--faults`, one at a time and all at once. */
export const FAULT_KINDS: ReadonlyArray<readonly [string, string]> = [
  ['DynamoDB errors', 'ddb-error=0.15,seed=3'],
  ['lost DynamoDB responses', 'ddb-lost-response=0.1,seed=4'],
  ['crashes part-way through a batch', 'crash=0.2,seed=5'],
  ['every batch delivered twice', 'duplicate'],
  ['transform failures', 'transform-error=0.5,seed=9'],
  ['all at once', 'ddb-error=0.1,ddb-lost-response=0.05,crash=0.05,duplicate,transform-error=0.1,seed=7'],
];

/** Writes a synthetic input file of `events` records, with long sessions of the given lengths; returns its path and composition. */
export function writeInput(dir: string, events: number, users: number, longSessions: readonly number[] = []) {
  // The same input all day: event times lie in the 24 hours before today's UTC midnight (the run's arrival
  // times are at most a day later, well inside the 72-hour event age), so every run of the day gets the
  // same bytes, the same batches and, seed for seed, the same faults.
  const workload = syntheticWorkload({ users, events, seed: 11, nowMs: Math.floor(Date.now() / 86_400_000) * 86_400_000, longSessions });
  const path = join(dir, 'input.ndjson');
  writeFileSync(path, workload.records.map((r) => `${r.data.toString('utf8')}\n`).join(''));
  return { path, composition: workload.composition };
}

/**
 * Retries of a failed session batch in a run with faults that is to equal the fault-free run. The injected DynamoDB errors fail a call outright, past
 * the SDK's own retries, at rates far above a real table's (15% of calls): a batch's reads, metrics and marker then
 * all succeed only about one attempt in four, and the stack's ten retries leave a batch for the on-failure folder
 * in about one run in two, which is that path's business (the redrive tests), not these runs'. Lambda's own default
 * is to retry until the records expire (MaximumRetryAttempts -1, "CreateEventSourceMapping",
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html); a hundred retries make a
 * batch's exhaustion a one-in-millions event here, and the runs check the on-failure folder stays empty.
 */
const FAULTY_RUN_RETRY_ATTEMPTS = 100;

/** A fresh run of `input` in `dataDir`: two shards, batches of 100, the faults of `spec`, quiet. */
export function runInput(dataDir: string, input: string, spec?: string, extra: Partial<RunOptions> = {}): Promise<RunSummary> {
  return run({
    input,
    users: 1,
    events: 1,
    seed: 1,
    shards: 2,
    dataDir,
    fresh: true,
    quiet: true,
    batchSize: 100,
    ...(spec ? { faults: parseFaults(spec) } : {}),
    ...extra,
  });
}

export async function runWith(dir: string, input: string, name: string, spec?: string, extra: Partial<RunOptions> = {}): Promise<Outcome> {
  const dataDir = join(dir, name.replace(/\W+/g, '-'));
  const summary = await runInput(dataDir, input, spec, { ...(spec ? { retryAttempts: FAULTY_RUN_RETRY_ATTEMPTS } : {}), ...extra });
  const metrics = (await readExport('metrics', dataDir)) as MetricsExport[];
  const rows = await runNamedQuery('deduplicated_events', dataDir);
  return {
    summary,
    sessions: await readExport('sessions', dataDir),
    metrics: metrics
      .map(({ refused: _r, ...rest }) => rest)
      .filter((m) => Object.keys(m.events_by_type).length > 0 || m.duplicates > 0 || m.late_events > 0),
    refused: metrics.reduce((n, m) => n + m.refused, 0),
    archive: rows.map(({ received_at: _a, copy_number: _n, copies: _c, ...rest }) => rest),
    inErrorOutput: failedInvocations(dataDir),
    onFailureObjects: filesUnder(join(dataDir, 'failed')),
  };
}
