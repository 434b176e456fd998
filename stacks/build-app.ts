/**
 * What the CDK app holds: one ClickstreamStack configured from context, checked by cdk-nag's AWS Solutions
 * rules on every synth. The region is explicit (context `region`, else the CLI's default, else
 * {@link DEFAULT_REGION}) and the account comes from context `account` or the CLI's credentials, else from
 * the deployment itself; synth makes no look-ups and works offline.
 */
import { Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ClickstreamStack } from './clickstream-stack';
import { configFromContext } from './config';

/** The region a synth without context or credentials targets. */
export const DEFAULT_REGION = 'eu-west-1';

export function buildApp(app: App): ClickstreamStack {
  const config = configFromContext(app.node);
  const account = (app.node.tryGetContext('account') as string | undefined) ?? process.env.CDK_DEFAULT_ACCOUNT;
  const env = {
    // Without an account (no credentials, no context), the stack stays account-agnostic: the template says
    // AWS::AccountId where it needs the account, and CloudFormation fills in the account deployed to. A
    // placeholder account here would be written into the Glue catalog id and Firehose's schema settings.
    ...(account !== undefined ? { account } : {}),
    region: (app.node.tryGetContext('region') as string | undefined) ?? process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION,
  };
  const stack = new ClickstreamStack(app, `Clickstream-${config.stageName}`, {
    env,
    config,
    description: 'Real-time clickstream analytics: Kinesis, Lambda, DynamoDB, Firehose, S3, Glue, Athena',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
