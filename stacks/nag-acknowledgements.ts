/**
 * The cdk-nag findings this stack accepts, each on the narrowest construct, each with the reason a
 * security reviewer would ask for. Every other finding fails the synth.
 */
import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ArchiveDelivery } from './constructs/archive-delivery';
import type { ArchiveStorage } from './constructs/archive-storage';
import type { CollectorApi } from './constructs/collector-api';
import type { ArchiveFormat } from './config';
import type { SessionProcessing } from './constructs/session-processing';
import type { UserIdKey } from './constructs/user-id-key';

const nag = (rule: string) => `AwsSolutions::AwsSolutions-${rule}`;

/** How cdk-nag names a resource's ARN in a finding: `<LogicalId.Arn>`. */
function arnToken(resource: IConstruct): string {
  const cfn = resource.node.defaultChild;
  if (!(cfn instanceof CfnElement)) throw new Error(`${resource.node.path} has no CloudFormation resource`);
  const stack = Stack.of(cfn);
  return `<${stack.resolve(stack.getLogicalId(cfn)) as string}.Arn>`;
}

export function acknowledgeFindings(
  archive: ArchiveDelivery,
  storage: ArchiveStorage,
  sessions: SessionProcessing,
  format: ArchiveFormat,
): void {
  Validations.of(archive.deliveryStream).acknowledge({
    id: nag('KDF1'),
    reason:
      'A delivery stream with a Kinesis Data Stream source cannot set server-side encryption; the source stream is encrypted with KMS and the bucket with SSE-S3.',
  });
  const transformVersions = `Resource::${arnToken(archive.transform)}:*`;
  Validations.of(archive.deliveryRole).acknowledge(
    ...[
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      transformVersions,
    ].map((finding) => ({
      id: nag(`IAM5[${finding}]`),
      reason:
        'The Firehose destination role is granted by the stable aws-kinesisfirehose L2: read/write on the archive bucket only, and invoke and configuration of the transform and its versions; Firehose needs multipart abort, list and get on that bucket to deliver and retry.',
    })),
    {
      id: nag(`IAM5[Resource::${arnToken(storage.bucket)}/*]`),
      reason: 'Firehose writes objects under keys it names (prefix, time, UUID) inside this one bucket; no narrower key pattern exists.',
    },
  );
  if (format === 'parquet') {
    // The L2's SchemaConfiguration grants glue:GetSchemaVersion on "*"; nothing else on this role is on "*"
    // (test/stacks/configurations.test.ts checks it), and only the Parquet configuration gets this ack.
    Validations.of(archive.deliveryRole).acknowledge({
      id: nag('IAM5[Resource::*]'),
      reason:
        'With Parquet conversion the aws-kinesisfirehose L2 grants glue:GetSchemaVersion (a Glue Schema Registry read) on "*" beside GetTable/GetTableVersion/GetTableVersions on this table, database and catalog; the Firehose guide\'s policy for format conversion ("Grant Firehose access to AWS Glue for data format conversion") scopes only the table reads. Kept as the L2 grants it, since removing it cannot be tested without a deployment.',
    });
  }
  Validations.of(sessions).acknowledge({
    id: nag(`IAM5[Resource::${arnToken(sessions.failureBucket)}/*]`),
    reason: 'Lambda names the failed-batch objects it writes to the on-failure bucket; the grant is s3:PutObject on that one bucket only.',
  });
}

/** The collector API's findings: a public endpoint, and execution logs (and, unless configured, WAF) left off. */
export function acknowledgeCollectorFindings(collector: CollectorApi): void {
  const publicEndpoint =
    'POST /collect is called by the scripts of public web pages, like any analytics collector: a browser has no credentials to sign with, and a key shipped in page code would be public. It can only append events to the stream (kinesis:PutRecords on that stream, nothing else); the request model, the stage throttle and the optional WAF rate limit (collectorWafRateLimit) bound abuse, and the event contract refuses malformed events downstream.';
  Validations.of(collector.method).acknowledge(
    { id: nag('APIG4'), reason: publicEndpoint },
    { id: nag('COG4'), reason: `${publicEndpoint} There are no user pool users to authorize.` },
  );
  const stage = collector.api.deploymentStage;
  Validations.of(stage).acknowledge({
    id: nag('APIG6'),
    reason:
      'Execution logs go to a log group API Gateway creates itself (API-Gateway-Execution-Logs_<api id>/<stage>), outside the stack and never expiring, and at INFO with data tracing they would hold request bodies. The JSON access log, in a log group of the stack with its retention, already records every request with its status, API Gateway error type and message, the Kinesis status and latency, and the WAF result.',
  });
  const accountLogRole = collector.api.node.tryFindChild('CloudWatchRole');
  if (accountLogRole) {
    Validations.of(accountLogRole).acknowledge({
      id: nag('IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]'),
      reason:
        "The account's API Gateway CloudWatch role (collectorSetsAccountLogRole) takes the AWS managed policy that the API Gateway guide names for it: API Gateway writes every REST API's logs of the account and Region through this one role, and the policy follows what the service needs.",
    });
  }
  if (!collector.webAcl) {
    Validations.of(stage).acknowledge({
      id: nag('APIG3'),
      reason:
        'No AWS WAF web ACL by default: it is billed per web ACL, rule and request, and the stage throttle (collectorRateLimit, collectorBurstLimit) already bounds all clients together. Set collectorWafRateLimit to add a REGIONAL web ACL on the stage that blocks an IP address past that many requests in 5 minutes.',
    });
  }
}

/** The user-id key is never rotated automatically. */
export function acknowledgeUserIdKeyFindings(key: UserIdKey): void {
  Validations.of(key.secret).acknowledge({
    id: nag('SMG4'),
    reason:
      'The secret is the HMAC key of the pseudonymous user ids (userIdMode hash), not a credential: rotating it would give every user a new id, splitting each history at the rotation and leaving earlier rows unreachable by a forget request. It is changed only by a planned re-key that rewrites the sessions table and the archive.',
  });
}
