import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsAccessDeniedError, DeployedStackError } from '../../../local/deployed/errors';
import { readDeployedStack } from '../../../local/deployed/stack';
import { deployedUserIdKey } from '../../../local/deployed/user-id-key';

const sm = mockClient(SecretsManagerClient);
const cloudFormation = mockClient(CloudFormationClient);
const REGION = 'eu-west-1';
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:UserIdKeySecret-AbCdEf';

afterEach(() => {
  sm.reset();
  cloudFormation.reset();
});

describe('deployedUserIdKey', () => {
  it("returns the secret's text as the key bytes the functions hash with", async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: 'A'.repeat(64) });
    expect(await deployedUserIdKey(ARN, new SecretsManagerClient({ region: REGION }))).toEqual(Buffer.from('A'.repeat(64)));
  });

  it('names the permission to grant when the read is denied', async () => {
    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const read = deployedUserIdKey(ARN, new SecretsManagerClient({ region: REGION }));
    await expect(read).rejects.toThrow(AwsAccessDeniedError);
    await expect(read).rejects.toThrow(`access denied: this needs secretsmanager:GetSecretValue on secret ${ARN}`);
  });

  it('refuses a secret that is not a key', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    await expect(deployedUserIdKey(ARN, new SecretsManagerClient({ region: REGION }))).rejects.toThrow(DeployedStackError);
  });
});

describe('readDeployedStack and the user-id key', () => {
  const OUTPUTS = {
    StreamName: 's',
    SessionsTableName: 'sessions',
    MetricsTableName: 'metrics',
    ArchiveBucketName: 'archive',
    FailureBucketName: 'failures',
    GlueDatabaseName: 'db',
    GlueTableName: 'events',
    AthenaWorkGroupName: 'wg',
  };
  const stackWith = (outputs: Record<string, string>) =>
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'cs',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });

  it('reads the secret of a stack that hashes user ids from its output', async () => {
    stackWith({ ...OUTPUTS, UserIdKeySecretArn: ARN });
    const stack = await readDeployedStack(new CloudFormationClient({ region: REGION }), 'cs', REGION);
    expect(stack.userIdKeySecretArn).toBe(ARN);
  });

  it('has no secret for a stack that keeps user ids (no output)', async () => {
    stackWith(OUTPUTS);
    const stack = await readDeployedStack(new CloudFormationClient({ region: REGION }), 'cs', REGION);
    expect(stack).not.toHaveProperty('userIdKeySecretArn');
  });
});
