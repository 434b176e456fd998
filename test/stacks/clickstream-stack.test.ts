import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { glueColumns } from '../../functions/shared/archive-schema';
import { SESSION_PROCESSOR_LOG_FIELDS, TRANSFORM_LOG_FIELDS } from '../../functions/shared/metric-names';
import { ARCHIVE_DATA_PREFIX, ARCHIVE_ERROR_PREFIX } from '../../functions/shared/firehose-prefixes';
import { DATE_RANGE_FILTER, loadNamedQueries, parameterPositions } from '../../queries';
import { validateConfig, DEFAULT_CONFIG } from '../../stacks/config';
import { REDRIVEN_PREFIX } from '../../stacks/failure-stores';
import { template } from '../helpers/stack';

let t: Template;
beforeAll(() => {
  t = template();
});

const resourcesOf = (type: string) =>
  Object.values(t.findResources(type)) as Array<{ Properties: Record<string, unknown>; DeletionPolicy?: string }>;

describe('ingest stream', () => {
  it('has one provisioned shard, 24 hours of retention and KMS encryption', () => {
    t.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 1,
      RetentionPeriodHours: 24,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  it('can be on-demand', () => {
    template({ shardCount: 'on-demand' }).hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      ShardCount: Match.absent(),
    });
  });
});

describe('session processing', () => {
  it('runs the session-processor on the newest Node.js runtime on ARM64 with its settings', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'clickstream-dev-session-processor',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          SESSION_TIMEOUT_MINUTES: '30',
          METRICS_WINDOW_MINUTES: '5',
          SESSION_TTL_DAYS: '7',
          SESSIONS_TABLE: Match.anyValue(),
          METRICS_TABLE: Match.anyValue(),
        }),
      },
    });
  });

  it('reads the stream with partial-batch responses, bisection, bounded retries and record age, from the trim horizon', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 12 * 3600,
      ParallelizationFactor: 1,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 500,
    });
  });

  it('keeps failed batches whole in an S3 on-failure destination', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SessionProcessingFailureBucket'), 'Arn'] } },
      },
    });
  });

  it('keeps the record-age budget shorter than the stream retention', () => {
    expect(() => validateConfig({ ...DEFAULT_CONFIG, maxRecordAgeHours: 24 })).toThrow(
      /maxRecordAgeHours \(24\) must be shorter than streamRetentionHours \(24\)/,
    );
  });

  it('creates both tables on demand with TTL, point-in-time recovery, encryption and deletion protection', () => {
    const tables = resourcesOf('AWS::DynamoDB::GlobalTable');
    expect(tables).toHaveLength(2);
    for (const table of tables) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      });
      expect(table.Properties['Replicas']).toEqual([
        expect.objectContaining({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ]);
      expect(table.DeletionPolicy).toBe('RetainExceptOnCreate');
    }
  });

  it('uses the key schema the adapter writes', () => {
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'clickstream-dev-sessions',
      KeySchema: [
        { AttributeName: 'userId', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'clickstream-dev-metrics',
      KeySchema: [
        { AttributeName: 'windowStart', KeyType: 'HASH' },
        { AttributeName: 'shardId', KeyType: 'RANGE' },
      ],
    });
  });

  it('can turn deletion protection off', () => {
    const tables = Object.values(template({ deletionProtection: false }).findResources('AWS::DynamoDB::GlobalTable')) as Array<{
      Properties: { Replicas: Array<{ DeletionProtectionEnabled: boolean }> };
    }>;
    expect(tables.map((x) => x.Properties.Replicas[0]!.DeletionProtectionEnabled)).toEqual([false, false]);
  });
});

describe('least privilege', () => {
  it('grants the session-processor only the DynamoDB calls its store makes', () => {
    const statements = resourcesOf('AWS::IAM::Policy').flatMap(
      (p) => (p.Properties['PolicyDocument'] as { Statement: Array<{ Action: string | string[] }> }).Statement,
    );
    const dynamo = statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('dynamodb:'));
    // Query and DeleteItem on the metrics table only: the pending-metrics markers.
    expect(new Set(dynamo)).toEqual(new Set(['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:DeleteItem']));
  });

  it("attaches no managed policy but the API Gateway account log role's, and grants no action on every resource", () => {
    const managed = resourcesOf('AWS::IAM::Role').flatMap((role) => (role.Properties['ManagedPolicyArns'] as unknown[] | undefined) ?? []);
    expect(JSON.stringify(managed)).toBe(
      JSON.stringify([
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs']] },
      ]),
    );
    const statements = resourcesOf('AWS::IAM::Policy').flatMap(
      (p) => (p.Properties['PolicyDocument'] as { Statement: Array<{ Resource: unknown }> }).Statement,
    );
    for (const s of statements) expect([s.Resource].flat()).not.toContain('*');
  });

  it('lets each function write only to its own log group', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      Policies: [
        {
          PolicyName: 'Logs',
          PolicyDocument: {
            Statement: [
              {
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Logs'), 'Arn'] },
              },
            ],
          },
        },
      ],
    });
  });
});

describe('archive', () => {
  it('reads the stream with Firehose and writes event-time partitions with the shared prefixes', () => {
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'KinesisStreamAsSource',
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: ARCHIVE_DATA_PREFIX,
        ErrorOutputPrefix: ARCHIVE_ERROR_PREFIX,
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 64 },
        CompressionFormat: 'GZIP',
        DynamicPartitioningConfiguration: Match.objectLike({ Enabled: true }),
        CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
      }),
    });
  });

  it('runs the transform as the processor, with a 1 MB input buffer', () => {
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [{ Type: 'Lambda', Parameters: Match.arrayWith([{ ParameterName: 'BufferSizeInMBs', ParameterValue: '1' }]) }],
        },
      }),
    });
  });

  it('converts to SNAPPY Parquet through the Glue table when configured', () => {
    template({ archiveFormat: 'parquet' }).hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        CompressionFormat: Match.absent(),
        DataFormatConversionConfiguration: Match.objectLike({
          Enabled: true,
          OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
          SchemaConfiguration: Match.objectLike({ TableName: Match.anyValue(), DatabaseName: Match.anyValue() }),
        }),
      }),
    });
  });

  it('encrypts the buckets, blocks public access, logs access and retains them except after a failed create', () => {
    for (const bucket of resourcesOf('AWS::S3::Bucket')) {
      expect(bucket.Properties['BucketEncryption']).toBeDefined();
      expect(bucket.Properties['PublicAccessBlockConfiguration']).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.DeletionPolicy).toBe('RetainExceptOnCreate');
    }
    const logged = resourcesOf('AWS::S3::Bucket').filter((b) => b.Properties['LoggingConfiguration'] !== undefined);
    expect(logged).toHaveLength(resourcesOf('AWS::S3::Bucket').length - 1);
  });

  it('refuses plain HTTP on every bucket', () => {
    const policies = resourcesOf('AWS::S3::BucketPolicy');
    expect(policies.length).toBe(resourcesOf('AWS::S3::Bucket').length);
    for (const p of policies) {
      expect(p.Properties['PolicyDocument']).toMatchObject({
        Statement: expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]) as unknown,
      });
    }
  });

  it('moves the events to Glacier Instant Retrieval after 90 days, and expires them only when configured', () => {
    const rule = {
      Id: 'ArchiveToGlacier',
      Prefix: 'events/',
      Status: 'Enabled',
      Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
    };
    t.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectEquals(rule)]) } });
    template({ archiveExpirationDays: 730 }).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([{ ...rule, ExpirationInDays: 730 }]) },
    });
  });

  it('keeps objects under 128 KB in Standard, where a colder class would bill more than it saves', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K',
        Rules: Match.arrayWith([Match.objectLike({ Id: 'ArchiveToGlacier' })]),
      },
    });
  });

  it.each([
    ['GLACIER', 'GLACIER'],
    ['DEEP_ARCHIVE', 'DEEP_ARCHIVE'],
  ] as const)('can move the events to %s instead, and then lets Athena read restored objects', (setting, storageClass) => {
    const custom = template({ archiveStorageClass: setting, glacierTransitionDays: 120 });
    custom.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'ArchiveToGlacier', Transitions: [{ StorageClass: storageClass, TransitionInDays: 120 }] }),
        ]),
      },
    });
    custom.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({ Parameters: Match.objectLike({ read_restored_glacier_objects: 'true' }) }),
    });
  });

  it('leaves read_restored_glacier_objects off with Glacier Instant Retrieval, which Athena reads like Standard', () => {
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({ Parameters: Match.objectLike({ read_restored_glacier_objects: Match.absent() }) }),
    });
  });

  it('expires raw payloads under the error prefix and in the on-failure bucket after failureRetentionDays (30 by default)', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectEquals({ Id: 'ExpireErrorOutput', Prefix: 'errors/', Status: 'Enabled', ExpirationInDays: 30 }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      MetricsConfigurations: Match.anyValue(),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectEquals({ Id: 'ExpireFailedBatches', Status: 'Enabled', ExpirationInDays: 30 })]),
      },
    });
    const custom = template({ failureRetentionDays: 7 });
    custom.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireErrorOutput', ExpirationInDays: 7 })]) },
    });
    custom.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireFailedBatches', ExpirationInDays: 7 })]) },
    });
  });

  it('expires the records redrive moved to redriven/ after failureRetentionDays, like the failure stores they came from', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectEquals({ Id: 'ExpireRedriven', Prefix: REDRIVEN_PREFIX, Status: 'Enabled', ExpirationInDays: 30 }),
        ]),
      },
    });
    // The on-failure bucket's rule has no prefix: it covers redriven/ as it covers Lambda's aws/lambda/.
    const failureRules = Object.values(t.findResources('AWS::S3::Bucket', { Properties: { MetricsConfigurations: Match.anyValue() } })).map(
      (b) =>
        (b as { Properties: { LifecycleConfiguration: { Rules: Array<Record<string, unknown>> } } }).Properties.LifecycleConfiguration
          .Rules,
    );
    expect(failureRules).toHaveLength(1);
    const expiry = failureRules[0]!.find((r) => r['Id'] === 'ExpireFailedBatches')!;
    expect(expiry).toEqual({ Id: 'ExpireFailedBatches', Status: 'Enabled', ExpirationInDays: 30 });
    expect(expiry['Prefix']).toBeUndefined();
    template({ failureRetentionDays: 7 }).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireRedriven', ExpirationInDays: 7 })]) },
    });
  });

  it("lets Firehose read the transform's configuration, as its documented policy for a transform lists", () => {
    const stream = resourcesOf('AWS::KinesisFirehose::DeliveryStream')[0]!.Properties['ExtendedS3DestinationConfiguration'] as {
      RoleARN: { 'Fn::GetAtt': [string, string] };
    };
    const destinationRole = stream.RoleARN['Fn::GetAtt'][0];
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: destinationRole }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['lambda:GetFunctionConfiguration']),
            Resource: Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ArchiveDeliveryTransform'), 'Arn'] }]),
          }),
        ]),
      },
    });
  });
});

describe('analytics catalog', () => {
  it('declares the Glue table from the archive schema with partition projection, read with the Hive JSON SerDe', () => {
    t.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'clickstream_dev',
      TableInput: Match.objectLike({
        Name: 'events',
        PartitionKeys: [Match.objectLike({ Name: 'dt', Type: 'date' }), Match.objectLike({ Name: 'hour', Type: 'int' })],
        StorageDescriptor: Match.objectLike({
          Columns: glueColumns().map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
          SerdeInfo: {
            SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe',
            Parameters: { 'timestamp.formats': 'yyyy-MM-dd HH:mm:ss.SSS' },
          },
        }),
        Parameters: Match.objectLike({
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.hour.type': 'integer',
          'projection.hour.digits': '2',
        }),
      }),
    });
  });

  it('enforces the workgroup configuration with a scan limit and its own encrypted result location', () => {
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: { OutputLocation: Match.anyValue(), EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
      }),
    });
  });

  it('registers every shipped query, bound to the Glue table', () => {
    const queries = resourcesOf('AWS::Athena::NamedQuery');
    expect(queries.map((q) => q.Properties['Name']).sort()).toEqual(loadNamedQueries().map((q) => q.name));
    for (const q of queries) {
      expect(q.Properties['QueryString']).toContain('"clickstream_dev"."events"');
      expect(q.Properties['QueryString']).not.toContain('${');
    }
  });

  it('binds the session rule of the named queries to the sessionTimeoutMinutes setting', () => {
    const queryString = (t: ReturnType<typeof template>, name: string) =>
      (
        Object.values(t.findResources('AWS::Athena::NamedQuery', { Properties: { Name: name } }))[0] as {
          Properties: { QueryString: string };
        }
      ).Properties.QueryString;
    expect(queryString(template(), 'sessions')).toContain('event_time) <= 1800000');
    expect(queryString(template({ sessionTimeoutMinutes: 45 }), 'sessions')).toContain('event_time) <= 2700000');
  });

  it('restricts every named query to a range of dt, the projected date partition, right at the table scan', () => {
    // Athena's partition projection computes the partitions from the dt predicate, so only the range is listed and read.
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        PartitionKeys: Match.arrayWith([Match.objectLike({ Name: 'dt', Type: 'date' })]),
        Parameters: Match.objectLike({ 'projection.enabled': 'true', 'projection.dt.type': 'date', 'projection.dt.format': 'yyyy-MM-dd' }),
      }),
    });
    for (const q of resourcesOf('AWS::Athena::NamedQuery')) {
      const sql = q.Properties['QueryString'] as string;
      expect(sql.split('"clickstream_dev"."events"')).toHaveLength(2);
      expect(sql).toMatch(
        new RegExp(`FROM "clickstream_dev"\\."events" e\\s+WHERE ${DATE_RANGE_FILTER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      );
      expect(parameterPositions(sql)).toHaveLength(2);
      expect(q.Properties['Description']).toMatch(/first and last event date/);
    }
  });
});

describe('monitoring', () => {
  it('raises an alarm on iterator age at a quarter of the record-age budget', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Statistic: 'Maximum', Threshold: 3 * 3_600_000 });
  });

  it.each([
    ['Errors', 'AWS/Lambda'],
    ['Throttles', 'AWS/Lambda'],
    ['DeliveryToS3.DataFreshness', 'AWS/Firehose'],
    ['DeliveryToS3.Success', 'AWS/Firehose'],
    ['ExecuteProcessing.Success', 'AWS/Firehose'],
    ['PutRequests', 'AWS/S3'],
  ])('raises an alarm on %s', (metric, namespace) => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: metric,
      Namespace: namespace,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
    });
  });

  it('raises alarms on DynamoDB throttling of both tables', () => {
    const throttle = resourcesOf('AWS::CloudWatch::Alarm').filter((a) =>
      String(a.Properties['AlarmDescription']).startsWith('DynamoDB throttled'),
    );
    expect(throttle).toHaveLength(2);
  });

  it('sends alarms to an encrypted topic, and e-mails them when an address is configured', () => {
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.resourceCountIs('AWS::SNS::Subscription', 0);
    template({ alarmEmail: 'ops@example.com' }).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it("has a dashboard, which sums the handlers' log fields with Logs Insights", () => {
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(resourcesOf('AWS::CloudWatch::Dashboard')[0]!.Properties['DashboardBody']);
    for (const field of [...Object.values(SESSION_PROCESSOR_LOG_FIELDS), ...Object.values(TRANSFORM_LOG_FIELDS)]) {
      expect(body).toContain(`sum(${field}) as ${field}`);
    }
  });
});

describe('outputs', () => {
  it.each([
    'StreamName',
    'StreamArn',
    'CollectorUrl',
    'SessionsTableName',
    'MetricsTableName',
    'ArchiveBucketName',
    'GlueDatabaseName',
    'GlueTableName',
    'AthenaWorkGroupName',
    'DashboardUrl',
  ])('exports %s', (name) => {
    t.hasOutput(name, {});
  });
});

describe('configuration', () => {
  it.each([
    [{ metricsWindowMinutes: 7 }, /metricsWindowMinutes must divide a day/],
    [{ shardCount: 0 }, /shardCount must be a whole number from 1 to 500/],
    [{ bufferingIntervalSeconds: 30 }, /bufferingIntervalSeconds must be a whole number from 60/],
    [{ archiveFormat: 'csv' }, /archiveFormat must be json or parquet/],
    [{ alarmEmail: 'nobody' }, /alarmEmail must be an e-mail address/],
  ])('refuses %j', (override, message) => {
    expect(() => validateConfig({ ...DEFAULT_CONFIG, ...(override as object) })).toThrow(message);
  });
});
