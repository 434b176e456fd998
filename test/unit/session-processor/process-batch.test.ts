import { processBatch } from '../../../functions/session-processor/process-batch';
import type { BatchDeps } from '../../../functions/session-processor/process-batch';
import type { UserState } from '../../../functions/session-processor/model';
import { MINUTE, T0, kinesisEvent, producerEvent, sequenceNumber } from '../../helpers/events';
import { MemoryLog, MemoryStore } from '../../helpers/memory-store';
import { BOUNDS, RULES } from '../../helpers/positioned';

const at = (minutes: number) => T0 + minutes * MINUTE;
const ev = (user: string, minutes: number, extra: Record<string, unknown> = {}) =>
  producerEvent({ userId: user, timestamp: at(minutes), url: `https://shop.example.com/p/${minutes}`, ...extra });

function deps(store = new MemoryStore(), log = new MemoryLog()): BatchDeps & { store: MemoryStore; log: MemoryLog } {
  return { store, log, rules: RULES, bounds: BOUNDS };
}

/** Events of three users, interleaved, with one session split for user b. */
const payloads = [
  ev('a', 0),
  ev('b', 0),
  ev('c', 1),
  ev('a', 2, { eventType: 'conversion', properties: { revenue: 9.99 } }),
  ev('b', 45),
  ev('c', 3),
];

async function processedOnce() {
  const d = deps();
  await processBatch(kinesisEvent(payloads).Records, d);
  return d.store.snapshot();
}

describe('processBatch', () => {
  it('returns no failures for an empty batch', async () => {
    const { response, report } = await processBatch([], deps());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(report.recordsIn).toBe(0);
  });

  it('applies every valid record and reports no failures', async () => {
    const d = deps();
    const { response, report } = await processBatch(kinesisEvent(payloads).Records, d);
    expect(response.batchItemFailures).toEqual([]);
    expect(report).toMatchObject({ recordsIn: 6, valid: 6, applied: 6, sessionsStarted: 4, refused: 0 });
    const { sessions, metrics } = d.store.snapshot();
    expect(sessions.map((s) => [s.userId, s.eventCount])).toEqual([
      ['a', 2],
      ['b', 1],
      ['b', 1],
      ['c', 2],
    ]);
    const total = metrics.reduce((n, m) => n + m.events, 0);
    expect(total).toBe(6);
    expect(metrics.reduce((n, m) => n + m.revenueMicros, 0)).toBe(9_990_000);
  });

  it('counts and logs invalid records with their reason and sequence number, and does not report them', async () => {
    const d = deps();
    const batch = kinesisEvent([ev('a', 0), '{not json', ev('a', 1, { eventType: 'purchase' }), Buffer.from([0xff, 0x00]), ev('b', 1)]);
    const { response, report } = await processBatch(batch.Records, d);
    expect(response.batchItemFailures).toEqual([]);
    expect(report).toMatchObject({
      recordsIn: 5,
      valid: 2,
      refused: 3,
      refusedByReason: { malformed_json: 1, invalid_value: 1, invalid_utf8: 1 },
    });
    const refusals = d.log.lines.filter((l) => l.message === 'record refused');
    expect(refusals.map((l) => [l.attributes['reason'], l.attributes['sequenceNumber']])).toEqual([
      ['malformed_json', sequenceNumber(1)],
      ['invalid_value', sequenceNumber(2)],
      ['invalid_utf8', sequenceNumber(3)],
    ]);
  });

  it('reports the lowest record of a user whose state write failed, and a retry from there gives the once-only result', async () => {
    const d = deps();
    d.store.failStateFor.add('c');
    const first = await processBatch(kinesisEvent(payloads).Records, d);
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(2) }]);
    d.store.failStateFor.clear();
    const retry = await processBatch(kinesisEvent(payloads.slice(2), 2).Records, d);
    expect(retry.response.batchItemFailures).toEqual([]);
    expect(d.store.snapshot()).toEqual(await processedOnce());
  });

  it('retries the whole batch when a metrics write fails, without counting any window twice', async () => {
    const d = deps();
    d.store.failMetricsFor.add(at(45));
    const first = await processBatch(kinesisEvent(payloads).Records, d);
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(0) }]);
    d.store.failMetricsFor.clear();
    await processBatch(kinesisEvent(payloads).Records, d);
    expect(d.store.snapshot()).toEqual(await processedOnce());
  });

  it('retries the whole batch when state cannot be read', async () => {
    const d = deps();
    d.store.failLoad = true;
    const { response } = await processBatch(kinesisEvent(payloads).Records, d);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(0) }]);
    expect(d.store.snapshot()).toEqual({ sessions: [], metrics: [] });
  });

  it('throws on an error that a retry cannot fix, so that the invocation fails and Lambda bisects it', async () => {
    const d = deps();
    d.store.load = () => Promise.reject(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));
    await expect(processBatch(kinesisEvent(payloads).Records, d)).rejects.toThrow('Requested resource not found');
  });

  it('leaves sessions and metrics unchanged when the same batch is delivered again', async () => {
    const d = deps();
    await processBatch(kinesisEvent(payloads).Records, d);
    const again = await processBatch(kinesisEvent(payloads).Records, d);
    expect(again.report).toMatchObject({ alreadyApplied: 6, applied: 0 });
    expect(d.store.snapshot()).toEqual(await processedOnce());
  });

  it('counts a producer retry (same bytes, new sequence number) as a duplicate', async () => {
    const d = deps();
    await processBatch(kinesisEvent(payloads).Records, d);
    const retried = await processBatch(kinesisEvent([payloads[0], payloads[3]], 10).Records, d);
    expect(retried.report).toMatchObject({ duplicates: 2, applied: 0 });
    const { sessions, metrics } = d.store.snapshot();
    expect(sessions).toEqual((await processedOnce()).sessions);
    expect(metrics.reduce((n, m) => n + m.duplicates, 0)).toBe(2);
  });

  it('isolates a user whose processing throws: others are written, its records are retried', async () => {
    const d = deps();
    d.store.states.set('b', {
      userId: 'b',
      watermarks: {},
      sessionFingerprints: 42,
      activeWindows: [],
      currentSession: undefined,
    } as unknown as UserState);
    const { response } = await processBatch(kinesisEvent(payloads).Records, d);
    expect(d.log.lines.filter((l) => l.level === 'error').map((l) => [l.message, l.attributes['userId']])).toEqual([
      ['user processing failed; retrying from its first record', '"b"'],
    ]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(1) }]);
    // Only records below b's first record are committed: a's first event.
    const { sessions } = d.store.snapshot();
    expect(sessions.map((s) => [s.userId, s.eventCount])).toEqual([['a', 1]]);
    d.store.states.delete('b');
    await processBatch(kinesisEvent(payloads.slice(1), 1).Records, d);
    expect(d.store.snapshot()).toEqual(await processedOnce());
  });

  it('counts a refused record once, in the window of its arrival, however often it is delivered', async () => {
    const d = deps();
    const batch = kinesisEvent([ev('a', 0), '{broken', ev('a', 1, { colour: 'red' })]).Records;
    await processBatch(batch, d);
    await processBatch(batch, d);
    await processBatch(batch.slice(1), d);
    const { metrics } = d.store.snapshot();
    const arrivalWindow = metrics.find((m) => m.refused > 0)!;
    expect(arrivalWindow.windowStartMs).toBe(at(60));
    expect(arrivalWindow.refusedByReason).toEqual({ malformed_json: 1, unknown_field: 1 });
    expect(metrics.reduce((n, m) => n + m.refused + m.events + m.duplicates + m.lateEvents, 0)).toBe(3);
  });

  it('leaves out of sessions the events of a batch that went to the on-failure destination, and a replay of it changes nothing', async () => {
    const d = deps();
    const failing = kinesisEvent([ev('a', 0), ev('a', 1)]).Records;
    d.store.failStateFor.add('a');
    const first = await processBatch(failing, d);
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(0) }]);
    d.store.failStateFor.clear();
    // Lambda gives up on the batch (retries or record age exhausted) and goes on with the next one.
    await processBatch(kinesisEvent([ev('a', 5)], 2).Records, d);
    const after = d.store.snapshot();
    // The metrics counted all three events when they were written; the session holds only the third.
    expect(after.metrics.reduce((n, m) => n + m.events, 0)).toBe(3);
    expect(after.sessions.map((s) => [s.startMs, s.eventCount])).toEqual([[at(5), 1]]);
    // Replaying the failed batch from the on-failure record (same positions) is below the user's watermark.
    const replay = await processBatch(failing, d);
    expect(replay.report.alreadyApplied).toBe(2);
    expect(d.store.snapshot()).toEqual(after);
  });
});

describe('a batch that failed between its metrics and its users, then redriven', () => {
  const clean = async (records: readonly unknown[]) => {
    const d = deps();
    await processBatch(kinesisEvent(records).Records, d);
    return d.store.snapshot();
  };

  it("counts its events once: the marker keeps the failed users' events, and their redrive applies them without counting again", async () => {
    const d = deps();
    // Batch k: b's state cannot be written however often it is retried (as when the retries run out).
    d.store.failStateFor.add('b');
    const first = await processBatch(kinesisEvent(payloads).Records, d);
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(1) }]);
    const [marker] = [...d.store.pending.values()];
    expect(marker!.fingerprints).toHaveLength(2); // b's two events; a's and c's left the marker with their users
    // The batch goes to the on-failure destination; the shard moves on, and later the fix is deployed.
    d.store.failStateFor.clear();
    await processBatch(kinesisEvent([ev('c', 20)], 100).Records, d);
    // Redriven: b's two records again, with their own bytes, at new positions past every watermark.
    const redriven = await processBatch(kinesisEvent([payloads[1], payloads[4]], 200).Records, d);
    expect(redriven.report).toMatchObject({ applied: 2, duplicates: 0, late: 0 });
    expect(d.store.pending.size).toBe(0);
    const once = await clean([...payloads, ev('c', 20)]);
    const redrivenOnce = d.store.snapshot();
    expect(redrivenOnce.sessions).toEqual(once.sessions);
    // Every metric as one clean pass, and the two events counted apart as applied but counted before.
    expect(redrivenOnce.metrics.map(({ alreadyCounted: _a, ...m }) => m)).toEqual(once.metrics.map(({ alreadyCounted: _a, ...m }) => m));
    expect(redrivenOnce.metrics.reduce((n, m) => n + m.alreadyCounted, 0)).toBe(2);
    // A second redrive of the same records changes no session and no business metric.
    const again = await processBatch(kinesisEvent([payloads[1], payloads[4]], 300).Records, d);
    expect(again.report).toMatchObject({ applied: 0, duplicates: 1, late: 1 });
    const after = d.store.snapshot();
    expect(after.sessions).toEqual(once.sessions);
    expect(after.metrics.map(({ duplicates: _d, lateEvents: _l, alreadyCounted: _a, ...m }) => m)).toEqual(
      once.metrics.map(({ duplicates: _d, lateEvents: _l, alreadyCounted: _a, ...m }) => m),
    );
  });
});
