import 'aws-sdk-client-mock-jest';
import fc from 'fast-check';

// Powertools writes EMF and JSON logs to stdout; tests read results, not the console.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'eu-west-1';
// The SDK warns that its releases from 2027 need Node 22; package-lock.json pins one that runs on Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// PROPERTY_RUNS raises the number of cases every property test tries (the default keeps npm test short).
if (process.env.PROPERTY_RUNS) fc.configureGlobal({ numRuns: Number(process.env.PROPERTY_RUNS) });
