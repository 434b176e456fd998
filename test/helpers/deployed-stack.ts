/** A deployed clickstream stack as CloudFormation describes it, for the tests of the tools that read one. */
import type { DescribeStacksCommandOutput } from '@aws-sdk/client-cloudformation';

/** The outputs of a stack named `cs`: every resource the dashboard, forget and redrive read. */
export const STACK_OUTPUT_VALUES: Readonly<Record<string, string>> = {
  StreamName: 'cs-events',
  SessionsTableName: 'cs-sessions',
  MetricsTableName: 'cs-metrics',
  ArchiveBucketName: 'cs-archive',
  FailureBucketName: 'cs-failures',
  GlueDatabaseName: 'clickstream_db',
  GlueTableName: 'events',
  AthenaWorkGroupName: 'cs-queries',
};

/** DescribeStacks' answer for the stack `cs` with these outputs. */
export function describedStack(
  outputs: Readonly<Record<string, string>> = STACK_OUTPUT_VALUES,
  createdAt = new Date(),
): Omit<DescribeStacksCommandOutput, '$metadata'> {
  return {
    Stacks: [
      {
        StackName: 'cs',
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: createdAt,
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  };
}
