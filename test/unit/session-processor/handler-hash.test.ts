/** The session-processor with userIdMode hash: keyed hashes in every item, the key read once, no key no write. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../../functions/session-processor/create-handler';
import { UserIdKeyError } from '../../../functions/shared/errors';
import { pseudonymousUserId } from '../../../functions/shared/pseudonym';
import { MINUTE, T0, kinesisEvent, producerEvent } from '../../helpers/events';
import { MemoryLog } from '../../helpers/memory-store';

const ddb = mockClient(DynamoDBDocumentClient);
const sm = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clickstream-dev-user-id-key-AbCdEf';
const SECRET = 's'.repeat(64);
const ENV = { SESSIONS_TABLE: 'sessions', METRICS_TABLE: 'metrics', USER_ID_MODE: 'hash' };

beforeEach(() => {
  ddb.on(BatchGetCommand).resolves({ Responses: {} });
  ddb.on(PutCommand).resolves({});
  // The pending-metrics markers: none to read, each deleted once the users are written.
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(DeleteCommand).resolves({});
});
afterEach(() => {
  ddb.reset();
  sm.reset();
});

const ev = (user: string, minutes: number, extra: Record<string, unknown> = {}) =>
  producerEvent({ userId: user, timestamp: T0 + minutes * MINUTE, ...extra });

/** Every item written to the sessions table. */
function sessionItems(): Array<Record<string, unknown>> {
  return ddb
    .commandCalls(PutCommand)
    .filter((c) => c.args[0].input.TableName === 'sessions')
    .map((c) => c.args[0].input.Item!);
}

describe('session-processor handler with userIdMode hash', () => {
  it('writes the keyed hash as every user id, joins each user under it, and stores no raw id', async () => {
    const key = Buffer.from('k'.repeat(64));
    const handler = createHandler({ env: ENV, logger: new MemoryLog(), userIdKey: () => Promise.resolve(key) });
    const response = await handler(kinesisEvent([ev('alice@example.com', 0), ev('bob', 0), ev('alice@example.com', 31)]));
    expect(response).toEqual({ batchItemFailures: [] });
    const alice = pseudonymousUserId(key, 'alice@example.com');
    const items = sessionItems();
    expect(items.map((i) => [i['userId'], i['sk']])).toEqual(
      expect.arrayContaining([
        [alice, 'SESSION#2026-11-27T10:00:00.000Z'],
        [alice, 'STATE'],
        [pseudonymousUserId(key, 'bob'), 'STATE'],
      ]),
    );
    expect(items).toHaveLength(3);
    const stored = JSON.stringify([items, ddb.commandCalls(PutCommand).map((c) => c.args[0].input)]);
    expect(stored).not.toContain('alice');
    expect(stored).not.toContain('bob');
  });

  it('reads the key from the secret USER_ID_KEY_SECRET_ARN names once per execution environment', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    const handler = createHandler({ env: { ...ENV, USER_ID_KEY_SECRET_ARN: ARN }, logger: new MemoryLog() });
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
    await handler(kinesisEvent([ev('alice', 0)]));
    await handler(kinesisEvent([ev('alice', 1)], 1));
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: ARN });
    expect(sessionItems().map((i) => i['userId'])).toEqual([
      pseudonymousUserId(Buffer.from(SECRET), 'alice'),
      pseudonymousUserId(Buffer.from(SECRET), 'alice'),
    ]);
  });

  it('fails the invocation and touches no table when the key cannot be read, then reads it on the next', async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('Secrets Manager cannot be reached'), { name: 'TimeoutError' }))
      .resolves({ SecretString: SECRET });
    const handler = createHandler({ env: { ...ENV, USER_ID_KEY_SECRET_ARN: ARN }, logger: new MemoryLog() });
    await expect(handler(kinesisEvent([ev('alice', 0)]))).rejects.toThrow(UserIdKeyError);
    expect(ddb.calls()).toHaveLength(0);
    expect(await handler(kinesisEvent([ev('alice', 0)]))).toEqual({ batchItemFailures: [] });
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('refuses to start in hash mode without a key source, naming the variable', () => {
    expect(() => createHandler({ env: ENV, logger: new MemoryLog() })).toThrow(/USER_ID_KEY_SECRET_ARN is not set: USER_ID_MODE is hash/);
  });
});
