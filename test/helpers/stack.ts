/** Building the stack for assertions, with the context of cdk.json (tests' Apps do not read it). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ClickstreamStack } from '../../stacks/clickstream-stack';
import type { ClickstreamConfig } from '../../stacks/config';

export const CDK_CONTEXT = (JSON.parse(readFileSync(join(__dirname, '../../cdk.json'), 'utf8')) as { context: Record<string, unknown> })
  .context;

/** The stack, in an app of its own; bundling is skipped (an empty list of stacks to bundle), as assertions need no code. */
export function testStack(config: Partial<ClickstreamConfig> = {}): ClickstreamStack {
  const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  return new ClickstreamStack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' }, config });
}

/** The stack's template. */
export function template(config: Partial<ClickstreamConfig> = {}): Template {
  return Template.fromStack(testStack(config));
}
