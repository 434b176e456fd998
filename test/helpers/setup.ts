import 'aws-sdk-client-mock-jest';

// Powertools writes EMF and JSON logs to stdout; tests read results, not the console.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'eu-west-1';
