/** The ingest stream: the Kinesis Data Stream producers write to, encrypted, with a retention that outlasts the retries. */
import { Duration } from 'aws-cdk-lib';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';

export interface IngestStreamProps {
  /** Provisioned shards, or `on-demand`. */
  readonly shardCount: number | 'on-demand';
  readonly retentionHours: number;
  readonly streamName: string;
}

export class IngestStream extends Construct {
  readonly stream: Stream;

  constructor(scope: Construct, id: string, props: IngestStreamProps) {
    super(scope, id);
    this.stream = new Stream(this, 'Stream', {
      streamName: props.streamName,
      ...(props.shardCount === 'on-demand'
        ? { streamMode: StreamMode.ON_DEMAND }
        : { streamMode: StreamMode.PROVISIONED, shardCount: props.shardCount }),
      retentionPeriod: Duration.hours(props.retentionHours),
      // The AWS managed key (aws/kinesis): KMS encryption at rest without a key to pay for or grant.
      encryption: StreamEncryption.MANAGED,
      removalPolicy: STATEFUL_REMOVAL_POLICY,
    });
  }
}
