/** Listing a bucket's keys page by page, and running a bounded number of requests at once. */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { translateAwsError } from './errors';

/**
 * Every page of a listing. ListObjectsV2 returns at most 1,000 keys a request; while IsTruncated, the next
 * request passes NextContinuationToken as ContinuationToken ("ListObjectsV2",
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
 */
export async function* listPages(
  client: S3Client,
  bucket: string,
  prefix: string,
  delimiter?: string,
): AsyncGenerator<ListObjectsV2CommandOutput> {
  let token: string | undefined;
  do {
    const page = await client
      .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }))
      .catch((err: unknown) => translateAwsError(err, 's3:ListBucket', `bucket ${bucket}`));
    yield page;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** `fn` of every item, at most `limit` at a time, results in the items' order. */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
