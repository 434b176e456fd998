/**
 * Archive delivery: Kinesis Data Firehose reads the stream, calls the firehose-transform function, and
 * writes partitioned, batched objects to the archive bucket with the prefixes the local runtime also uses.
 */
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import {
  Compression,
  DeliveryStream,
  EnableLogging,
  HiveJsonInputFormat,
  KinesisStreamSource,
  LambdaFunctionProcessor,
  ParquetCompression,
  ParquetOutputFormat,
  S3Bucket,
  SchemaConfiguration,
  TimestampParser,
} from 'aws-cdk-lib/aws-kinesisfirehose';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { CfnLogStream, LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_TIMESTAMP_FORMAT } from '../../functions/shared/archive-schema';
import { ARCHIVE_DATA_PREFIX, ARCHIVE_ERROR_PREFIX } from '../../functions/shared/firehose-prefixes';
import { transformEnvironment } from '../../functions/firehose-transform/config';
import type { TransformSettingValues } from '../../functions/firehose-transform/config';
import type { ArchiveFormat } from '../config';
import { SERVICES } from '../../functions/shared/metric-names';
import { LOG_GROUP_POLICY } from '../removal-policy';
import { TRANSFORM_ASSET_FOLDERS } from '../function-bundling';
import { pipelineFunction } from './pipeline-function';

export interface ArchiveDeliveryProps {
  readonly stream: IStream;
  readonly bucket: IBucket;
  readonly namePrefix: string;
  readonly format: ArchiveFormat;
  /** The Glue table Parquet conversion reads its schema from (needed for `parquet`). */
  readonly table?: CfnTable;
  readonly bufferingIntervalSeconds: number;
  readonly bufferingSizeMb: number;
  /** The transform's settings, passed as its environment variables. */
  readonly transformSettings: TransformSettingValues;
}

export class ArchiveDelivery extends Construct {
  readonly deliveryStream: DeliveryStream;
  readonly transform: NodejsFunction;
  /** The role Firehose delivers with: read/write on the bucket, invoke and configuration of the transform. */
  readonly deliveryRole: Role;

  constructor(scope: Construct, id: string, props: ArchiveDeliveryProps) {
    super(scope, id);
    this.transform = pipelineFunction(this, {
      service: SERVICES.firehoseTransform,
      functionName: `${props.namePrefix}-firehose-transform`,
      description: 'Validates and enriches click events for the Firehose archive',
      ids: { function: 'Transform', logs: 'TransformLogs', role: 'TransformRole' },
      environment: transformEnvironment(props.transformSettings),
      // The offline IP database enrich/geo.ts reads from beside the bundle.
      assetFolders: TRANSFORM_ASSET_FOLDERS,
    });
    if (props.format === 'parquet' && !props.table)
      throw new Error('ArchiveDelivery: format parquet needs the Glue table (props.table) to read the schema from');
    // The delivery role is made here, not by the L2, so that it can be granted what the L2 leaves out:
    // Firehose's documented policy for a Lambda transform lists lambda:GetFunctionConfiguration beside
    // lambda:InvokeFunction ("Manage IAM roles through Amazon Data Firehose console",
    // https://docs.aws.amazon.com/firehose/latest/dev/console-managed-roles.html; "Controlling access with
    // Amazon Data Firehose", https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html).
    this.deliveryRole = new Role(this, 'DeliveryRole', { assumedBy: new ServicePrincipal('firehose.amazonaws.com') });
    this.deliveryRole.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:GetFunctionConfiguration'],
        resources: [this.transform.functionArn, `${this.transform.functionArn}:*`],
      }),
    );
    const destination = new S3Bucket(props.bucket, {
      role: this.deliveryRole,
      dataOutputPrefix: ARCHIVE_DATA_PREFIX,
      errorOutputPrefix: ARCHIVE_ERROR_PREFIX,
      bufferingInterval: Duration.seconds(props.bufferingIntervalSeconds),
      bufferingSize: Size.mebibytes(props.bufferingSizeMb),
      // Parquet compresses inside the file (SNAPPY); the two cannot be combined.
      ...(props.format === 'json' ? { compression: Compression.GZIP, fileExtension: '.gz' } : {}),
      processors: [
        // 1 MB in keeps the enriched answer far below Firehose's 6 MB response limit.
        new LambdaFunctionProcessor(this.transform, { bufferSize: Size.mebibytes(1), bufferInterval: Duration.seconds(60), retries: 3 }),
      ],
      dynamicPartitioning: { enabled: true, retryDuration: Duration.minutes(5) },
      loggingConfig: new EnableLogging(new LogGroup(this, 'DeliveryLogs', LOG_GROUP_POLICY)),
      ...(props.format === 'parquet' && props.table
        ? {
            dataFormatConversion: {
              schemaConfiguration: SchemaConfiguration.fromCfnTable(props.table),
              // The rows' timestamps, UTC text in the archive's one format.
              inputFormat: new HiveJsonInputFormat({ timestampParsers: [TimestampParser.fromFormatString(ARCHIVE_TIMESTAMP_FORMAT.joda)] }),
              outputFormat: new ParquetOutputFormat({ compression: ParquetCompression.SNAPPY }),
            },
          }
        : {}),
    });
    this.deliveryStream = new DeliveryStream(this, 'DeliveryStream', {
      deliveryStreamName: `${props.namePrefix}-archive`,
      source: new KinesisStreamSource(props.stream),
      destination,
    });
    // The L2 retains the log stream it adds to the delivery log group; the group is removed with the stack,
    // and a retained stream would outlive a rolled-back first deploy.
    for (const c of this.node.findAll()) if (c instanceof CfnLogStream) c.applyRemovalPolicy(RemovalPolicy.DESTROY);
  }
}
