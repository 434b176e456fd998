/**
 * Every configuration the settings table offers, each synthesized through the real app (`buildApp`, so the
 * context path and cdk-nag's AWS Solutions checks run as in `cdk synth`), with bundling skipped: cdk-nag
 * clean, cfn-lint clean (one run over all templates, where cfn-lint is installed), and each setting visible
 * in its template.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { ClickstreamConfig } from '../../stacks/config';
import { buildApp } from '../../stacks/build-app';
import { CDK_CONTEXT } from '../helpers/stack';

type Check = (t: Template) => void;
const lifecycle = (t: Template) =>
  (
    Object.values(t.findResources('AWS::S3::Bucket')) as Array<{
      Properties: { LifecycleConfiguration?: { Rules: Array<Record<string, unknown>> } };
    }>
  ).flatMap((b) => b.Properties.LifecycleConfiguration?.Rules ?? []);
const archiveRule = (t: Template) => lifecycle(t).find((r) => r['Id'] === 'ArchiveToGlacier')!;
const tableParameters = (t: Template) =>
  (Object.values(t.findResources('AWS::Glue::Table'))[0] as { Properties: { TableInput: { Parameters: Record<string, string> } } })
    .Properties.TableInput.Parameters;
const transformEnv = (t: Template) =>
  (
    Object.values(
      t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: Match.stringLikeRegexp('firehose-transform$') } }),
    )[0] as { Properties: { Environment: { Variables: Record<string, string> } } }
  ).Properties.Environment.Variables;

/** The configurations of the settings table, each with what its template must show. */
const CONFIGURATIONS: Array<[string, Partial<ClickstreamConfig>, Check]> = [
  [
    'the defaults (JSON, one provisioned shard, Glacier Instant Retrieval, no expiry)',
    {},
    (t) => {
      t.hasResourceProperties('AWS::Kinesis::Stream', { StreamModeDetails: { StreamMode: 'PROVISIONED' }, ShardCount: 1 });
      expect(archiveRule(t)['ExpirationInDays']).toBeUndefined();
      expect(archiveRule(t)['Transitions']).toEqual([{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }]);
    },
  ],
  [
    'Parquet',
    { archiveFormat: 'parquet' },
    (t) => {
      t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        ExtendedS3DestinationConfiguration: Match.objectLike({ DataFormatConversionConfiguration: Match.objectLike({ Enabled: true }) }),
      });
    },
  ],
  [
    'an on-demand stream',
    { shardCount: 'on-demand' },
    (t) => {
      t.hasResourceProperties('AWS::Kinesis::Stream', { StreamModeDetails: { StreamMode: 'ON_DEMAND' }, ShardCount: Match.absent() });
    },
  ],
  [
    'three provisioned shards',
    { shardCount: 3 },
    (t) => {
      t.hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: 3 });
    },
  ],
  [
    'archive expiry after two years',
    { archiveExpirationDays: 730 },
    (t) => {
      expect(archiveRule(t)['ExpirationInDays']).toBe(730);
    },
  ],
  [
    'Glacier Flexible Retrieval',
    { archiveStorageClass: 'GLACIER' },
    (t) => {
      expect(archiveRule(t)['Transitions']).toEqual([{ StorageClass: 'GLACIER', TransitionInDays: 90 }]);
      expect(tableParameters(t)['read_restored_glacier_objects']).toBe('true');
    },
  ],
  [
    'Glacier Deep Archive after 180 days, expiring after 10 years',
    { archiveStorageClass: 'DEEP_ARCHIVE', glacierTransitionDays: 180, archiveExpirationDays: 3650 },
    (t) => {
      expect(archiveRule(t)).toMatchObject({
        Transitions: [{ StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 180 }],
        ExpirationInDays: 3650,
      });
      expect(tableParameters(t)['read_restored_glacier_objects']).toBe('true');
    },
  ],
  ['ipMode full', { ipMode: 'full' }, (t) => expect(transformEnv(t)['IP_MODE']).toBe('full')],
  ['ipMode omit', { ipMode: 'omit' }, (t) => expect(transformEnv(t)['IP_MODE']).toBe('omit')],
  ['dropBots', { dropBots: ['monitoring', 'http_library'] }, (t) => expect(transformEnv(t)['DROP_BOTS']).toBe('monitoring,http_library')],
  ['ownAppUserAgents', { ownAppUserAgents: ['ShopApp/'] }, (t) => expect(transformEnv(t)['OWN_APP_USER_AGENTS']).toBe('ShopApp/')],
  [
    'userIdMode hash',
    { userIdMode: 'hash' },
    (t) => {
      expect(transformEnv(t)['USER_ID_MODE']).toBe('hash');
      t.resourceCountIs('AWS::SecretsManager::Secret', 1);
      expect(t.toJSON()['Outputs']).toHaveProperty('UserIdKeySecretArn');
    },
  ],
  [
    'an alarm e-mail',
    { alarmEmail: 'ops@example.com' },
    (t) => {
      t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    },
  ],
  [
    'the collector for two origins behind a WAF rate limit',
    { collectorAllowedOrigins: ['https://www.example.com', 'https://shop.example.com'], collectorWafRateLimit: 2000 },
    (t) => {
      t.hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: [Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 2000 }) } })],
      });
      t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      t.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS' });
    },
  ],
  [
    'no collector',
    { collector: false },
    (t) => {
      t.resourceCountIs('AWS::ApiGateway::RestApi', 0);
      expect(t.toJSON()['Outputs']).not.toHaveProperty('CollectorUrl');
    },
  ],
  [
    'a second stage, Parquet, on demand, without deletion protection',
    { stageName: 'prod', archiveFormat: 'parquet', shardCount: 'on-demand', deletionProtection: false },
    (t) => {
      t.hasResourceProperties('AWS::Kinesis::Stream', { Name: 'clickstream-prod-events' });
      t.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'clickstream_prod' }) });
      t.hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'clickstream-prod' });
    },
  ],
];

const root = mkdtempSync(join(tmpdir(), 'cdk-configs-'));
const synthesized = new Map<string, { template: Template; templateFile: string; outdir: string }>();

/** Synthesizes the app as `cdk synth -c clickstream.…` would, without bundling, into its own folder. */
function synth(name: string, config: Partial<ClickstreamConfig>): { template: Template; templateFile: string; outdir: string } {
  const outdir = join(root, String(synthesized.size));
  const app = new App({ outdir, context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], account: '123456789012', clickstream: config } });
  const stack = buildApp(app);
  const assembly = app.synth();
  const result = {
    template: Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template as Record<string, unknown>),
    templateFile: join(outdir, assembly.getStackArtifact(stack.artifactId).templateFile),
    outdir,
  };
  synthesized.set(name, result);
  return result;
}

beforeAll(() => {
  for (const [name, config] of CONFIGURATIONS) synth(name, config);
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const hasCfnLint = spawnSync('cfn-lint', ['--version']).status === 0;

describe.each(CONFIGURATIONS)('the app with %s', (name, _config, check) => {
  const get = () => synthesized.get(name)!;

  it('passes the cdk-nag AWS Solutions checks', () => {
    const report = JSON.parse(readFileSync(join(get().outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{ pluginName: string; conclusion: string; violations: unknown[] }>;
    };
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions')!;
    expect(nag.violations).toEqual([]);
    expect(nag.conclusion).toBe('success');
  });

  it('shows the setting in its template', () => check(get().template));

  it('keeps stateful resources on update and delete but not after a failed create', () => {
    const policies = Object.values(get().template.toJSON()['Resources'] as Record<string, { DeletionPolicy?: string }>).map(
      (r) => r.DeletionPolicy,
    );
    expect(policies).not.toContain('Retain');
    expect(policies.filter((p) => p === 'RetainExceptOnCreate').length).toBeGreaterThanOrEqual(7);
  });

  it('grants nothing on "*" but the schema read of Parquet conversion', () => {
    const statements = Object.values(get().template.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } }).Properties
          .PolicyDocument.Statement,
    );
    const onEverything = statements.filter((s) => [s.Resource].flat().includes('*')).flatMap((s) => [s.Action].flat());
    expect(onEverything).toEqual(_config.archiveFormat === 'parquet' ? ['glue:GetSchemaVersion'] : []);
  });
});

(hasCfnLint ? it : it.skip)('passes cfn-lint with no errors or warnings in every configuration', () => {
  const templates = [...synthesized.values()].map((s) => s.templateFile);
  expect(templates).toHaveLength(CONFIGURATIONS.length);
  expect(() => execFileSync('cfn-lint', ['-t', ...templates], { encoding: 'utf8' })).not.toThrow();
});

if (!hasCfnLint) console.log('cfn-lint is not installed here: the CloudFormation lint check of the configurations was skipped');
