/**
 * Where `forget` works: a data directory (its DynamoDB emulator, its archive and failure folders, DuckDB as
 * the query engine) or a deployed stack (its sessions table, its buckets, Athena over its Glue table).
 */
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DuckDBInstance } from '@duckdb/node-api';
import { ARCHIVE_DATA_ROOT } from '../../functions/shared/firehose-prefixes';
import { runAthenaQuery } from '../deployed/athena-query';
import { translateAwsError } from '../deployed/errors';
import { readDeployedStack, regionOf } from '../deployed/stack';
import type { DeployedStack } from '../deployed/stack';
import { deployedUserIdKey } from '../deployed/user-id-key';
import { startDynalite } from '../emulators/dynalite';
import { dynamoDbClient } from '../runtime/aws-clients';
import { openExistingDataDir } from '../runtime/data-dir';
import type { DataDir } from '../runtime/data-dir';
import { LOCAL_NAMES } from '../runtime/pipeline';
import { localUserIdMode } from '../runtime/user-id-key';
import type { LocalUserIdMode } from '../runtime/user-id-key';
import { sqlText } from './archive-rewrite';
import type { ArchiveSearch, ForgetPlace } from './forget';
import { FolderObjectStore, S3ObjectStore, restoreCommand } from './object-store';

/** A place to erase from, how its stores hold user ids, and what to close when done. */
export interface OpenPlace {
  readonly place: ForgetPlace;
  readonly description: string;
  /** `keep`, or `hash` with the key the functions hash user ids with. */
  readonly userIds: LocalUserIdMode;
  close(): Promise<void>;
}

/** The user running the command, for the audit record. */
function localOperator(): string {
  return `${userInfo().username}@${hostname()}`;
}

/** A data directory, locked for the erasure: its DynamoDB emulator is started on a free port. */
export async function openDataDirPlace(path: string): Promise<OpenPlace & { readonly dataDir: DataDir }> {
  const dataDir = openExistingDataDir(
    path,
    true,
    'stop `clickstream up` or wait for `clickstream run` to end: forget changes the tables and the archive, and needs them alone',
  );
  try {
    const emulator = await startDynalite({ path: dataDir.dynamodb });
    const client = dynamoDbClient(emulator.endpoint);
    const place: ForgetPlace = {
      archive: new FolderObjectStore(dataDir.archive),
      failures: new FolderObjectStore(dataDir.failed),
      refusedLines: new FolderObjectStore(dataDir.refused),
      search: new DuckDbArchiveSearch(dataDir.archive),
      sessions: { client: DynamoDBDocumentClient.from(client), table: LOCAL_NAMES.sessionsTable },
      operator: localOperator(),
    };
    return {
      place,
      dataDir,
      description: `data directory ${dataDir.root}`,
      userIds: localUserIdMode(dataDir),
      async close() {
        client.destroy();
        await emulator.close();
        dataDir.release();
      },
    };
  } catch (err) {
    dataDir.release();
    throw err;
  }
}

/** DuckDB over the data directory's archive objects: the files holding a row of the users. */
export class DuckDbArchiveSearch implements ArchiveSearch {
  readonly description: string;

  constructor(private readonly archiveDir: string) {
    this.description = `DuckDB over ${join(archiveDir, ARCHIVE_DATA_ROOT)}`;
  }

  async findObjects(storedIds: ReadonlySet<string>): Promise<string[]> {
    const store = new FolderObjectStore(this.archiveDir);
    const keys: string[] = [];
    for await (const o of store.list(ARCHIVE_DATA_ROOT)) keys.push(o.key);
    if (keys.length === 0 || storedIds.size === 0) return [];
    const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
    const connection = await instance.connect();
    try {
      const ids = [...storedIds].map(sqlText).join(', ');
      const files = (list: string[]) => `[${list.map((k) => sqlText(join(this.archiveDir, k))).join(', ')}]`;
      const parquet = keys.filter((k) => k.endsWith('.parquet'));
      const json = keys.filter((k) => !k.endsWith('.parquet'));
      const parts: string[] = [];
      if (json.length > 0)
        parts.push(
          `SELECT filename FROM read_json(${files(json)}, format = 'newline_delimited', compression = 'gzip', columns = {'user_id': 'VARCHAR'}, filename = true) WHERE user_id IN (${ids})`,
        );
      if (parquet.length > 0) parts.push(`SELECT filename FROM read_parquet(${files(parquet)}, filename = true) WHERE user_id IN (${ids})`);
      const reader = await connection.runAndReadAll(`SELECT DISTINCT filename FROM (${parts.join(' UNION ALL ')}) ORDER BY filename`);
      const byPath = new Map(keys.map((k) => [join(this.archiveDir, k), k]));
      return reader.getRowObjects().map((row) => byPath.get(String(row['filename']))!);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }
}

/** The SDK clients a stack place uses; each left out is the SDK's default for the region. */
export interface StackPlaceClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly dynamodb?: DynamoDBClient;
  readonly athena?: AthenaClient;
  readonly s3?: S3Client;
  readonly secretsManager?: SecretsManagerClient;
  readonly sts?: STSClient;
}

/** A deployed stack, from its outputs; the clients are closed with the place. */
export async function openStackPlace(
  stackName: string,
  region: string | undefined,
  clients: StackPlaceClients = {},
): Promise<OpenPlace & { readonly stack: DeployedStack }> {
  const config = region ? { region } : {};
  const cloudFormation = clients.cloudFormation ?? new CloudFormationClient(config);
  const dynamodb = clients.dynamodb ?? new DynamoDBClient(config);
  const athena = clients.athena ?? new AthenaClient(config);
  const s3 = clients.s3 ?? new S3Client(config);
  const secretsManager = clients.secretsManager ?? new SecretsManagerClient(config);
  const sts = clients.sts ?? new STSClient(config);
  const destroy = () => {
    for (const c of [cloudFormation, dynamodb, athena, s3, secretsManager, sts]) c.destroy();
  };
  try {
    const stack = await readDeployedStack(cloudFormation, stackName, region ?? (await regionOf(cloudFormation)));
    const archive = new S3ObjectStore(s3, stack.archiveBucket);
    const failures = new S3ObjectStore(s3, stack.failureBucket);
    const place: ForgetPlace = {
      archive,
      failures,
      search: new AthenaArchiveSearch(athena, stack),
      sessions: { client: DynamoDBDocumentClient.from(dynamodb), table: stack.sessionsTable },
      operator: await callerIdentity(sts),
      restoreCommand: (store, key) => restoreCommand(store === failures ? stack.failureBucket : stack.archiveBucket, key),
    };
    // A stack in userIdMode hash names its key's secret in an output; without it, ids are kept as sent.
    const userIds: LocalUserIdMode =
      stack.userIdKeySecretArn === undefined
        ? { mode: 'keep' }
        : { mode: 'hash', key: await deployedUserIdKey(stack.userIdKeySecretArn, secretsManager) };
    return {
      place,
      stack,
      userIds,
      description: `stack ${stack.stackName} (${stack.region})`,
      close: () => {
        destroy();
        return Promise.resolve();
      },
    };
  } catch (err) {
    destroy();
    throw err;
  }
}

/**
 * The identity the erasure runs as, for the audit record: its ARN (GetCallerIdentity needs no permission,
 * "GetCallerIdentity", https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 */
async function callerIdentity(sts: STSClient): Promise<string> {
  const out = await sts
    .send(new GetCallerIdentityCommand({}))
    .catch((err: unknown) => translateAwsError(err, 'sts:GetCallerIdentity', 'the caller'));
  return out.Arn ?? localOperator();
}

/** A scan of the whole archive takes longer than a dashboard query; an erasure waits for it. */
const SEARCH_TIMEOUT_MS = 30 * 60_000;

/**
 * Athena over the stack's Glue table: `"$path"` names the object each row was read from ("Getting the file
 * locations for source data in Amazon S3", https://docs.aws.amazon.com/athena/latest/ug/select.html#select-path).
 * The query reads the whole table (every partition): an erasure must not miss a day.
 */
export class AthenaArchiveSearch implements ArchiveSearch {
  readonly description: string;

  constructor(
    private readonly client: AthenaClient,
    private readonly stack: DeployedStack,
  ) {
    this.description = `Athena (workgroup ${stack.athenaWorkGroup}) over ${stack.glueDatabase}.${stack.glueTable}`;
  }

  async findObjects(storedIds: ReadonlySet<string>): Promise<string[]> {
    if (storedIds.size === 0) return [];
    const ids = [...storedIds];
    const rows = await runAthenaQuery(
      this.client,
      {
        sql: `SELECT DISTINCT "$path" AS path FROM "${this.stack.glueDatabase}"."${this.stack.glueTable}" WHERE user_id IN (${ids.map(() => '?').join(', ')})`,
        workGroup: this.stack.athenaWorkGroup,
        parameters: ids.map(sqlText),
      },
      { timeoutMs: SEARCH_TIMEOUT_MS },
    );
    const prefix = `s3://${this.stack.archiveBucket}/`;
    return rows
      .map((r) => String(r['path']))
      .filter((p) => p.startsWith(prefix))
      .map((p) => p.slice(prefix.length))
      .sort();
  }
}
