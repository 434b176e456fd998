/**
 * Where a handler's user-id key comes from in `hash` mode, and the policy built from it: read on the first
 * invocation that needs it and kept for the execution environment. The Lambda guide recommends caching a
 * secret rather than calling Secrets Manager on every invocation ("Use Secrets Manager secrets in Lambda
 * functions", https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html; it suggests its extension,
 * which refreshes every 5 minutes). This key never changes while the stack lives (rotating it would split every
 * user's history), so one read per environment needs neither the extension's layer nor a refresh.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { UserIdKeyError } from './errors';
import { KEEP_USER_IDS, USER_ID_KEY_SECRET_ARN, hashUserIds, userIdKeyFromText } from './pseudonym';
import type { UserIdMode, UserIdPolicy } from './pseudonym';

/** Reads the key; a handler's overrides may give their own (the local runtime's key file, tests). */
export type UserIdKeySource = () => Promise<Uint8Array>;

/**
 * The key held by the Secrets Manager secret `secretArn`: one GetSecretValue per call (the policy caches it).
 * The SDK module is loaded on first use, so a function in `keep` mode does not load it at cold start.
 */
export function secretsManagerUserIdKey(secretArn: string, client?: SecretsManagerClient): UserIdKeySource {
  let made = client;
  return async () => {
    const sdk = await import('@aws-sdk/client-secrets-manager');
    made ??= new sdk.SecretsManagerClient({});
    const out = await made.send(new sdk.GetSecretValueCommand({ SecretId: secretArn }));
    if (out.SecretString === undefined) throw new Error(`secret ${secretArn} holds no string`);
    return userIdKeyFromText(out.SecretString, `secret ${secretArn}`);
  };
}

/**
 * The policy a handler applies to every batch. `keep`: the raw ids, at once. `hash`: the key from `override`,
 * else from the secret `secretArn` names; built on the first call and kept, except after a failure, which
 * the next call retries. Throws at once (through `fail`, naming the variable) when `hash` has no key source.
 */
export function userIdPolicy(
  mode: UserIdMode,
  secretArn: string | undefined,
  override: UserIdKeySource | undefined,
  fail: (variable: string, message: string) => Error,
): () => Promise<UserIdPolicy> {
  if (mode === 'keep') return () => Promise.resolve(KEEP_USER_IDS);
  const key = override ?? (secretArn === undefined ? undefined : secretsManagerUserIdKey(secretArn));
  if (!key)
    throw fail(
      USER_ID_KEY_SECRET_ARN,
      `${USER_ID_KEY_SECRET_ARN} is not set: USER_ID_MODE is hash, and the key is read from that Secrets Manager secret (the stack sets it)`,
    );
  const from = secretArn === undefined || override ? 'the key source given' : `secret ${secretArn} (secretsmanager:GetSecretValue)`;
  let pending: Promise<UserIdPolicy> | undefined;
  return () => {
    pending ??= key().then(hashUserIds, (err: unknown) => {
      pending = undefined;
      const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new UserIdKeyError(
        `could not read the user-id key from ${from}: ${why}; USER_ID_MODE is hash, so nothing is stored until it can be read`,
        { cause: err },
      );
    });
    return pending;
  };
}
