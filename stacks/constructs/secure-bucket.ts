/**
 * Buckets with the house defaults: encrypted, no public access, TLS only, access logs, retained on update
 * and delete but removed when the stack's creation fails (see {@link STATEFUL_REMOVAL_POLICY}).
 */
import { Duration } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { BucketProps, IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';

/** A bucket for data; `accessLogs` receives its server access logs under a prefix named after `id`. */
export function secureBucket(scope: Construct, id: string, accessLogs: IBucket, extra: BucketProps = {}): Bucket {
  return new Bucket(scope, id, {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: `${id}/`,
    removalPolicy: STATEFUL_REMOVAL_POLICY,
    ...extra,
    lifecycleRules: [
      { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ...(extra.lifecycleRules ?? []),
    ],
  });
}

/** The bucket that receives the other buckets' server access logs. */
export function accessLogBucket(scope: Construct, id: string): Bucket {
  return new Bucket(scope, id, {
    // Server access logging delivers only to SSE-S3 buckets.
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    removalPolicy: STATEFUL_REMOVAL_POLICY,
    lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(365) }],
  });
}
