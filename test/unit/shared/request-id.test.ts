/** Each function's log lines carry the Lambda request id of the invocation, as Powertools' injectLambdaContext adds it. */
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler as createTransformHandler } from '../../../functions/firehose-transform/create-handler';
import { createHandler as createSessionHandler } from '../../../functions/session-processor/create-handler';
import { kinesisEvent } from '../../helpers/events';
import { firehoseEvent } from '../../helpers/firehose';

const ddb = mockClient(DynamoDBDocumentClient);
afterAll(() => ddb.restore());

function lambdaContext(awsRequestId: string, functionName: string): Context {
  return {
    awsRequestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The JSON log lines printed while the handler, built with logging on, handles one invocation. */
async function logLines(invoke: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const printed: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  };
  // Powertools writes info lines to stdout and warnings to stderr.
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    await invoke();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return printed
    .flatMap((p) => p.split('\n'))
    .filter((l) => l.startsWith('{') && l.includes('"level"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('log lines of the deployed handlers', () => {
  const saved = process.env.POWERTOOLS_LOG_LEVEL;
  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = saved;
  });

  it('carry the request id in the session-processor', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: {} });
    ddb.on(PutCommand).resolves({});
    // The pending-metrics markers: none to read, each deleted once the users are written.
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(DeleteCommand).resolves({});
    const handler = createSessionHandler({ env: { SESSIONS_TABLE: 'sessions', METRICS_TABLE: 'metrics' } });
    const lines = await logLines(() =>
      handler(kinesisEvent(['not json']), lambdaContext('request-1', 'clickstream-dev-session-processor')),
    );
    expect(lines.map((l) => [l['message'], l['function_request_id']])).toContainEqual(['record refused', 'request-1']);
  });

  it('carry the request id in the firehose-transform', async () => {
    const handler = createTransformHandler({ env: {} });
    const lines = await logLines(() =>
      handler(firehoseEvent(['not json']), lambdaContext('request-2', 'clickstream-dev-firehose-transform')),
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line['function_request_id']).toBe('request-2');
  });
});
