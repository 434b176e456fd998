/**
 * Every alarm on a custom metric reads a metric that a handler really publishes, and every published metric is
 * read by an alarm: the EMF the handlers print is captured and compared with the alarms of the synthesized
 * template (namespace, name, dimensions). The cost model counts the same alarms and metrics.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler as createSessionHandler } from '../../functions/session-processor/create-handler';
import { createHandler as createTransformHandler } from '../../functions/firehose-transform/create-handler';
import { METRICS_NAMESPACE, SESSION_PROCESSOR_LOG_FIELDS, TRANSFORM_LOG_FIELDS } from '../../functions/shared/metric-names';
import { DEPLOYED_SETTINGS, alarmMetricsOf } from '../../local/cost/cost-model';
import { kinesisEvent, producerEvent } from '../helpers/events';
import { firehoseEvent } from '../helpers/firehose';
import { MemoryLog } from '../helpers/memory-store';
import { template } from '../helpers/stack';

interface Emf {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
  [key: string]: unknown;
}

/** `namespace|name|dim=value,…` for every metric in the EMF documents printed while `run` builds and calls a handler. */
async function publishedBy(run: () => Promise<unknown>): Promise<Set<string>> {
  const saved = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    write.mockRestore();
    if (saved === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = saved;
  }
  const out = new Set<string>();
  for (const line of lines.flatMap((l) => l.split('\n')).filter((l) => l.includes('"_aws"'))) {
    const emf = JSON.parse(line) as Emf;
    for (const d of emf._aws.CloudWatchMetrics) {
      const dims = d.Dimensions.flat()
        .map((k) => `${k}=${String(emf[k])}`)
        .sort()
        .join(',');
      for (const m of d.Metrics) out.add(`${d.Namespace}|${m.Name}|${dims}`);
    }
  }
  return out;
}

const ddb = mockClient(DynamoDBDocumentClient);
afterAll(() => ddb.restore());

interface MetricStat {
  Namespace: string;
  MetricName: string;
  Dimensions?: Array<{ Name: string; Value: string }>;
}

/** Every metric an alarm reads: its own, or each one inside its math expression. */
function alarmMetrics(collector?: boolean): MetricStat[] {
  const t = collector === undefined ? template() : template({ collector });
  const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')) as Array<{
    Properties: MetricStat & { Metrics?: Array<{ MetricStat?: { Metric: MetricStat } }> };
  }>;
  return alarms.flatMap((a) =>
    a.Properties.Metrics ? a.Properties.Metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : [])) : [a.Properties],
  );
}

describe('alarms on custom metrics', () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(BatchGetCommand).resolves({ Responses: {} });
    ddb.on(PutCommand).resolves({});
    // The pending-metrics markers: none to read, each deleted once the users are written.
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(DeleteCommand).resolves({});
  });

  it('read exactly the metrics that a handler publishes, with the same namespace and dimensions', async () => {
    // Each handler builds its own Metrics, as deployed; only the DynamoDB client and the logger are injected.
    const sessionProcessor = () =>
      createSessionHandler({
        env: { SESSIONS_TABLE: 'sessions', METRICS_TABLE: 'metrics' },
        dynamoDb: new DynamoDBClient({}),
        logger: new MemoryLog(),
      });
    const transform = () => createTransformHandler({ env: {}, logger: new MemoryLog() });
    const published = new Set([
      ...(await publishedBy(() => sessionProcessor()(kinesisEvent([producerEvent()])))),
      ...(await publishedBy(() => transform()(firehoseEvent([producerEvent()])))),
    ]);
    expect(published.size).toBe(DEPLOYED_SETTINGS.customMetrics);

    const custom = alarmMetrics().filter((m) => !m.Namespace.startsWith('AWS/'));
    expect(custom.length).toBeGreaterThanOrEqual(2);
    for (const m of custom) {
      const dims = (m.Dimensions ?? [])
        .map((d) => `${d.Name}=${d.Value}`)
        .sort()
        .join(',');
      expect(published).toContain(`${m.Namespace}|${m.MetricName}|${dims}`);
    }
    expect(new Set(custom.map((m) => m.Namespace))).toEqual(new Set([METRICS_NAMESPACE]));
    // Each custom metric costs $0.30 a month: none is published that no alarm reads.
    const read = new Set(
      custom.map((m) => `${m.Namespace}|${m.MetricName}|${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',')}`),
    );
    expect(read).toEqual(published);
  });

  it.each([true, false])('are counted by the cost model, with the collector %s', (collector) => {
    expect(alarmMetrics(collector)).toHaveLength(alarmMetricsOf(collector));
  });

  it('leave the other counts to log fields, which each handler writes once per invocation as numbers', async () => {
    const spLog = new MemoryLog();
    const tLog = new MemoryLog();
    await createSessionHandler({
      env: { SESSIONS_TABLE: 'sessions', METRICS_TABLE: 'metrics' },
      dynamoDb: new DynamoDBClient({}),
      logger: spLog,
    })(kinesisEvent([producerEvent({ userId: 'u-1' }), producerEvent({ userId: 'u-2' })]));
    await createTransformHandler({ env: {}, logger: tLog })(firehoseEvent([producerEvent(), '{']));
    const [processed] = spLog.lines.filter((l) => l.message === 'batch processed');
    const [transformed] = tLog.lines.filter((l) => l.message === 'batch transformed');
    for (const field of Object.values(SESSION_PROCESSOR_LOG_FIELDS)) expect(typeof processed!.attributes[field]).toBe('number');
    expect(processed!.attributes[SESSION_PROCESSOR_LOG_FIELDS.eventsApplied]).toBe(2);
    for (const field of Object.values(TRANSFORM_LOG_FIELDS)) expect(typeof transformed!.attributes[field]).toBe('number');
    expect(transformed!.attributes[TRANSFORM_LOG_FIELDS.processingFailed]).toBe(1);
  });
});
