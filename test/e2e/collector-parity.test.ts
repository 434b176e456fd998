/**
 * The deployed mapping and the local collector put the same records: the request template is taken from the
 * synthesized CloudFormation template, evaluated with a VTL engine (velocityjs, API Gateway's variables) against
 * the very requests the local collector was sent, and the records compared byte for byte with those on the
 * local stream.
 */
import { COLLECT_CONTENT_TYPES } from '../../collector/protocol';
import { evaluateTemplate } from '../../local/aws/api-gateway/vtl';
import { LOCAL_NAMES } from '../../local/runtime/pipeline';
import type { CollectorPipeline } from '../helpers/collector-pipeline';
import { startCollectorPipeline } from '../helpers/collector-pipeline';
import { template } from '../helpers/stack';

/** CloudFormation text with the stream's reference replaced by the local stream's name. */
function resolve(value: unknown, streamId: string): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (v['Ref'] === streamId) return LOCAL_NAMES.stream;
  if (Array.isArray(v['Fn::Join'])) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => resolve(p, streamId)).join(separator);
  }
  throw new Error(`unexpected CloudFormation value in the template: ${JSON.stringify(value)}`);
}

function deployedRequestTemplates(): Record<string, string> {
  const t = template();
  const [streamId] = Object.keys(t.findResources('AWS::Kinesis::Stream'));
  const [post] = Object.values(t.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'POST' } })) as Array<{
    Properties: { Integration: { RequestTemplates: Record<string, unknown> } };
  }>;
  return Object.fromEntries(
    Object.entries(post!.Properties.Integration.RequestTemplates).map(([type, v]) => [type, resolve(v, streamId!)]),
  );
}

let running: CollectorPipeline;

beforeAll(async () => {
  running = await startCollectorPipeline('collector-parity', { rateLimit: 100, burstLimit: 100 });
}, 60_000);

afterAll(async () => {
  await running?.close();
});

const T = 1_764_250_000_000;
const REQUESTS: ReadonlyArray<{ readonly type: string; readonly userAgent: string; readonly body: unknown }> = [
  {
    type: 'application/json',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
    body: { sentAt: T + 900, events: [{ userId: 'u-1', eventType: 'page_view', timestamp: T, url: 'https://shop.example/?q="x"' }] },
  },
  {
    type: 'text/plain;charset=UTF-8',
    userAgent: `it's "quoted" \\ / é`,
    body: {
      events: [
        {
          userId: 'ü"ser',
          eventType: 'click',
          timestamp: T,
          url: 'https://a.example/',
          ip: '6.6.6.6',
          userAgent: 'Forged',
          properties: { a: [1, { b: '$x #y' }] },
        },
        { userId: 'u-2', eventType: 'conversion', timestamp: '2026-11-27T10:00:00Z', url: 'app://cart', properties: { revenue: 12.5 } },
      ],
    },
  },
  {
    type: 'text/plain',
    userAgent: 'curl/8.5.0',
    body: { userId: 'single', eventType: 'page_view', timestamp: T, url: 'https://a.example/', sentAt: T },
  },
];

describe('the deployed request template and the local collector', () => {
  it('put the same records for the same requests', async () => {
    const templates = deployedRequestTemplates();
    expect(Object.keys(templates).sort()).toEqual([...COLLECT_CONTENT_TYPES].sort());
    for (const request of REQUESTS) {
      const before = (await running.streamRecords()).length;
      const body = JSON.stringify(request.body);
      const res = await fetch(running.collector.collectUrl, {
        method: 'POST',
        body,
        headers: { 'Content-Type': request.type, 'User-Agent': request.userAgent },
      });
      expect(res.status).toBe(200);
      const local = (await running.streamRecords()).slice(before);
      const receivedAt = (JSON.parse(local[0]!.Data) as { receivedAt: number }).receivedAt;
      const mediaType = request.type.split(';')[0]!;
      const deployed = JSON.parse(
        evaluateTemplate(templates[mediaType]!, {
          body,
          headers: { 'user-agent': request.userAgent },
          sourceIp: '127.0.0.1',
          requestTimeEpoch: receivedAt,
        }).text,
      ) as { StreamName: string; Records: Array<{ PartitionKey: string; Data: string }> };
      expect(deployed.StreamName).toBe(LOCAL_NAMES.stream);
      expect(local).toEqual(
        deployed.Records.map((r) => ({ PartitionKey: r.PartitionKey, Data: Buffer.from(r.Data, 'base64').toString('utf8') })),
      );
    }
  });
});
