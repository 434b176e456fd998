import { createHmac } from 'node:crypto';
import { loadConfig as transformConfig } from '../../../functions/firehose-transform/config';
import { loadConfig as processorConfig } from '../../../functions/session-processor/config';
import { LIMITS } from '../../../functions/shared/event-contract';
import { fingerprint } from '../../../functions/shared/fingerprint';
import { KEEP_USER_IDS, hashUserIds, pseudonymousUserId, userIdKeyFromText } from '../../../functions/shared/pseudonym';
import { validateRecord } from '../../../functions/shared/validate-event';
import { T0, producerEvent } from '../../helpers/events';

const KEY = Buffer.from('k'.repeat(64));
const BOUNDS = { maxAgeMs: 72 * 3_600_000, maxFutureMs: 300_000 };

function valid(event: Record<string, unknown>, userIds = KEEP_USER_IDS) {
  const result = validateRecord(Buffer.from(JSON.stringify(event)), T0 + 60_000, BOUNDS, userIds);
  if (!result.ok) throw new Error(result.refusal.message);
  return result.event;
}

describe('pseudonymousUserId', () => {
  it('is HMAC-SHA-256 in lowercase hex (RFC 4231, test case 2)', () => {
    expect(pseudonymousUserId(Buffer.from('Jefe'), 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('hashes the UTF-8 bytes of the id into 64 hex digits, within the contract bound of a user id', () => {
    const id = 'Zoë 🚀 user';
    const hashed = pseudonymousUserId(KEY, id);
    expect(hashed).toBe(createHmac('sha256', KEY).update(Buffer.from(id, 'utf8')).digest('hex'));
    expect(hashed).toMatch(/^[0-9a-f]{64}$/);
    expect(hashed.length).toBeLessThanOrEqual(LIMITS.userId);
  });

  it('gives one id the same hash every time and another key another hash', () => {
    expect(pseudonymousUserId(KEY, 'user-1')).toBe(pseudonymousUserId(Buffer.from(KEY), 'user-1'));
    expect(pseudonymousUserId(Buffer.from('j'.repeat(64)), 'user-1')).not.toBe(pseudonymousUserId(KEY, 'user-1'));
  });
});

describe('userIdKeyFromText', () => {
  it("takes the text's UTF-8 bytes, trimmed, so that openssl -hmac with the same text gives the same hash", () => {
    expect(userIdKeyFromText(` ${'a'.repeat(64)}\n`, 'the key file')).toEqual(Buffer.from('a'.repeat(64)));
  });

  it('refuses a key shorter than 32 bytes, naming where it is', () => {
    expect(() => userIdKeyFromText('short', 'secret arn:x')).toThrow(
      'the user-id key in secret arn:x is 5 bytes; it must be at least 32 (HMAC-SHA-256)',
    );
  });
});

describe('validating with hashed user ids', () => {
  it('gives the event the keyed hash as its user id', () => {
    expect(valid(producerEvent({ userId: 'alice@example.com' }), hashUserIds(KEY)).userId).toBe(
      pseudonymousUserId(KEY, 'alice@example.com'),
    );
  });

  it("fingerprints a producer's eventId with the hashed id, the same way on every call", () => {
    const event = producerEvent({ userId: 'alice', eventId: '1' });
    const hashed = valid(event, hashUserIds(KEY));
    expect(hashed.eventId).toBe(fingerprint(Buffer.from(`${pseudonymousUserId(KEY, 'alice')}\u00001`)));
    expect(valid(event, hashUserIds(KEY)).eventId).toBe(hashed.eventId);
    // No unkeyed hash of the raw id: a guessed id and eventId cannot be tested against the stored fingerprint.
    expect(hashed.eventId).not.toBe(valid(event).eventId);
  });

  it('keys the fingerprint of an event without eventId, whose payload holds the raw id', () => {
    const payload = Buffer.from(JSON.stringify(producerEvent({ userId: 'alice' })));
    const hashed = valid(producerEvent({ userId: 'alice' }), hashUserIds(KEY)).eventId;
    expect(hashed).toMatch(/^[0-9a-f]{32}$/);
    expect(hashed).not.toBe(fingerprint(payload));
    expect(hashed).toBe(hashUserIds(KEY).payloadFingerprint(payload));
  });

  it('keeps the raw id and the unkeyed fingerprints by default', () => {
    const event = valid(producerEvent({ userId: 'alice', eventId: '1' }));
    expect(event.userId).toBe('alice');
    expect(event.eventId).toBe(fingerprint(Buffer.from('alice\u00001')));
  });
});

describe('the userIdMode setting', () => {
  const TABLES = { SESSIONS_TABLE: 'sessions', METRICS_TABLE: 'metrics' };

  it('is keep unless USER_ID_MODE says hash, in both functions', () => {
    expect(processorConfig(TABLES).userIdMode).toBe('keep');
    expect(transformConfig({}).userIdMode).toBe('keep');
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:key-AbCdEf';
    expect(processorConfig({ ...TABLES, USER_ID_MODE: 'hash', USER_ID_KEY_SECRET_ARN: arn })).toMatchObject({
      userIdMode: 'hash',
      userIdKeySecretArn: arn,
    });
    expect(transformConfig({ USER_ID_MODE: 'hash', USER_ID_KEY_SECRET_ARN: arn })).toMatchObject({
      userIdMode: 'hash',
      userIdKeySecretArn: arn,
    });
  });

  it('refuses another mode, naming the variable and the choices', () => {
    expect(() => transformConfig({ USER_ID_MODE: 'sha256' })).toThrow('USER_ID_MODE must be keep or hash; got "sha256"');
  });
});
