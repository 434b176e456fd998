/**
 * What the CDK app holds: one ClickstreamStack configured from context, checked by cdk-nag's AWS Solutions
 * rules on every synth. The environment is explicit (context `account` and `region`, else the CLI's
 * defaults, else placeholders), so synth makes no look-ups and works offline.
 */
import { Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ClickstreamStack } from './clickstream-stack';
import { configFromContext } from './config';

export function buildApp(app: App): ClickstreamStack {
  const config = configFromContext(app.node);
  const env = {
    account: (app.node.tryGetContext('account') as string | undefined) ?? process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111',
    region: (app.node.tryGetContext('region') as string | undefined) ?? process.env.CDK_DEFAULT_REGION ?? 'eu-west-1',
  };
  const stack = new ClickstreamStack(app, `Clickstream-${config.stageName}`, {
    env,
    config,
    description: 'Real-time clickstream analytics: Kinesis, Lambda, DynamoDB, Firehose, S3, Glue, Athena',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
