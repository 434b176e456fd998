/**
 * The local collector over real HTTP, in front of the local stream and both consumers: what each kind of
 * request is answered, that the server's fields replace the client's, and that under a flood of batched
 * requests every accepted event is on the stream and counted on both paths.
 */
import autocannon from 'autocannon';
import { allWindows } from '../../local/runtime/read-tables';
import { LocalCollector } from '../../local/runtime/collector';
import type { LocalPipeline } from '../../local/runtime/pipeline';
import { LOCAL_NAMES } from '../../local/runtime/pipeline';
import { sessionPathTotals } from '../../local/runtime/report';
import type { CollectorPipeline } from '../helpers/collector-pipeline';
import { startCollectorPipeline } from '../helpers/collector-pipeline';

let local: CollectorPipeline;
let pipeline: LocalPipeline;
let collector: LocalCollector;

beforeAll(async () => {
  local = await startCollectorPipeline('collector', { rateLimit: 10_000, burstLimit: 10_000, bufferIntervalSeconds: 1 });
  ({ pipeline, collector } = local);
}, 60_000);

afterAll(async () => {
  await local?.close();
});

const now = () => Date.now();
const event = (userId: string, extra: Record<string, unknown> = {}) => ({
  userId,
  eventType: 'page_view',
  timestamp: now(),
  url: 'https://shop.example/',
  ...extra,
});

async function post(body: string | Buffer, contentType = 'application/json', headers: Record<string, string> = {}) {
  const res = await fetch(collector.collectUrl, { method: 'POST', body, headers: { 'Content-Type': contentType, ...headers } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Every record on the (one-shard) stream, decoded. */
async function recordsOnStream(): Promise<Array<Record<string, unknown>>> {
  return (await local.streamRecords()).map((r) => JSON.parse(r.Data) as Record<string, unknown>);
}

describe('the local collector', () => {
  it("takes a batch as application/json, one event as text/plain and curl's default form type, and says how many Kinesis accepted", async () => {
    const batch = await post(JSON.stringify({ sentAt: now(), events: [event('a1'), event('a2'), event('a3')] }));
    expect(batch).toEqual({ status: 200, body: { accepted: 3, failed: 0, failedIndexes: [] } });
    const single = await post(JSON.stringify(event('a4')), 'text/plain;charset=UTF-8');
    expect(single).toEqual({ status: 200, body: { accepted: 1, failed: 0, failedIndexes: [] } });
    // What `curl --data '{…}' URL` sends.
    const curl = await post(JSON.stringify({ events: [event('a5')] }), 'application/x-www-form-urlencoded');
    expect(curl).toEqual({ status: 200, body: { accepted: 1, failed: 0, failedIndexes: [] } });
  });

  it("replaces the ip and user agent a body claims with the connection's and the header's, and adds the receive time", async () => {
    const before = now();
    await post(
      JSON.stringify({ events: [event('forger', { ip: '6.6.6.6', userAgent: 'FakeBot/1.0', receivedAt: 1 })] }),
      'application/json',
      {
        'User-Agent': 'RealAgent/2.0',
      },
    );
    const record = (await recordsOnStream()).find((r) => r['userId'] === 'forger');
    expect(record).toMatchObject({ ip: '127.0.0.1', userAgent: 'RealAgent/2.0' });
    expect(record!['receivedAt']).toBeGreaterThanOrEqual(before);
  });

  it.each([
    ['a body that is not JSON', 400, '{"events": [', 'application/json', /not valid/],
    ['an empty batch', 400, '{"events": []}', 'application/json', /1 to 500 events/],
    [
      'a batch of 501 events',
      400,
      JSON.stringify({ events: Array.from({ length: 501 }, (_, i) => event(`u${i}`)) }),
      'application/json',
      /not valid/,
    ],
    ['an event without a userId', 400, JSON.stringify({ events: [{ eventType: 'click' }] }), 'application/json', /userId/],
    ['a JSON array', 400, '[1, 2]', 'application/json', /not valid/],
    ['an XML body', 415, '<event/>', 'application/xml', /application\/json or text\/plain/],
    ['a form post that is not JSON', 400, 'userId=u1', 'application/x-www-form-urlencoded', /not valid/],
    ['a CSV body', 415, 'userId\nu1', 'text/csv', /application\/json or text\/plain/],
  ])('answers %s with %d and a message naming the problem', async (_what, status, body, type, message) => {
    const answer = await post(body, type);
    expect(answer.status).toBe(status);
    expect(answer.body['message']).toMatch(message);
  });

  it('answers a body over 10 MB with 413 and stays up', async () => {
    const answer = await post(Buffer.alloc(10 * 1024 * 1024 + 1, 0x20));
    expect(answer).toEqual({ status: 413, body: { message: expect.stringMatching(/10 MB/) as unknown } });
    expect((await post(JSON.stringify(event('after-413')))).status).toBe(200);
  });

  it('answers an unknown route as API Gateway does', async () => {
    const res = await fetch(collector.collectUrl.replace('/collect', '/other'), { method: 'POST', body: '{}' });
    expect(res.status).toBe(403);
  });

  it('answers a flood beyond the burst limit with 429, and takes every request it admitted', async () => {
    const small = await LocalCollector.start({
      kinesis: pipeline.kinesis,
      streamName: LOCAL_NAMES.stream,
      allowedOrigins: ['https://shop.example'],
      rateLimit: 1,
      burstLimit: 5,
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 40 }, () =>
          fetch(small.collectUrl, { method: 'POST', body: JSON.stringify(event('flood')) }).then(async (r) => ({
            status: r.status,
            allowOrigin: r.headers.get('access-control-allow-origin'),
            body: (await r.json()) as Record<string, unknown>,
          })),
        ),
      );
      const ok = answers.filter((a) => a.status === 200);
      const throttled = answers.filter((a) => a.status === 429);
      expect(ok.length + throttled.length).toBe(40);
      expect(ok.length).toBeGreaterThanOrEqual(5);
      expect(ok.length).toBeLessThan(40);
      expect(throttled[0]!.body['message']).toMatch(/too many requests/);
      // A page may read the refusal, so that its tracker backs off rather than taking it for no answer.
      expect(throttled[0]!.allowOrigin).toBe('*');
      expect(small.counts.acceptedEvents).toBe(ok.length);
    } finally {
      await small.close();
    }
  });

  it('loses no accepted event under 10 seconds of batched requests: all are on the stream and counted on both paths', async () => {
    const perRequest = 25;
    const body = JSON.stringify({ sentAt: now(), events: Array.from({ length: perRequest }, (_, i) => event(`load-${i}`)) });
    const acceptedBefore = collector.counts.acceptedEvents;
    const onStreamBefore = (await recordsOnStream()).length;
    const result = await autocannon({
      url: collector.collectUrl,
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body,
      connections: 8,
      duration: 10,
    });
    expect(result.non2xx).toBe(0);
    // autocannon stops with requests still in flight: the collector may take events whose answer nobody reads.
    await collector.settled();
    const acceptedByLoad = collector.counts.acceptedEvents - acceptedBefore;
    expect(result['2xx']).toBeGreaterThan(0);
    expect(acceptedByLoad).toBeGreaterThanOrEqual(result['2xx'] * perRequest);
    expect(acceptedByLoad).toBeLessThanOrEqual((result['2xx'] + result.errors + 8) * perRequest);

    const onStream = await recordsOnStream();
    expect(onStream.length - onStreamBefore).toBe(acceptedByLoad);
    pipeline.startConsumers();
    await pipeline.drain();
    const totals = sessionPathTotals(await allWindows(pipeline.dynamodb, LOCAL_NAMES.metricsTable));
    expect(totals.applied + totals.duplicates + totals.late + totals.refused).toBe(onStream.length);
    const { ok, failed, dropped } = pipeline.archive.outcomes;
    expect(ok + failed + dropped).toBe(onStream.length);
  }, 120_000);
});
