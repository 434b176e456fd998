/**
 * The CDK app: one ClickstreamStack, configured from `cdk.json` context, checked by cdk-nag's AWS Solutions
 * rules on every synth. The environment is explicit (context `account`/`region`, else the CLI's defaults, else
 * placeholders), so synth makes no look-ups and works offline.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ClickstreamStack } from '../stacks/clickstream-stack';
import { configFromContext } from '../stacks/config';

const app = new App();
const config = configFromContext(app.node);
const env = {
  account: (app.node.tryGetContext('account') as string | undefined) ?? process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111',
  region: (app.node.tryGetContext('region') as string | undefined) ?? process.env.CDK_DEFAULT_REGION ?? 'eu-west-1',
};
new ClickstreamStack(app, `Clickstream-${config.stageName}`, { env, config, description: 'Real-time clickstream analytics: Kinesis, Lambda, DynamoDB, Firehose, S3, Glue, Athena' });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
