/**
 * The analytics catalog: the Glue database and table over the archive, from the shared archive schema, with
 * partition projection (no crawler, no MSCK REPAIR); an Athena workgroup with its own result bucket, enforced
 * settings and a per-query scan limit; and the shipped queries as named queries.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import type { Bucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ARCHIVE_JSON_STORAGE,
  glacierTableProperties,
  glueColumns,
  gluePartitionKeys,
  projectionProperties,
} from '../../functions/shared/archive-schema';
import { ARCHIVE_DATA_ROOT } from '../../functions/shared/firehose-prefixes';
import { DATE_RANGE_PARAMETERS, bindQuery, loadNamedQueries } from '../../queries';
import type { ArchiveFormat } from '../config';
import { secureBucket } from './secure-bucket';

export interface AnalyticsCatalogProps {
  readonly archiveBucket: IBucket;
  readonly accessLogs: IBucket;
  readonly databaseName: string;
  readonly tableName: string;
  readonly workGroupName: string;
  readonly format: ArchiveFormat;
  readonly bytesScannedLimitGb: number;
  /**
   * Set when the archive moves to S3 Glacier Flexible Retrieval or Deep Archive: the table then reads objects
   * restored from there (Athena skips them otherwise, restored or not).
   */
  readonly readRestoredGlacierObjects: boolean;
  /** The session rule of the named queries that rebuild sessions: the session-processor's timeout. */
  readonly sessionTimeoutMinutes: number;
}

const FORMATS = {
  json: ARCHIVE_JSON_STORAGE,
  parquet: {
    inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    serdeParameters: {},
    tableParameters: { classification: 'parquet', 'parquet.compression': 'SNAPPY' },
  },
} as const;

export class AnalyticsCatalog extends Construct {
  readonly database: CfnDatabase;
  readonly table: CfnTable;
  readonly workGroup: CfnWorkGroup;
  readonly resultsBucket: Bucket;
  readonly namedQueries: CfnNamedQuery[];

  constructor(scope: Construct, id: string, props: AnalyticsCatalogProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    const location = `s3://${props.archiveBucket.bucketName}/${ARCHIVE_DATA_ROOT}`;
    const format = FORMATS[props.format];

    this.database = new CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: { name: props.databaseName, description: 'Clickstream archive written by Kinesis Data Firehose' },
    });
    this.table = new CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: props.databaseName,
      tableInput: {
        name: props.tableName,
        description: 'Validated, enriched click events, partitioned by event date and hour (UTC)',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          ...format.tableParameters,
          EXTERNAL: 'TRUE',
          ...projectionProperties(location),
          ...glacierTableProperties(props.readRestoredGlacierObjects),
        },
        partitionKeys: gluePartitionKeys(),
        storageDescriptor: {
          columns: glueColumns(),
          location,
          inputFormat: format.inputFormat,
          outputFormat: format.outputFormat,
          serdeInfo: { serializationLibrary: format.serde, parameters: format.serdeParameters },
        },
      },
    });
    this.table.addResourceDependency(this.database);

    this.resultsBucket = secureBucket(this, 'ResultsBucket', props.accessLogs, {
      lifecycleRules: [{ id: 'ExpireQueryResults', expiration: Duration.days(30) }],
    });
    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: props.workGroupName,
      description: 'Queries over the clickstream archive',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        // A runaway query over the whole archive stops here instead of on the bill.
        bytesScannedCutoffPerQuery: props.bytesScannedLimitGb * 1024 ** 3,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    const tableRef = `"${props.databaseName}"."${props.tableName}"`;
    // Each query refers to the workgroup by Ref, which orders the creation.
    this.namedQueries = loadNamedQueries().map(
      (q) =>
        new CfnNamedQuery(this, `Query-${q.name}`, {
          name: q.name,
          description: `${q.description} (${DATE_RANGE_PARAMETERS})`.slice(0, 1024),
          database: props.databaseName,
          workGroup: this.workGroup.ref,
          queryString: bindQuery(q.sql, { table: tableRef, sessionTimeoutMinutes: props.sessionTimeoutMinutes }),
        }),
    );
  }
}
