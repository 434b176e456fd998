/**
 * A function of this pipeline: its handler module under `functions/`, the shared runtime and bundling, its
 * own log group and a role that may write only there, and the Powertools settings. Callers add grants.
 */
import { Duration } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { join, relative } from 'node:path';
import { METRICS_NAMESPACE } from '../../functions/shared/metric-names';
import type { SERVICES } from '../../functions/shared/metric-names';
import { BUNDLING, FUNCTION_ARCHITECTURE, FUNCTION_NODE_OPTIONS, FUNCTION_RUNTIME } from '../function-bundling';
import { LOG_GROUP_POLICY } from '../removal-policy';
import { allowRoleDependency, functionRole } from './function-role';

export interface PipelineFunctionProps {
  /** Folder under `functions/` holding `index.ts`; also the Powertools service name. */
  readonly service: (typeof SERVICES)[keyof typeof SERVICES];
  readonly functionName: string;
  readonly description: string;
  readonly environment: Record<string, string>;
  /** Construct ids of the function, its log group and its role (kept stable: they name the resources). */
  readonly ids: { readonly function: string; readonly logs: string; readonly role: string };
  /**
   * Folders of data the function reads at run time, copied whole to the root of its asset, beside the bundle
   * (where the bundle's `__dirname` points).
   * @default none
   */
  readonly assetFolders?: readonly string[];
}

/** The repository, which NodejsFunction bundles from (the folder of package-lock.json): a hook's `inputDir`. */
const PROJECT_ROOT = join(__dirname, '../..');

/**
 * Hooks that copy data folders into the asset after esbuild has written the bundle. The commands run where
 * bundling runs (here on the host; in Docker, `inputDir` is the mounted project) and are chained with `&&`
 * ("interface ICommandHooks", https://docs.amazonaws.cn/cdk/api/v2/docs/aws-cdk-lib.aws_lambda_nodejs.ICommandHooks.html).
 */
export function copyFoldersHooks(folders: readonly string[]): ICommandHooks {
  return {
    beforeInstall: () => [],
    beforeBundling: () => [],
    afterBundling: (inputDir, outputDir) =>
      folders.map((folder) => `cp -R "${join(inputDir, relative(PROJECT_ROOT, folder))}" "${outputDir}/"`),
  };
}

export function pipelineFunction(scope: Construct, props: PipelineFunctionProps): NodejsFunction {
  const logGroup = new LogGroup(scope, props.ids.logs, LOG_GROUP_POLICY);
  const fn = new NodejsFunction(scope, props.ids.function, {
    functionName: props.functionName,
    description: props.description,
    entry: join(__dirname, `../../functions/${props.service}/index.ts`),
    handler: 'handler',
    runtime: FUNCTION_RUNTIME,
    architecture: FUNCTION_ARCHITECTURE,
    memorySize: 1024,
    // Both handle a batch (500 records, or 1 MB) in well under a second; the margin covers DynamoDB retries
    // and backoff. Firehose allows its transform up to 5 minutes.
    timeout: Duration.minutes(1),
    bundling: props.assetFolders?.length ? { ...BUNDLING, commandHooks: copyFoldersHooks(props.assetFolders) } : BUNDLING,
    logGroup,
    role: functionRole(scope, props.ids.role, logGroup),
    environment: {
      ...props.environment,
      POWERTOOLS_SERVICE_NAME: props.service,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      NODE_OPTIONS: FUNCTION_NODE_OPTIONS.join(' '),
    },
  });
  allowRoleDependency(fn);
  return fn;
}
