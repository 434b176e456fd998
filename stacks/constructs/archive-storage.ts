/**
 * The archive's bucket: where Firehose writes the event archive (and its error output). Events move to a
 * colder storage class after `glacierTransitionDays` and optionally expire; the error output holds raw
 * payloads and expires after `failureRetentionDays`, as do the records `clickstream redrive` moved from it
 * to `redriven/`. Split from the delivery stream because the Glue table
 * that Parquet conversion reads sits between the two.
 */
import { Duration } from 'aws-cdk-lib';
import { StorageClass, TransitionDefaultMinimumObjectSize } from 'aws-cdk-lib/aws-s3';
import type { Bucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_DATA_ROOT, ARCHIVE_ERROR_ROOT } from '../../functions/shared/firehose-prefixes';
import type { ArchiveStorageClass } from '../config';
import { REDRIVEN_PREFIX } from '../failure-stores';
import { secureBucket } from './secure-bucket';

export interface ArchiveStorageProps {
  readonly accessLogs: IBucket;
  /** Days after creation when event objects move to {@link storageClass}. */
  readonly glacierTransitionDays: number;
  /** @default 'GLACIER_IR' (Athena reads it without a restore) */
  readonly storageClass?: ArchiveStorageClass;
  /** Days after creation when event objects are deleted; kept forever when absent. */
  readonly expirationDays?: number;
  /**
   * Days after creation when objects under the error prefix (raw payloads) are deleted, and the copies
   * `clickstream redrive` keeps under `redriven/` of the error records it put back.
   */
  readonly failureRetentionDays: number;
}

const STORAGE_CLASSES: Record<ArchiveStorageClass, StorageClass> = {
  GLACIER_IR: StorageClass.GLACIER_INSTANT_RETRIEVAL,
  GLACIER: StorageClass.GLACIER,
  DEEP_ARCHIVE: StorageClass.DEEP_ARCHIVE,
};

export class ArchiveStorage extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ArchiveStorageProps) {
    super(scope, id);
    this.bucket = secureBucket(this, 'Bucket', props.accessLogs, {
      // Stated rather than left to S3's default: objects under 128 KB stay in Standard. Glacier Instant
      // Retrieval bills at least 128 KB per object, and Flexible Retrieval and Deep Archive add 40 KB of
      // metadata per object, so moving small objects would cost more than keeping them (S3 API,
      // PutBucketLifecycleConfiguration, TransitionDefaultMinimumObjectSize).
      transitionDefaultMinimumObjectSize: TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K,
      lifecycleRules: [
        {
          id: 'ArchiveToGlacier',
          prefix: ARCHIVE_DATA_ROOT,
          transitions: [
            {
              storageClass: STORAGE_CLASSES[props.storageClass ?? 'GLACIER_IR'],
              transitionAfter: Duration.days(props.glacierTransitionDays),
            },
          ],
          ...(props.expirationDays !== undefined ? { expiration: Duration.days(props.expirationDays) } : {}),
        },
        { id: 'ExpireErrorOutput', prefix: ARCHIVE_ERROR_ROOT, expiration: Duration.days(props.failureRetentionDays) },
        // The redriven records are the same raw payloads, kept as a record of what was put back: no longer.
        { id: 'ExpireRedriven', prefix: REDRIVEN_PREFIX, expiration: Duration.days(props.failureRetentionDays) },
      ],
    });
  }
}
