/** The firehose-transform with userIdMode hash: keyed hashes in every row, the key read once, no key no row. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../../functions/firehose-transform/create-handler';
import { UserIdKeyError } from '../../../functions/shared/errors';
import { fingerprint } from '../../../functions/shared/fingerprint';
import { decodeBatch } from '../../../functions/session-processor/decode-batch';
import { hashUserIds, pseudonymousUserId } from '../../../functions/shared/pseudonym';
import { kinesisEvent, producerEvent } from '../../helpers/events';
import { firehoseEvent, rowOf } from '../../helpers/firehose';
import { MemoryLog } from '../../helpers/memory-store';

const sm = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clickstream-dev-user-id-key-AbCdEf';
const SECRET = 's'.repeat(64);
const KEY = Buffer.from('k'.repeat(64));

afterEach(() => sm.reset());

describe('firehose-transform handler with userIdMode hash', () => {
  it("writes the keyed hash as user_id, fingerprints with it, and keeps a failed record's bytes as sent", async () => {
    const handler = createHandler({ env: { USER_ID_MODE: 'hash' }, logger: new MemoryLog(), userIdKey: () => Promise.resolve(KEY) });
    const event = firehoseEvent([
      producerEvent({ userId: 'alice@example.com', eventId: 'e-1' }),
      producerEvent({ userId: 'alice@example.com', eventType: 'hover' }),
    ]);
    const { records } = await handler(event);
    expect(records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed']);
    const hashed = pseudonymousUserId(KEY, 'alice@example.com');
    const row = rowOf(records[0]!.data);
    expect(row).toMatchObject({ user_id: hashed, event_id: fingerprint(Buffer.from(`${hashed}\u0000e-1`)) });
    expect(JSON.stringify(row)).not.toContain('alice');
    // Firehose writes a failed record's original bytes to its error output, from which it can be redriven.
    expect(records[1]!.data).toBe(event.records[1]!.data);
  });

  it('gives each event the user id and fingerprint the session-processor groups and de-duplicates it by', async () => {
    const payloads = [producerEvent({ userId: 'alice', eventId: 'e-1' }), producerEvent({ userId: 'bob' })];
    const handler = createHandler({ env: { USER_ID_MODE: 'hash' }, logger: new MemoryLog(), userIdKey: () => Promise.resolve(KEY) });
    const rows = (await handler(firehoseEvent(payloads))).records.map((r) => rowOf(r.data));
    const decoded = decodeBatch(kinesisEvent(payloads).Records, { maxAgeMs: 72 * 3_600_000, maxFutureMs: 300_000 }, hashUserIds(KEY));
    const processed = [...decoded.byUser.values()].flat().map(({ event }) => [event.userId, event.eventId]);
    expect(rows.map((r) => [r['user_id'], r['event_id']])).toEqual(processed);
  });

  it('reads the key from the secret once per execution environment', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    const handler = createHandler({ env: { USER_ID_MODE: 'hash', USER_ID_KEY_SECRET_ARN: ARN }, logger: new MemoryLog() });
    const first = await handler(firehoseEvent([producerEvent({ userId: 'alice' })]));
    await handler(firehoseEvent([producerEvent({ userId: 'bob' })]));
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(rowOf(first.records[0]!.data)['user_id']).toBe(pseudonymousUserId(Buffer.from(SECRET), 'alice'));
  });

  it('fails the invocation when the key cannot be read, answering no record', async () => {
    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    const handler = createHandler({ env: { USER_ID_MODE: 'hash', USER_ID_KEY_SECRET_ARN: ARN }, logger: new MemoryLog() });
    await expect(handler(firehoseEvent([producerEvent()]))).rejects.toThrow(UserIdKeyError);
  });
});
