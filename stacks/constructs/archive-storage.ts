/**
 * The archive's bucket: where Firehose writes the event archive (and its error output), moving to Glacier
 * after 90 days, optionally expiring, retained when the stack goes. Split from the delivery stream because
 * the Glue table that Parquet conversion reads sits between the two.
 */
import { Duration } from 'aws-cdk-lib';
import { StorageClass } from 'aws-cdk-lib/aws-s3';
import type { Bucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { secureBucket } from './secure-bucket';

export interface ArchiveStorageProps {
  readonly accessLogs: IBucket;
  readonly glacierTransitionDays: number;
  readonly expirationDays?: number;
}

export class ArchiveStorage extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ArchiveStorageProps) {
    super(scope, id);
    this.bucket = secureBucket(this, 'Bucket', props.accessLogs, {
      lifecycleRules: [
        {
          id: 'ArchiveToGlacier',
          transitions: [{ storageClass: StorageClass.GLACIER, transitionAfter: Duration.days(props.glacierTransitionDays) }],
          ...(props.expirationDays !== undefined ? { expiration: Duration.days(props.expirationDays) } : {}),
        },
      ],
    });
  }
}
