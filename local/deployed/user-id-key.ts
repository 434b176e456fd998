/** The user-id key of a deployed stack in `userIdMode` hash, for the tools that must hash a raw id (forget). */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { userIdKeyFromText } from '../../functions/shared/pseudonym';
import { DeployedStackError, translateAwsError } from './errors';

/** The key held by the secret the stack's output UserIdKeySecretArn names: the bytes the functions hash with. */
export async function deployedUserIdKey(secretArn: string, client: SecretsManagerClient): Promise<Buffer> {
  let text: string | undefined;
  try {
    text = (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (err) {
    return translateAwsError(err, 'secretsmanager:GetSecretValue', `secret ${secretArn}`);
  }
  if (text === undefined)
    throw new DeployedStackError(
      `secret ${secretArn} holds no string; the stack's user-id key is a generated string, so this is not that secret`,
    );
  try {
    return userIdKeyFromText(text, `secret ${secretArn}`);
  } catch (err) {
    throw new DeployedStackError(`${(err as Error).message}; this is not the key the stack generated`, { cause: err });
  }
}
