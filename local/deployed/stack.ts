/** What a deployed clickstream stack is made of, read from its CloudFormation outputs. */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { STACK_OUTPUTS } from '../../stacks/stack-outputs';
import { AwsSetupError, StackNotFoundError, StackOutputMissingError, translateAwsError } from './errors';

/** The resources of a deployed stack that the tools read and change. */
export interface DeployedStack {
  readonly stackName: string;
  readonly region: string;
  readonly sessionsTable: string;
  readonly metricsTable: string;
  readonly archiveBucket: string;
  /** The event source mapping's on-failure destination. */
  readonly failureBucket: string;
  readonly streamName: string;
  readonly glueDatabase: string;
  readonly glueTable: string;
  readonly athenaWorkGroup: string;
  /** The secret holding the key user ids are hashed with; absent when the stack keeps raw ids (`userIdMode` keep). */
  readonly userIdKeySecretArn?: string;
}

/** Reads the stack's outputs; throws {@link StackNotFoundError} or {@link StackOutputMissingError} naming what is missing. */
export async function readDeployedStack(client: CloudFormationClient, stackName: string, region: string): Promise<DeployedStack> {
  const stack = await describeStack(client, stackName, region);
  const optionalOutput = (key: keyof typeof STACK_OUTPUTS): string | undefined =>
    stack.Outputs?.find((o) => o.OutputKey === STACK_OUTPUTS[key])?.OutputValue || undefined;
  const output = (key: keyof typeof STACK_OUTPUTS): string => {
    const value = optionalOutput(key);
    if (!value) throw new StackOutputMissingError(stackName, region, STACK_OUTPUTS[key], stack.StackStatus);
    return value;
  };
  const userIdKeySecretArn = optionalOutput('userIdKeySecret');
  return {
    stackName,
    region,
    sessionsTable: output('sessionsTable'),
    metricsTable: output('metricsTable'),
    archiveBucket: output('archiveBucket'),
    failureBucket: output('failureBucket'),
    streamName: output('streamName'),
    glueDatabase: output('glueDatabase'),
    glueTable: output('glueTable'),
    athenaWorkGroup: output('athenaWorkGroup'),
    ...(userIdKeySecretArn !== undefined ? { userIdKeySecretArn } : {}),
  };
}

/**
 * The stack by name. CloudFormation answers a name it does not know (or a deleted stack's name) with a
 * ValidationError "Stack with id … does not exist" rather than an empty list (as seen in boto3's issue on its
 * documentation of DescribeStacks, https://github.com/boto/boto3/issues/2807).
 */
async function describeStack(client: CloudFormationClient, stackName: string, region: string): Promise<Stack> {
  try {
    const out = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = out.Stacks?.[0];
    if (!stack) throw new StackNotFoundError(stackName, region);
    return stack;
  } catch (err) {
    if (err instanceof StackNotFoundError) throw err;
    if ((err as Error).name === 'ValidationError' && /does not exist/.test((err as Error).message)) {
      throw new StackNotFoundError(stackName, region, { cause: err });
    }
    return translateAwsError(err, 'cloudformation:DescribeStacks', `stack ${stackName} in ${region}`);
  }
}

/** The region the SDK resolves for a client (AWS_REGION, the profile's region), or an error saying how to set one. */
export async function regionOf(client: CloudFormationClient): Promise<string> {
  try {
    return await client.config.region();
  } catch (err) {
    throw new AwsSetupError(
      `no AWS region is set (${(err as Error).message}): pass --region, or set AWS_REGION or a region in your AWS profile`,
      {
        cause: err,
      },
    );
  }
}
