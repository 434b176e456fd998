/**
 * The cdk-nag findings this stack accepts, each on the narrowest construct, each with the reason a
 * security reviewer would ask for. Every other finding fails the synth.
 */
import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ArchiveDelivery } from './constructs/archive-delivery';
import type { ArchiveStorage } from './constructs/archive-storage';
import type { SessionProcessing } from './constructs/session-processing';

const nag = (rule: string) => `AwsSolutions::AwsSolutions-${rule}`;

/** How cdk-nag names a resource's ARN in a finding: `<LogicalId.Arn>`. */
function arnToken(resource: IConstruct): string {
  const cfn = resource.node.defaultChild;
  if (!(cfn instanceof CfnElement)) throw new Error(`${resource.node.path} has no CloudFormation resource`);
  const stack = Stack.of(cfn);
  return `<${stack.resolve(stack.getLogicalId(cfn)) as string}.Arn>`;
}

export function acknowledgeFindings(archive: ArchiveDelivery, storage: ArchiveStorage, sessions: SessionProcessing): void {
  Validations.of(archive.deliveryStream).acknowledge(
    {
      id: nag('KDF1'),
      reason: 'A delivery stream with a Kinesis Data Stream source cannot set server-side encryption; the source stream is encrypted with KMS and the bucket with SSE-S3.',
    },
    ...['Action::s3:Abort*', 'Action::s3:DeleteObject*', 'Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*', `Resource::${arnToken(archive.transform)}:*`].map((finding) => ({
      id: nag(`IAM5[${finding}]`),
      reason: 'The Firehose destination role comes from the stable aws-kinesisfirehose L2, which grants read/write on the archive bucket only (and invoke on the transform and its versions); Firehose needs multipart abort, list and get on that bucket to deliver and retry.',
    })),
    {
      id: nag(`IAM5[Resource::${arnToken(storage.bucket)}/*]`),
      reason: 'Firehose writes objects under keys it names (prefix, time, UUID) inside this one bucket; no narrower key pattern exists.',
    },
  );
  Validations.of(sessions).acknowledge({
    id: nag(`IAM5[Resource::${arnToken(sessions.failureBucket)}/*]`),
    reason: 'Lambda names the failed-batch objects it writes to the on-failure bucket; the grant is s3:PutObject on that one bucket only.',
  });
}
