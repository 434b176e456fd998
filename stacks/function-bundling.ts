/** How both Lambdas are built and run: one place, used by the stack and by the benchmark's bundle-size check. */
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The newest Node.js runtime; the code itself needs nothing beyond Node 20. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;
export const FUNCTION_ARCHITECTURE = Architecture.ARM_64;

/** Local esbuild, never Docker; minified with source maps; the runtime's AWS SDK v3 is not bundled. */
export const BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node22',
  format: OutputFormat.CJS,
  externalModules: ['@aws-sdk/*'],
};
