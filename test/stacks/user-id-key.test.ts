/** userIdMode in the stack: nothing with keep; with hash, a retained secret both functions may read and are told of. */
import type { Template } from 'aws-cdk-lib/assertions';
import { STACK_OUTPUTS } from '../../stacks/stack-outputs';
import { template } from '../helpers/stack';

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

const FUNCTIONS = ['clickstream-dev-session-processor', 'clickstream-dev-firehose-transform'];

function environmentOf(t: Template, functionName: string): Record<string, unknown> {
  const [fn] = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: functionName } })) as Resource[];
  return (fn!.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
}

function secretId(t: Template): string {
  const ids = Object.keys(t.findResources('AWS::SecretsManager::Secret'));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

describe('userIdMode keep (the default)', () => {
  const t = template();

  it('creates no secret and no output for it', () => {
    t.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(t.toJSON()['Outputs']).not.toHaveProperty(STACK_OUTPUTS.userIdKeySecret);
  });

  it('tells both functions to keep user ids, and names no key', () => {
    for (const name of FUNCTIONS) {
      expect(environmentOf(t, name)['USER_ID_MODE']).toBe('keep');
      expect(environmentOf(t, name)).not.toHaveProperty('USER_ID_KEY_SECRET_ARN');
    }
  });
});

describe('userIdMode hash', () => {
  const t = template({ userIdMode: 'hash' });

  it('creates a secret of 64 random letters and digits, kept on delete and replacement', () => {
    t.hasResource('AWS::SecretsManager::Secret', {
      Properties: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('sets no rotation', () => {
    t.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  it('tells both functions to hash, and the ARN of the secret', () => {
    const id = secretId(t);
    for (const name of FUNCTIONS) {
      expect(environmentOf(t, name)['USER_ID_MODE']).toBe('hash');
      expect(environmentOf(t, name)['USER_ID_KEY_SECRET_ARN']).toEqual({ Ref: id });
    }
  });

  it('lets each function read the secret, and nothing more of it', () => {
    const id = secretId(t);
    const readers = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('secretsmanager:'),
    ) as Resource[];
    expect(readers).toHaveLength(2);
    for (const policy of readers) {
      const statements = (policy.Properties['PolicyDocument'] as { Statement: Array<{ Action: unknown; Resource: unknown }> }).Statement;
      const onSecret = statements.filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'));
      // CDK's grantRead: the value and the secret's description, on this secret only.
      expect(onSecret).toEqual([
        { Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: { Ref: id } },
      ]);
    }
    const roles = readers.flatMap((p) => p.Properties['Roles'] as Array<{ Ref: string }>).map((r) => r.Ref);
    const functionRoles = FUNCTIONS.map((name) => {
      const [fn] = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: name } })) as Resource[];
      return (fn!.Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    });
    expect(roles.sort()).toEqual(functionRoles.sort());
  });

  it('names the secret in the stack output UserIdKeySecretArn', () => {
    t.hasOutput(STACK_OUTPUTS.userIdKeySecret, { Value: { Ref: secretId(t) } });
  });
});
