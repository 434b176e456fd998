/**
 * Counting the archive bucket's objects by date: the event data of each event date, and Firehose's error
 * output of each arrival date, of every error kind Firehose has written. The key layout is the one
 * `functions/shared/firehose-prefixes.ts` declares for the delivery stream.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { ARCHIVE_ERROR_KINDS_PREFIX, archiveDataDatePrefix, archiveErrorDatePrefix } from '../../functions/shared/firehose-prefixes';
import { checkDateRange } from '../../queries';
import type { DateRange } from '../../queries';
import { listPages, mapConcurrently } from '../deployed/s3-listing';

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
