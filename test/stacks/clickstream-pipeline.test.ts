/** ClickstreamPipeline in a stack of someone else's app. */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ClickstreamPipeline } from '../../stacks/clickstream-pipeline';
import { CDK_CONTEXT } from '../helpers/stack';

function hostStack(): Stack {
  const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  return new Stack(app, 'Analytics', { env: { account: '123456789012', region: 'eu-west-1' } });
}

describe('ClickstreamPipeline', () => {
  it('deploys the whole pipeline into a stack of its own app, named by its stage', () => {
    const stack = hostStack();
    const pipeline = new ClickstreamPipeline(stack, 'Clickstream', { stageName: 'prod', ipMode: 'omit' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Kinesis::Stream', { Name: 'clickstream-prod-events' });
    t.resourceCountIs('AWS::DynamoDB::GlobalTable', 2);
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'clickstream-prod-firehose-transform',
      Environment: { Variables: Match.objectLike({ IP_MODE: 'omit' }) },
    });
    expect(pipeline.config.sessionTimeoutMinutes).toBe(30);
    expect(pipeline.namePrefix).toBe('clickstream-prod');
  });

  it('refuses a setting out of range, naming it', () => {
    expect(() => new ClickstreamPipeline(hostStack(), 'Clickstream', { batchSize: 0 })).toThrow(
      'clickstream.batchSize must be a whole number from 1 to 10000; got 0',
    );
  });
});
