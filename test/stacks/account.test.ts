/**
 * A synth without credentials (no CDK_DEFAULT_ACCOUNT, no `account` context) must not bake a placeholder
 * account into the template: the stack stays account-agnostic and CloudFormation supplies the account.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../stacks/build-app';
import { CDK_CONTEXT } from '../helpers/stack';

const savedAccount = process.env.CDK_DEFAULT_ACCOUNT;
afterEach(() => {
  if (savedAccount === undefined) delete process.env.CDK_DEFAULT_ACCOUNT;
  else process.env.CDK_DEFAULT_ACCOUNT = savedAccount;
});

function synth(context: Record<string, unknown>): { template: Template; account: string } {
  const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = buildApp(app);
  const artifact = app.synth().getStackArtifact(stack.artifactId);
  return { template: Template.fromJSON(artifact.template as Record<string, unknown>), account: artifact.environment.account };
}

describe('the app without AWS credentials', () => {
  it('synthesizes a template for whichever account deploys it, with no placeholder account anywhere', () => {
    delete process.env.CDK_DEFAULT_ACCOUNT;
    const { template, account } = synth({ clickstream: { archiveFormat: 'parquet' } });
    expect(account).toBe('unknown-account');
    expect(JSON.stringify(template.toJSON())).not.toMatch(/\b\d{12}\b/);
    template.hasResourceProperties('AWS::Glue::Database', { CatalogId: { Ref: 'AWS::AccountId' } });
    template.hasResourceProperties('AWS::Glue::Table', { CatalogId: { Ref: 'AWS::AccountId' } });
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        DataFormatConversionConfiguration: Match.objectLike({
          SchemaConfiguration: Match.objectLike({ CatalogId: { Ref: 'AWS::AccountId' } }),
        }),
      }),
    });
  });

  it('uses the account given as context or by the CLI when there is one', () => {
    process.env.CDK_DEFAULT_ACCOUNT = '210987654321';
    expect(synth({}).account).toBe('210987654321');
    const { template, account } = synth({ account: '123456789012' });
    expect(account).toBe('123456789012');
    template.hasResourceProperties('AWS::Glue::Database', { CatalogId: '123456789012' });
  });
});
