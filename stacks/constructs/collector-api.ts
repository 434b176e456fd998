/**
 * The collector API: `POST /collect` on an API Gateway REST API whose integration calls Kinesis `PutRecords`
 * on the ingest stream directly, with no function in between (the pattern of AWS Solutions Constructs
 * `aws-apigateway-kinesisstreams`). What the requests and answers look like is declared once in `collector/`:
 * the request model, the mapping templates and the gateway responses; this construct only deploys them.
 *
 * Deploying it needs the API Gateway CloudWatch role set once in the account and Region (for the access log).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  AwsIntegration,
  EndpointType,
  LogGroupLogDestination,
  PassthroughBehavior,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { JsonSchema, Method } from 'aws-cdk-lib/aws-apigateway';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import {
  GATEWAY_RESPONSE_ALLOW_ORIGIN,
  GATEWAY_RESPONSES,
  INTEGRATION_RESPONSES,
  putRecordsTemplate,
} from '../../collector/mapping-templates';
import { COLLECT_CONTENT_TYPES, COLLECT_PATH } from '../../collector/protocol';
import { COLLECT_REQUEST_MODEL } from '../../collector/request-model';
import { LOG_GROUP_POLICY } from '../removal-policy';

export interface CollectorApiProps {
  /** The stream every accepted event is written to, one record per event. */
  readonly stream: IStream;
  /** Prefix of the API's and the web ACL's names. */
  readonly namePrefix: string;
  /** The API Gateway stage, the first segment of the URL's path. */
  readonly stageName: string;
  /**
   * Origins whose scripts may read the answers; each gets `Access-Control-Allow-Origin` and a preflight.
   * @default [] (no CORS header, no OPTIONS method)
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * Whether to set the account's API Gateway CloudWatch role (kept when the stack is deleted).
   * @default true
   */
  readonly setsAccountLogRole?: boolean;
  /** Steady requests per second the stage takes before it answers 429. */
  readonly rateLimit: number;
  /** Requests the stage takes at once above the steady rate. */
  readonly burstLimit: number;
  /**
   * Requests one IP address may send in 5 minutes before an AWS WAF web ACL blocks it.
   * @default undefined (no web ACL)
   */
  readonly wafRateLimit?: number;
}

/** What the access log records of each request, as JSON (one object per line, read by Logs Insights). */
const ACCESS_LOG_FIELDS = {
  requestId: AccessLogField.contextRequestId(),
  ip: AccessLogField.contextIdentitySourceIp(),
  userAgent: AccessLogField.contextIdentityUserAgent(),
  requestTime: AccessLogField.contextRequestTime(),
  httpMethod: AccessLogField.contextHttpMethod(),
  resourcePath: AccessLogField.contextResourcePath(),
  status: AccessLogField.contextStatus(),
  responseLength: AccessLogField.contextResponseLength(),
  responseLatency: AccessLogField.contextResponseLatency(),
  // Why API Gateway answered itself (bad body, unsupported type, throttled, WAF), and what Kinesis said.
  errorResponseType: AccessLogField.contextErrorResponseType(),
  errorMessage: AccessLogField.contextErrorMessage(),
  integrationStatus: AccessLogField.contextIntegrationStatus(),
  integrationLatency: AccessLogField.contextIntegrationLatency(),
  wafStatus: AccessLogField.contextWafStatus(),
  wafError: AccessLogField.contextWafError(),
};

export class CollectorApi extends Construct {
  readonly api: RestApi;
  /** `POST /collect`. */
  readonly method: Method;
  /** The full URL of `POST /collect` (`https://…/<stage>/collect`). */
  readonly url: string;
  /** The role API Gateway assumes to call Kinesis: `kinesis:PutRecords` on the stream, nothing else. */
  readonly role: Role;
  readonly accessLogs: LogGroup;
  /** The rate-limiting web ACL, when `wafRateLimit` is set. */
  readonly webAcl?: CfnWebACL;

  constructor(scope: Construct, id: string, props: CollectorApiProps) {
    super(scope, id);
    const origins = props.allowedOrigins ?? [];
    this.accessLogs = new LogGroup(this, 'AccessLogs', LOG_GROUP_POLICY);
    this.api = new RestApi(this, 'Api', {
      restApiName: `${props.namePrefix}-collector`,
      description: 'Clickstream collector: POST /collect writes events to the ingest stream',
      // A browser reaches one Region either way; edge-optimized would put a CloudFront distribution in front
      // that the stack neither configures nor logs.
      endpointTypes: [EndpointType.REGIONAL],
      // API Gateway writes a REST API's logs, access logs included, with the role set in the account's API
      // Gateway settings: one per account and Region, shared by every REST API there, and required before this
      // stage can be created ("Set up CloudWatch logging for REST APIs in API Gateway", Permissions,
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html). By default the stack
      // sets it, and keeps the role when it is deleted (not after a failed create), so that the setting never points at a deleted role.
      ...((props.setsAccountLogRole ?? true)
        ? { cloudWatchRole: true, cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE }
        : { cloudWatchRole: false }),
      deployOptions: {
        stageName: props.stageName,
        // Rendered as the stage's method settings for `/*/*`: every method of the stage.
        throttlingRateLimit: props.rateLimit,
        throttlingBurstLimit: props.burstLimit,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        // Every request is a distinct write: nothing to cache. No X-Ray: the integration is one AWS call,
        // whose status and latency the access log already records.
        cachingEnabled: false,
        tracingEnabled: false,
      },
    });
    // The stack names the full URL of the route (CollectorUrl); the L2's own output is the stage's root, which has no method.
    this.api.node.tryRemoveChild('Endpoint');

    this.role = new Role(this, 'IntegrationRole', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway writes the collected events to the ingest stream',
      inlinePolicies: { PutRecords: new PolicyDocument({ statements: putRecordsStatements(props.stream) }) },
    });

    const resource = this.api.root.resourceForPath(COLLECT_PATH);
    if (origins.length > 0) {
      resource.addCorsPreflight({
        allowOrigins: [...origins],
        allowMethods: ['POST', 'OPTIONS'],
        allowHeaders: ['Content-Type'],
        // Browsers keep a preflight at most 2 hours (Chromium) and often less; one an hour per visitor is plenty.
        maxAge: Duration.hours(1),
      });
    }

    const forEachContentType = <T>(value: T): Record<string, T> => Object.fromEntries(COLLECT_CONTENT_TYPES.map((t) => [t, value]));
    const integration = new AwsIntegration({
      service: 'kinesis',
      action: 'PutRecords',
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: this.role,
        // A body of any other content type is answered 415, never forwarded to Kinesis untransformed.
        passthroughBehavior: PassthroughBehavior.NEVER,
        // Kinesis speaks JSON 1.1; API Gateway would otherwise forward the client's Content-Type.
        requestParameters: { 'integration.request.header.Content-Type': "'application/x-amz-json-1.1'" },
        requestTemplates: forEachContentType(putRecordsTemplate(props.stream.streamName)),
        integrationResponses: INTEGRATION_RESPONSES.map((r) => ({
          statusCode: r.statusCode,
          ...(r.selectionPattern !== undefined ? { selectionPattern: r.selectionPattern } : {}),
          responseTemplates: { 'application/json': r.template(origins) },
        })),
      },
    });

    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'body',
      validateRequestBody: true,
      // The method declares no required parameters, so this refuses nothing; cdk-nag (APIG2) asks for both.
      validateRequestParameters: true,
    });
    const model = this.api.addModel('CollectRequest', {
      modelName: 'CollectRequest',
      contentType: 'application/json',
      // The draft-4 schema as declared; the L2 passes its keys (`$schema` included) through unchanged.
      schema: COLLECT_REQUEST_MODEL as unknown as JsonSchema,
    });
    this.method = resource.addMethod('POST', integration, {
      // A public collector, as any analytics endpoint a web page calls (see nag-acknowledgements.ts).
      authorizationType: AuthorizationType.NONE,
      requestValidator: validator,
      requestModels: forEachContentType(model),
      methodResponses: INTEGRATION_RESPONSES.map((r) => ({
        statusCode: r.statusCode,
        // The response templates set the header to an allowed request Origin; the method declares it.
        ...(origins.length > 0 ? { responseParameters: { 'method.response.header.Access-Control-Allow-Origin': true } } : {}),
      })),
    });

    for (const [type, response] of Object.entries(GATEWAY_RESPONSES)) {
      this.api.addGatewayResponse(type, {
        type: ResponseType.of(type),
        statusCode: response.statusCode,
        templates: { 'application/json': response.template },
        ...(origins.length > 0 ? { responseHeaders: { 'Access-Control-Allow-Origin': `'${GATEWAY_RESPONSE_ALLOW_ORIGIN}'` } } : {}),
      });
    }

    this.url = this.api.urlForPath(COLLECT_PATH);
    if (props.wafRateLimit !== undefined) this.webAcl = this.rateLimitingAcl(props.namePrefix, props.wafRateLimit);
  }

  /** A REGIONAL web ACL on the stage that blocks an IP address past `limit` requests in 5 minutes. */
  private rateLimitingAcl(namePrefix: string, limit: number): CfnWebACL {
    const visibility = (metricName: string) => ({ metricName, cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true });
    const acl = new CfnWebACL(this, 'WebAcl', {
      name: `${namePrefix}-collector`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${namePrefix}-collector`),
      rules: [
        {
          name: 'RequestsPerIp',
          priority: 0,
          // Blocked requests get the WAF_FILTERED gateway response (403).
          action: { block: {} },
          statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility(`${namePrefix}-collector-requests-per-ip`),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: this.api.deploymentStage.stageArn, webAclArn: acl.attrArn });
    return acl;
  }
}

/** `kinesis:PutRecords` on the stream, and the data key its customer-managed KMS key gives out, if it has one. */
function putRecordsStatements(stream: IStream): PolicyStatement[] {
  const statements = [new PolicyStatement({ actions: ['kinesis:PutRecords'], resources: [stream.streamArn] })];
  // The AWS managed key (aws/kinesis) needs no grant; a customer-managed key must let the writer make data keys.
  if (stream.encryptionKey)
    statements.push(new PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [stream.encryptionKey.keyArn] }));
  return statements;
}
