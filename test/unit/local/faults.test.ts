import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { FaultInjector, InjectedCrash, InjectedSessionBug, parseFaults } from '../../../local/runtime/faults';
import { kinesisEvent, producerEvent } from '../../helpers/events';

const payloads = Array.from({ length: 400 }, (_, i) => Buffer.from(JSON.stringify(producerEvent({ userId: `u${i}` }))));

function transformEvent(records: readonly Buffer[]): FirehoseTransformationEvent {
  return {
    invocationId: 'i',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/d',
    region: 'us-east-1',
    records: records.map((data, i) => ({ recordId: String(i), approximateArrivalTimestamp: 0, data: data.toString('base64') })),
  };
}

/** A transform that answers every record Ok. */
const allOk = (e: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> =>
  Promise.resolve({
    records: e.records.map((r) => ({
      recordId: r.recordId,
      result: 'Ok',
      data: 'b2s=',
      metadata: { partitionKeys: { dt: 'd', hour: 'h' } },
    })),
  });

const failedIds = (r: FirehoseTransformationResult) => r.records.filter((a) => a.result === 'ProcessingFailed').map((a) => a.recordId);

describe('parseFaults', () => {
  it('reads the two bugs as shares', () => {
    expect(parseFaults('transform-bug=0.05,session-bug=0.01,seed=3')).toMatchObject({ transformBug: 0.05, sessionBug: 0.01, seed: 3 });
  });

  it('refuses a share outside 0 to 1, naming the key', () => {
    expect(() => parseFaults('session-bug=2')).toThrow('--faults session-bug must be a share from 0 to 1; got "2"');
  });
});

describe('the transform bug', () => {
  it('answers ProcessingFailed, with the input bytes, for a share of records chosen by their bytes', async () => {
    const injector = new FaultInjector(parseFaults('transform-bug=0.25,seed=3'));
    const event = transformEvent(payloads);
    const result = await injector.invokeTransform(event, allOk);
    const failed = failedIds(result);
    expect(failed.length).toBeGreaterThan(60);
    expect(failed.length).toBeLessThan(140);
    for (const id of failed) expect(result.records[Number(id)]!.data).toBe(event.records[Number(id)]!.data);
    expect(injector.counts.transformBugRecords).toBe(failed.length);
  });

  it('strikes the same records in another run, however they are batched', async () => {
    const whole = failedIds(
      await new FaultInjector(parseFaults('transform-bug=0.25,seed=3')).invokeTransform(transformEvent(payloads), allOk),
    );
    const again = new FaultInjector(parseFaults('transform-bug=0.25,seed=3'));
    const halves = [
      ...failedIds(await again.invokeTransform(transformEvent(payloads.slice(0, 200)), allOk)),
      ...failedIds(await again.invokeTransform(transformEvent(payloads.slice(200)), allOk)).map((id) => String(Number(id) + 200)),
    ];
    expect(halves).toEqual(whole);
  });
});

describe('the session bug', () => {
  const injector = new FaultInjector(parseFaults('session-bug=0.2,seed=5'));
  const struck = (place: string) => payloads.filter((p) => injector.sessionBugOf(p) === place);
  const clean = payloads.filter((p) => injector.sessionBugOf(p) === undefined);

  it('throws before the invocation does anything when a record says so', async () => {
    const next = jest.fn(() => Promise.resolve({ batchItemFailures: [] }));
    await expect(injector.invokeSessions(kinesisEvent([clean[0], struck('before its writes')[0], clean[1]]), next)).rejects.toThrow(
      new InjectedSessionBug('before its writes'),
    );
    expect(next).not.toHaveBeenCalled();
  });

  it('throws after the invocation did its work when a record says so: the batch is applied, and reported failed', async () => {
    const next = jest.fn(() => Promise.resolve({ batchItemFailures: [] }));
    await expect(injector.invokeSessions(kinesisEvent([clean[0], struck('after its writes')[0]]), next)).rejects.toThrow(
      'the session-processor threw on a record it cannot handle (injected bug, after its writes)',
    );
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('leaves an invocation without such a record alone', async () => {
    const next = jest.fn(() => Promise.resolve({ batchItemFailures: [] }));
    await expect(injector.invokeSessions(kinesisEvent(clean.slice(0, 20)), next)).resolves.toEqual({ batchItemFailures: [] });
  });
});

describe('DynamoDB faults', () => {
  /** Puts one item per user, in the order given, through an instrumented client that answers without a network. */
  async function failedPuts(users: readonly string[], spec = 'ddb-error=0.3,seed=11'): Promise<string[]> {
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    client.middlewareStack.add(() => () => Promise.resolve({ output: { $metadata: {} }, response: {} }), { step: 'build', name: 'answer' });
    const injector = new FaultInjector(parseFaults(spec));
    injector.instrumentDynamoDb(client, 'sessions');
    const failed: string[] = [];
    const invocation = injector.invokeSessions(kinesisEvent([producerEvent()]), async () => {
      await Promise.all(
        users.map((u) =>
          client
            .send(new PutItemCommand({ TableName: 'sessions', Item: { userId: { S: u }, sk: { S: 'STATE' } } }))
            .catch((err: Error) => failed.push(`${u} ${err.name}`)),
        ),
      );
    });
    // An invocation that is to crash dies, at a call or at its end; any other ends.
    if (spec.includes('crash=1')) await expect(invocation).rejects.toBeInstanceOf(InjectedCrash);
    else await invocation;
    client.destroy();
    return failed.sort();
  }

  it('strike the same writes whatever order the invocation makes them in', async () => {
    const users = Array.from({ length: 60 }, (_, i) => `u${i}`);
    const forwards = await failedPuts(users);
    expect(forwards.length).toBeGreaterThan(5);
    expect(forwards.length).toBeLessThan(40);
    expect(await failedPuts([...users].reverse())).toEqual(forwards);
  });

  it('crash an invocation at the same calls whatever order it makes them in', async () => {
    const users = Array.from({ length: 60 }, (_, i) => `u${i}`);
    const forwards = await failedPuts(users, 'crash=1,seed=11');
    expect(forwards.length).toBeGreaterThan(5);
    expect(forwards.length).toBeLessThan(30);
    expect(forwards.every((f) => f.endsWith(' InjectedCrash'))).toBe(true);
    expect(await failedPuts([...users].reverse(), 'crash=1,seed=11')).toEqual(forwards);
  });
});
