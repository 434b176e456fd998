/** This app's stack: one {@link ClickstreamPipeline} and the outputs that name what it deployed. */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ClickstreamPipeline } from './clickstream-pipeline';
import type { ClickstreamPipelineProps } from './clickstream-pipeline';
import { STACK_OUTPUTS } from './stack-outputs';
import type { StackOutputKey } from './stack-outputs';

export interface ClickstreamStackProps extends StackProps {
  /**
   * The pipeline's settings.
   * @default the default of each setting (stacks/config.ts)
   */
  readonly config?: ClickstreamPipelineProps;
}

export class ClickstreamStack extends Stack {
  readonly pipeline: ClickstreamPipeline;

  constructor(scope: Construct, id: string, props: ClickstreamStackProps = {}) {
    super(scope, id, props);
    // The id `Default` leaves the pipeline out of its resources' logical IDs, so that they stay those of the
    // stack from before the pipeline was a construct of its own (CloudFormation would replace renamed resources).
    const pipeline = new ClickstreamPipeline(this, 'Default', props.config);
    this.pipeline = pipeline;

    const out = (id: StackOutputKey, value: string, description: string) => new CfnOutput(this, id, { value, description });
    out(STACK_OUTPUTS.streamName, pipeline.ingest.stream.streamName, 'Kinesis stream producers write to (partition key: userId)');
    out(STACK_OUTPUTS.streamArn, pipeline.ingest.stream.streamArn, 'ARN of the ingest stream');
    if (pipeline.collector)
      out(STACK_OUTPUTS.collectorUrl, pipeline.collector.url, "URL a website's tracker posts events to (POST, JSON or text/plain)");
    out(STACK_OUTPUTS.sessionsTable, pipeline.sessions.sessionsTable.tableName, 'DynamoDB table of sessions and user state');
    out(STACK_OUTPUTS.metricsTable, pipeline.sessions.metricsTable.tableName, 'DynamoDB table of 5-minute window metrics');
    out(STACK_OUTPUTS.archiveBucket, pipeline.storage.bucket.bucketName, 'S3 bucket of the event archive');
    out(
      STACK_OUTPUTS.failureBucket,
      pipeline.sessions.failureBucket.bucketName,
      'S3 bucket of batches the session-processor could not process',
    );
    out(STACK_OUTPUTS.glueDatabase, pipeline.glueDatabaseName, 'Glue database of the archive table');
    out(STACK_OUTPUTS.glueTable, 'events', 'Glue table over the archive');
    out(STACK_OUTPUTS.athenaWorkGroup, pipeline.catalog.workGroup.ref, 'Athena workgroup with the named queries');
    if (pipeline.userIdKey)
      out(
        STACK_OUTPUTS.userIdKeySecret,
        pipeline.userIdKey.secret.secretArn,
        'Secrets Manager secret of the key user ids are hashed with (userIdMode hash); never delete or rotate it',
      );
    out(
      STACK_OUTPUTS.dashboardUrl,
      `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${pipeline.namePrefix}-pipeline`,
      'CloudWatch dashboard of the pipeline',
    );
  }
}
