/**
 * The stores `forget` and `redrive` read and rewrite, seen as S3 sees them: keys under prefixes, objects
 * read and written whole. In AWS they are the stack's buckets; locally, the data directory's folders, which
 * the local Firehose and Lambda models fill in the same key layout.
 *
 * A rewrite replaces an object in one step, so that a crash leaves the old object or the new one, never part
 * of either: S3's PutObject makes a new object visible only once it is complete ("Amazon S3 never adds partial
 * objects", https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html#ConsistencyModel), and a folder
 * writes a temporary file and renames it over the old one.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { translateAwsError } from '../deployed/errors';
import { listPages } from '../deployed/s3-listing';
import { listFiles } from '../runtime/folder-files';

/** One object as a listing shows it. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  /** S3's storage class (`STANDARD` when S3 leaves it out); `STANDARD` in a folder. */
  readonly storageClass: string;
}

/** An object's bytes and what a rewrite keeps of it. */
export interface ObjectContent {
  readonly body: Buffer;
  /** What the rewrite must match: S3's ETag, so that an object changed meanwhile is not overwritten. */
  readonly version: string | undefined;
  readonly storageClass: string;
  readonly contentType: string | undefined;
}

export interface ObjectStore {
  /** The store in words, for messages: `bucket B` or `folder F`. */
  readonly description: string;
  /** Every object under `prefix`, in key order. */
  list(prefix: string): AsyncIterable<ListedObject>;
  /**
   * Whether an object can be read now. Objects in S3 Glacier Flexible Retrieval or Deep Archive cannot be
   * read until restored ("Working with archived objects",
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/archived-objects.html); Glacier Instant Retrieval can.
   */
  readable(object: ListedObject): Promise<boolean>;
  get(key: string): Promise<ObjectContent>;
  /** Writes `body` at `key` whole, in `like`'s storage class and content type when given (a rewrite). */
  put(key: string, body: Buffer, like?: ObjectContent): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Storage classes whose objects need a restore before a GET. */
export const ARCHIVED_STORAGE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** The AWS CLI command that makes an archived object readable for a week. */
export function restoreCommand(bucket: string, key: string): string {
  return `aws s3api restore-object --bucket ${bucket} --key '${key}' --restore-request '{"Days":7,"GlacierJobParameters":{"Tier":"Standard"}}'`;
}

/** A folder laid out like a bucket: a key is a path under it. */
export class FolderObjectStore implements ObjectStore {
  readonly description: string;

  constructor(readonly root: string) {
    this.description = `folder ${root}`;
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    // The folder that holds every key with this prefix; the prefix may end inside a name.
    const base = join(this.root, prefix.slice(0, prefix.lastIndexOf('/') + 1));
    for (const path of listFiles(base)) {
      const key = relative(this.root, path).split(sep).join('/');
      if (key.startsWith(prefix)) yield { key, size: statSync(path).size, storageClass: 'STANDARD' };
    }
    return Promise.resolve();
  }

  readable(): Promise<boolean> {
    return Promise.resolve(true);
  }

  get(key: string): Promise<ObjectContent> {
    return Promise.resolve({
      body: readFileSync(join(this.root, key)),
      version: undefined,
      storageClass: 'STANDARD',
      contentType: undefined,
    });
  }

  put(key: string, body: Buffer): Promise<void> {
    const path = join(this.root, key);
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.tmp`;
    try {
      writeFileSync(temporary, body);
      renameSync(temporary, path);
    } finally {
      rmSync(temporary, { force: true });
    }
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    rmSync(join(this.root, key), { force: true });
    return Promise.resolve();
  }
}

/** A bucket. Rewrites are conditional on the ETag read, so that a concurrent change is refused, not lost. */
export class S3ObjectStore implements ObjectStore {
  readonly description: string;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {
    this.description = `bucket ${bucket}`;
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    for await (const page of listPages(this.client, this.bucket, prefix)) {
      for (const o of page.Contents ?? []) {
        if (o.Key !== undefined) yield { key: o.Key, size: o.Size ?? 0, storageClass: o.StorageClass ?? 'STANDARD' };
      }
    }
  }

  /**
   * An archived object is readable once a restore has finished: HeadObject's `Restore` then says
   * `ongoing-request="false"` ("HeadObject", https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
   */
  async readable(object: ListedObject): Promise<boolean> {
    if (!ARCHIVED_STORAGE_CLASSES.has(object.storageClass)) return true;
    const head = await this.client
      .send(new HeadObjectCommand({ Bucket: this.bucket, Key: object.key }))
      .catch((err: unknown) => translateAwsError(err, 's3:GetObject', `s3://${this.bucket}/${object.key}`));
    return head.Restore?.includes('ongoing-request="false"') === true;
  }

  async get(key: string): Promise<ObjectContent> {
    const out = await this.client
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: key }))
      .catch((err: unknown) => translateAwsError(err, 's3:GetObject', `s3://${this.bucket}/${key}`));
    const bytes = await out.Body!.transformToByteArray();
    return {
      body: Buffer.from(bytes),
      version: out.ETag,
      storageClass: out.StorageClass ?? 'STANDARD',
      contentType: out.ContentType,
    };
  }

  /**
   * With `like`, the write succeeds only if the object still has the ETag it was read with (`If-Match`,
   * "Conditional writes", https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html);
   * S3 answers 412 otherwise, and the caller runs again.
   */
  async put(key: string, body: Buffer, like?: ObjectContent): Promise<void> {
    await this.client
      .send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ...(like?.version !== undefined ? { IfMatch: like.version } : {}),
          ...(like?.contentType !== undefined ? { ContentType: like.contentType } : {}),
          ...(like !== undefined && like.storageClass !== 'STANDARD' ? { StorageClass: like.storageClass as never } : {}),
        }),
      )
      .catch((err: unknown) => {
        if ((err as { name?: string }).name === 'PreconditionFailed')
          throw new Error(`s3://${this.bucket}/${key} changed while it was being rewritten; run the command again`, { cause: err });
        return translateAwsError(err, 's3:PutObject', `s3://${this.bucket}/${key}`);
      });
  }

  async delete(key: string): Promise<void> {
    await this.client
      .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }))
      .catch((err: unknown) => translateAwsError(err, 's3:DeleteObject', `s3://${this.bucket}/${key}`));
  }
}
