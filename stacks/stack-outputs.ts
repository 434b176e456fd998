/** The stack's output keys, declared once: the stack writes them, and tools that read a deployed stack look them up. */
export const STACK_OUTPUTS = {
  streamName: 'StreamName',
  streamArn: 'StreamArn',
  collectorUrl: 'CollectorUrl',
  sessionsTable: 'SessionsTableName',
  metricsTable: 'MetricsTableName',
  archiveBucket: 'ArchiveBucketName',
  failureBucket: 'FailureBucketName',
  glueDatabase: 'GlueDatabaseName',
  glueTable: 'GlueTableName',
  athenaWorkGroup: 'AthenaWorkGroupName',
  dashboardUrl: 'DashboardUrl',
  /** Only with `userIdMode` hash. */
  userIdKeySecret: 'UserIdKeySecretArn',
} as const;

export type StackOutputKey = (typeof STACK_OUTPUTS)[keyof typeof STACK_OUTPUTS];
