import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigError } from '../../../functions/session-processor/errors';
import { UserIdKeyError } from '../../../functions/shared/errors';
import { pseudonymousUserId } from '../../../functions/shared/pseudonym';
import { userIdPolicy } from '../../../functions/shared/user-id-key';

const sm = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clickstream-dev-user-id-key-AbCdEf';
const SECRET = 'K'.repeat(64);
const fail = (variable: string, message: string) => new ConfigError(variable, message);

afterEach(() => sm.reset());

describe('userIdPolicy', () => {
  it('keeps raw ids in keep mode without asking Secrets Manager', async () => {
    const policy = await userIdPolicy('keep', ARN, undefined, fail)();
    expect(policy.storedUserId('alice')).toBe('alice');
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it('reads the secret once per execution environment, on first use, and hashes with its text', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    const policy = userIdPolicy('hash', ARN, undefined, fail);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
    const [a, b] = await Promise.all([policy(), policy()]);
    const c = await policy();
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: ARN });
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(a.storedUserId('alice')).toBe(pseudonymousUserId(Buffer.from(SECRET), 'alice'));
  });

  it('fails loudly when the secret cannot be read, naming it and the action, and reads it again on the next call', async () => {
    const denied = Object.assign(new Error('not authorized to perform secretsmanager:GetSecretValue'), { name: 'AccessDeniedException' });
    sm.on(GetSecretValueCommand).rejectsOnce(denied).resolves({ SecretString: SECRET });
    const policy = userIdPolicy('hash', ARN, undefined, fail);
    const failed = policy();
    await expect(failed).rejects.toThrow(UserIdKeyError);
    await expect(failed).rejects.toThrow(
      `could not read the user-id key from secret ${ARN} (secretsmanager:GetSecretValue): AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue; USER_ID_MODE is hash, so nothing is stored until it can be read`,
    );
    expect((await policy()).mode).toBe('hash');
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('refuses a secret too short to be an HMAC-SHA-256 key', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    await expect(userIdPolicy('hash', ARN, undefined, fail)()).rejects.toThrow(/is 5 bytes; it must be at least 32/);
  });

  it('takes the key source given instead of the secret', async () => {
    const key = jest.fn(() => Promise.resolve(Buffer.from(SECRET)));
    const policy = userIdPolicy('hash', undefined, key, fail);
    await policy();
    await policy();
    expect(key).toHaveBeenCalledTimes(1);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it('refuses hash mode without a key source at once, naming the variable', () => {
    expect(() => userIdPolicy('hash', undefined, undefined, fail)).toThrow(
      new ConfigError(
        'USER_ID_KEY_SECRET_ARN',
        'USER_ID_KEY_SECRET_ARN is not set: USER_ID_MODE is hash, and the key is read from that Secrets Manager secret (the stack sets it)',
      ),
    );
  });
});
