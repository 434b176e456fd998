/** The collector API: POST /collect on API Gateway, straight to Kinesis PutRecords, as collector/ declares it. */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Stream, StreamEncryption } from 'aws-cdk-lib/aws-kinesis';
import { GATEWAY_RESPONSES, INTEGRATION_RESPONSES, putRecordsTemplate } from '../../collector/mapping-templates';
import { COLLECT_CONTENT_TYPES } from '../../collector/protocol';
import { COLLECT_REQUEST_MODEL } from '../../collector/request-model';
import { configFromContext, DEFAULT_CONFIG, validateConfig } from '../../stacks/config';
import type { ClickstreamConfig } from '../../stacks/config';
import { CollectorApi } from '../../stacks/constructs/collector-api';
import { CDK_CONTEXT, testStack } from '../helpers/stack';

const ORIGINS = ['https://www.example.com', 'http://localhost:8080'];
const CONFIGURED: Partial<ClickstreamConfig> = {
  collectorAllowedOrigins: ORIGINS,
  collectorRateLimit: 50,
  collectorBurstLimit: 80,
  collectorWafRateLimit: 1000,
};

let defaults: Template;
let configured: Template;
beforeAll(() => {
  defaults = Template.fromStack(testStack());
  configured = Template.fromStack(testStack(CONFIGURED));
});

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };
const resources = (t: Template, type: string, props: Record<string, unknown> = {}) =>
  Object.entries(t.findResources(type, { Properties: props })) as Array<[string, Resource]>;
const only = (t: Template, type: string, props: Record<string, unknown> = {}): [string, Resource] => {
  const found = resources(t, type, props);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const post = (t: Template) => only(t, 'AWS::ApiGateway::Method', { HttpMethod: 'POST' })[1].Properties;
const streamId = (t: Template) => only(t, 'AWS::Kinesis::Stream')[0];

/** A template value as text: a string, or an `Fn::Join` of strings and references, each reference written `<LogicalId>`. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (typeof v['Ref'] === 'string') return `<${v['Ref']}>`;
  if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if (Array.isArray(v['Fn::Join'])) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(text).join(separator);
  }
  throw new Error(`not a string or a join: ${JSON.stringify(value)}`);
}

describe('POST /collect', () => {
  it('has an AWS integration to Kinesis PutRecords that never passes an unmapped body through', () => {
    const method = post(defaults);
    const [resourceId] = only(defaults, 'AWS::ApiGateway::Resource', { PathPart: 'collect' });
    expect(method['ResourceId']).toEqual({ Ref: resourceId });
    expect(method['Integration']).toMatchObject({
      Type: 'AWS',
      IntegrationHttpMethod: 'POST',
      PassthroughBehavior: 'NEVER',
      RequestParameters: { 'integration.request.header.Content-Type': "'application/x-amz-json-1.1'" },
    });
    const uri = text((method['Integration'] as { Uri: unknown }).Uri);
    expect(uri).toBe('arn:aws:apigateway:eu-west-1:kinesis:action/PutRecords');
  });

  it.each(COLLECT_CONTENT_TYPES)('maps a %s body with putRecordsTemplate, naming the ingest stream', (contentType) => {
    const templates = (post(defaults)['Integration'] as { RequestTemplates: Record<string, unknown> }).RequestTemplates;
    expect(Object.keys(templates).sort()).toEqual([...COLLECT_CONTENT_TYPES].sort());
    expect(text(templates[contentType])).toBe(putRecordsTemplate(`<${streamId(defaults)}>`));
  });

  it('answers 200, 400 and 503 by the Kinesis status, with the selection patterns and templates of INTEGRATION_RESPONSES', () => {
    const responses = (post(defaults)['Integration'] as { IntegrationResponses: unknown[] }).IntegrationResponses;
    expect(responses).toEqual(
      INTEGRATION_RESPONSES.map((r) => ({
        StatusCode: r.statusCode,
        ...(r.selectionPattern !== undefined ? { SelectionPattern: r.selectionPattern } : {}),
        ResponseTemplates: { 'application/json': r.template([]) },
      })),
    );
    expect(post(defaults)['MethodResponses']).toEqual([{ StatusCode: '200' }, { StatusCode: '400' }, { StatusCode: '503' }]);
  });

  it('calls Kinesis with a role that may only kinesis:PutRecords on the ingest stream', () => {
    const [roleId, role] = only(defaults, 'AWS::IAM::Role', {
      Description: 'API Gateway writes the collected events to the ingest stream',
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
      }),
    });
    expect((post(defaults)['Integration'] as { Credentials: unknown }).Credentials).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(role.Properties['ManagedPolicyArns']).toBeUndefined();
    expect(role.Properties['Policies']).toEqual([
      {
        PolicyName: 'PutRecords',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'kinesis:PutRecords', Effect: 'Allow', Resource: { 'Fn::GetAtt': [streamId(defaults), 'Arn'] } }],
        },
      },
    ]);
    const attached = resources(defaults, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties['Roles']).includes(roleId));
    expect(attached).toEqual([]);
  });

  it("may also make data keys with a stream's customer-managed key, when the stream has one", () => {
    const app = new App({ context: CDK_CONTEXT });
    const stack = new Stack(app, 'Host', { env: { account: '123456789012', region: 'eu-west-1' } });
    const key = new Key(stack, 'StreamKey');
    const stream = new Stream(stack, 'Stream', { encryption: StreamEncryption.KMS, encryptionKey: key });
    new CollectorApi(stack, 'Collector', { stream, namePrefix: 'host', stageName: 'prod', rateLimit: 10, burstLimit: 20 });
    const [keyId] = only(Template.fromStack(stack), 'AWS::KMS::Key');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Policies: [
        Match.objectLike({
          PolicyDocument: Match.objectLike({
            Statement: [
              Match.objectLike({ Action: 'kinesis:PutRecords' }),
              { Action: 'kms:GenerateDataKey', Effect: 'Allow', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } },
            ],
          }),
        }),
      ],
    });
  });

  it('validates the body of both content types against a model whose schema is COLLECT_REQUEST_MODEL', () => {
    const [validatorId] = only(defaults, 'AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
    const [modelId, model] = only(defaults, 'AWS::ApiGateway::Model');
    expect(model.Properties['Schema']).toEqual(COLLECT_REQUEST_MODEL);
    expect(post(defaults)['RequestValidatorId']).toEqual({ Ref: validatorId });
    expect(post(defaults)['RequestModels']).toEqual(Object.fromEntries(COLLECT_CONTENT_TYPES.map((t) => [t, { Ref: modelId }])));
  });

  it('is public: no authorizer, no API key', () => {
    expect(post(defaults)).toMatchObject({ AuthorizationType: 'NONE' });
    expect(post(defaults)['ApiKeyRequired']).not.toBe(true);
  });
});

describe('gateway responses', () => {
  it.each(Object.entries(GATEWAY_RESPONSES))("answer API Gateway's own %s refusal as declared", (type, response) => {
    defaults.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: type,
      StatusCode: response.statusCode,
      ResponseTemplates: { 'application/json': response.template },
    });
  });

  it('let any page read them once an origin is allowed, and none before', () => {
    for (const [, r] of resources(configured, 'AWS::ApiGateway::GatewayResponse'))
      expect(r.Properties['ResponseParameters']).toEqual({ 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" });
    for (const [, r] of resources(defaults, 'AWS::ApiGateway::GatewayResponse')) expect(r.Properties['ResponseParameters']).toBeUndefined();
  });
});

describe('CORS', () => {
  it('has no preflight and no Access-Control header when no origin is allowed', () => {
    expect(resources(defaults, 'AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS' })).toEqual([]);
    expect(JSON.stringify(defaults.findResources('AWS::ApiGateway::Method'))).not.toMatch(/Access-Control/);
  });

  it('answers the preflight of the allowed origins for POST with a Content-Type', () => {
    const [, options] = only(configured, 'AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS' });
    const [resourceId] = only(configured, 'AWS::ApiGateway::Resource', { PathPart: 'collect' });
    expect(options.Properties['ResourceId']).toEqual({ Ref: resourceId });
    const [response] = (options.Properties['Integration'] as { IntegrationResponses: Array<Record<string, Record<string, string>>> })
      .IntegrationResponses;
    expect(response!['ResponseParameters']).toMatchObject({
      'method.response.header.Access-Control-Allow-Methods': "'POST,OPTIONS'",
      'method.response.header.Access-Control-Allow-Headers': "'Content-Type'",
      'method.response.header.Access-Control-Allow-Origin': `'${ORIGINS[0]}'`,
    });
    expect(response!['ResponseTemplates']!['application/json']).toContain(`$origin == "${ORIGINS[1]}"`);
  });

  it('echoes an allowed Origin in every answer of POST /collect, and declares the header', () => {
    const method = post(configured);
    const responses = (method['Integration'] as { IntegrationResponses: Array<{ ResponseTemplates: Record<string, string> }> })
      .IntegrationResponses;
    expect(responses.map((r) => r.ResponseTemplates['application/json'])).toEqual(INTEGRATION_RESPONSES.map((r) => r.template(ORIGINS)));
    for (const r of method['MethodResponses'] as Array<Record<string, unknown>>)
      expect(r['ResponseParameters']).toEqual({ 'method.response.header.Access-Control-Allow-Origin': true });
  });
});

describe('the stage', () => {
  it('throttles every method at collectorRateLimit and collectorBurstLimit (100 and 200 by default)', () => {
    const throttling = (t: Template) =>
      (only(t, 'AWS::ApiGateway::Stage')[1].Properties['MethodSettings'] as Array<Record<string, unknown>>).map((s) => ({
        path: `${String(s['ResourcePath'])} ${String(s['HttpMethod'])}`,
        rate: s['ThrottlingRateLimit'],
        burst: s['ThrottlingBurstLimit'],
      }));
    expect(throttling(defaults)).toEqual([{ path: '/* *', rate: 100, burst: 200 }]);
    expect(throttling(configured)).toEqual([{ path: '/* *', rate: 50, burst: 80 }]);
  });

  it('writes a JSON access log to a log group of the stack, kept a month and deleted with the stack', () => {
    const setting = only(defaults, 'AWS::ApiGateway::Stage')[1].Properties['AccessLogSetting'] as {
      DestinationArn: unknown;
      Format: string;
    };
    const logGroupId = /<(\w+)>$/.exec(text(setting.DestinationArn))?.[1] ?? '';
    expect(text(setting.DestinationArn)).toBe(`arn:aws:logs:eu-west-1:123456789012:log-group:<${logGroupId}>`);
    expect(Object.keys(JSON.parse(setting.Format) as object)).toEqual(
      expect.arrayContaining([
        'requestId',
        'ip',
        'requestTime',
        'httpMethod',
        'resourcePath',
        'status',
        'responseLength',
        'errorMessage',
        'wafError',
      ]),
    );
    expect((defaults.toJSON()['Resources'] as Record<string, unknown>)[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Delete',
    });
  });

  it('is regional, uncached and untraced', () => {
    defaults.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    defaults.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: false,
      MethodSettings: [Match.objectLike({ CachingEnabled: false, DataTraceEnabled: false })],
    });
  });
});

describe('WAF', () => {
  it('has no web ACL by default', () => {
    defaults.resourceCountIs('AWS::WAFv2::WebACL', 0);
    defaults.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  it('blocks an IP address past collectorWafRateLimit requests in 5 minutes with a REGIONAL web ACL on the stage', () => {
    const [aclId] = only(configured, 'AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
        }),
      ],
    });
    const [stageId] = only(configured, 'AWS::ApiGateway::Stage');
    const [apiId] = only(configured, 'AWS::ApiGateway::RestApi');
    const association = only(configured, 'AWS::WAFv2::WebACLAssociation')[1].Properties;
    expect(association['WebACLArn']).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(text(association['ResourceArn'])).toBe(`arn:aws:apigateway:eu-west-1::/restapis/<${apiId}>/stages/<${stageId}>`);
  });

  it('acknowledges the missing web ACL (cdk-nag APIG3) only when there is none', () => {
    const acknowledged = (config: Partial<ClickstreamConfig>) =>
      testStack(config)
        .pipeline.collector!.api.deploymentStage.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .map((m) => JSON.stringify(m.data));
    expect(acknowledged({}).join()).toContain('AwsSolutions-APIG3');
    expect(acknowledged({ collectorWafRateLimit: 1000 }).join()).not.toContain('AwsSolutions-APIG3');
  });
});

describe('in the stack', () => {
  it('outputs CollectorUrl, the https URL of POST /collect on the stage', () => {
    const [apiId] = only(defaults, 'AWS::ApiGateway::RestApi');
    const [stageId] = only(defaults, 'AWS::ApiGateway::Stage');
    const url = (defaults.toJSON()['Outputs'] as Record<string, { Value: unknown }>)['CollectorUrl']!.Value;
    expect(text(url)).toBe(`https://<${apiId}>.execute-api.eu-west-1.<AWS::URLSuffix>/<${stageId}>/collect`);
  });

  it('raises alarms on the share of collector answers that are 5XX (1%) and 4XX (5%)', () => {
    for (const [metric, threshold] of [
      ['5XXError', 0.01],
      ['4XXError', 0.05],
    ] as const) {
      defaults.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: metric,
        Statistic: 'Average',
        Threshold: threshold,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
      });
    }
  });

  it("sets the account's API Gateway log role, kept on delete but not after a failed create, unless told not to", () => {
    const [, account] = only(defaults, 'AWS::ApiGateway::Account');
    const [roleId, role] = only(defaults, 'AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() });
    expect(account.Properties['CloudWatchRoleArn']).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(role.DeletionPolicy).toBe('RetainExceptOnCreate');
    Template.fromStack(testStack({ collectorSetsAccountLogRole: false })).resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  it('has no API, no output and no collector alarm when the collector setting is off', () => {
    const off = Template.fromStack(testStack({ collector: false }));
    off.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    // The integration role and the account log role go with the API.
    off.resourceCountIs('AWS::IAM::Role', resources(defaults, 'AWS::IAM::Role').length - 2);
    off.resourceCountIs('AWS::ApiGateway::Account', 0);
    expect(Object.keys(off.toJSON()['Outputs'] as object).filter((o) => /Collector|Api/.test(o))).toEqual([]);
    expect(resources(off, 'AWS::CloudWatch::Alarm', { Namespace: 'AWS/ApiGateway' })).toEqual([]);
  });
});

describe('collector settings', () => {
  it.each([
    [{ collectorAllowedOrigins: ['www.example.com'] }, /collectorAllowedOrigins must be origins written as a browser sends them/],
    [{ collectorAllowedOrigins: ['https://www.example.com/'] }, /collectorAllowedOrigins must be origins/],
    [{ collectorAllowedOrigins: ['https://www.example.com/shop'] }, /collectorAllowedOrigins must be origins/],
    [{ collectorAllowedOrigins: ['https://WWW.example.com'] }, /collectorAllowedOrigins must be origins/],
    [{ collectorAllowedOrigins: ['*'] }, /collectorAllowedOrigins must be origins/],
    [{ collectorRateLimit: 0 }, /collectorRateLimit must be a whole number from 1 to 10000; got 0/],
    [{ collectorBurstLimit: 5001 }, /collectorBurstLimit must be a whole number from 1 to 5000; got 5001/],
    [{ collectorWafRateLimit: 5 }, /collectorWafRateLimit must be a whole number from 10 to 2000000000; got 5/],
    [{ collector: 'yes' }, /collector must be true or false/],
  ])('refuses %j', (override, message) => {
    expect(() => validateConfig({ ...DEFAULT_CONFIG, ...(override as object) })).toThrow(message);
  });

  it('takes origins with a port, and reads a list given on the command line as text separated by commas', () => {
    const app = new App({ context: { 'clickstream.collectorAllowedOrigins': 'https://www.example.com, http://localhost:8080' } });
    expect(configFromContext(app.node).collectorAllowedOrigins).toEqual(ORIGINS);
  });
});
