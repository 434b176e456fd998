/** How both Lambdas are built and run: one place, used by the stack and by the benchmark's bundle-size check. */
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { GEO_DATA_PATH } from '../functions/firehose-transform/enrich/geo';

/** The newest Node.js runtime; the code itself needs nothing beyond Node 20. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;
export const FUNCTION_ARCHITECTURE = Architecture.ARM_64;

/**
 * Local esbuild, never Docker; minified with source maps; the AWS SDK bundled with the code.
 *
 * The SDK is bundled rather than taken from the runtime's copy (which NodejsFunction leaves out by default):
 * the Lambda guide's best practices recommend packaging all of a function's dependencies, the SDK included,
 * since the runtime's libraries are updated under the function ("Control the dependencies in your function's
 * deployment package", https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html), and the version is
 * then the one package-lock.json pins and the tests ran. It also loads faster: one file, no module
 * resolution. Measured here (`npm run bench:cold-start`): the DynamoDB document client built at init costs
 * about 70 ms from the SDK in node_modules, about 45 ms bundled from the SDK's ES modules, 75–80 ms bundled
 * from its CommonJS build, which esbuild cannot tree-shake (537 KB against 335 KB). Hence `mainFields`: ES
 * modules first, for every package. The cost is size: see {@link MAX_BUNDLE_KB}.
 */
export const BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node22',
  format: OutputFormat.CJS,
  mainFields: ['module', 'main'],
  externalModules: [],
};

/**
 * The largest bundle either function may have, in KB (the app-synth test and `npm run bench` check it). It was
 * 400 with the SDK left to the runtime; bundling the SDK adds its core and the clients (the DynamoDB document
 * client about 335 KB, Secrets Manager about 30 KB more beside it, about 310 KB alone in the transform), and
 * the session-processor's bundle passes 500 KB, while its load and init fall by some 20 ms. What a bundle costs
 * at a cold start is measured directly (`npm run bench` section 3); this bound catches a dependency pulled in
 * whole by mistake.
 */
export const MAX_BUNDLE_KB = 600;

/**
 * The functions' NODE_OPTIONS: stack traces that name the source lines, at the cost of Node reading the
 * bundle's source map as it loads it (part of the cold start `npm run bench` section 3 measures).
 */
export const FUNCTION_NODE_OPTIONS = ['--enable-source-maps'] as const;

/**
 * Folders the transform's asset carries beside its bundle: the geo lookup's tables (read at init, not bundled:
 * 13.8 MB of binary ranges). The stack's bundling hook and the cold-start bench copy them alike.
 */
export const TRANSFORM_ASSET_FOLDERS: readonly string[] = [GEO_DATA_PATH];

/** The performance issue's bound on a function's load and init over a bare Node start, milliseconds. */
export const INIT_TARGET_MS = 150;
