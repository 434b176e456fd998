/**
 * Counting the archive bucket's objects by date: the event data of each event date, and Firehose's error
 * output of each arrival date, of every error kind Firehose has written. The key layout is the one
 * `functions/shared/firehose-prefixes.ts` declares for the delivery stream.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { ARCHIVE_ERROR_KINDS_PREFIX, archiveDataDatePrefix, archiveErrorDatePrefix } from '../../functions/shared/firehose-prefixes';
import { checkDateRange } from '../../queries';
import type { DateRange } from '../../queries';
import { translateAwsError } from './errors';

// Prefixes listed at once: a month's range is some 30 × (1 + error kinds) listings, in well under S3's request rates.
const LIST_CONCURRENCY = 8;

/** Objects under the data prefix of each date of `range` and under each error kind's prefix of each date. */
export async function countArchiveObjects(client: S3Client, bucket: string, range: DateRange): Promise<number> {
  const dates = datesOf(range);
  const kinds = await errorKinds(client, bucket);
  const prefixes = dates.flatMap((date) => [archiveDataDatePrefix(date), ...kinds.map((kind) => archiveErrorDatePrefix(kind, date))]);
  const counts = await mapConcurrently(prefixes, LIST_CONCURRENCY, (prefix) => countUnder(client, bucket, prefix));
  return counts.reduce((a, b) => a + b, 0);
}

/** Every date of an inclusive range, `yyyy-MM-dd` (UTC). */
export function datesOf(range: DateRange): string[] {
  const { from, to } = checkDateRange(range);
  const out: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
    out.push(new Date(ms).toISOString().slice(0, 10));
  }
  return out;
}

/** The error kinds Firehose has written: the folders under the error root. */
async function errorKinds(client: S3Client, bucket: string): Promise<string[]> {
  const kinds: string[] = [];
  for await (const page of listPages(client, bucket, ARCHIVE_ERROR_KINDS_PREFIX, '/')) {
    for (const p of page.CommonPrefixes ?? []) {
      if (p.Prefix) kinds.push(p.Prefix.slice(ARCHIVE_ERROR_KINDS_PREFIX.length, -1));
    }
  }
  return kinds;
}

async function countUnder(client: S3Client, bucket: string, prefix: string): Promise<number> {
  let n = 0;
  for await (const page of listPages(client, bucket, prefix)) n += page.Contents?.length ?? 0;
  return n;
}

/**
 * Every page of a listing. ListObjectsV2 returns at most 1,000 keys a request; while IsTruncated, the next
 * request passes NextContinuationToken as ContinuationToken ("ListObjectsV2",
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
 */
async function* listPages(
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
async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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
