/** The AWS region a command works in: the one given, else the SDK's (AWS_REGION, the profile's region). */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { AwsSetupError } from './errors';

/** The region `client` was configured with; an {@link AwsSetupError} saying how to set one when there is none. */
export async function clientRegion(client: CloudFormationClient): Promise<string> {
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
