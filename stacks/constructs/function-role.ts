/** An execution role that may write to its own log group and nothing else until granted more. */
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { CfnResource } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** Narrower than AWSLambdaBasicExecutionRole, which may write to every log group in the account. The log group's ARN attribute already ends in `:*` (its streams). */
export function functionRole(scope: Construct, id: string, logGroup: ILogGroup): Role {
  return new Role(scope, id, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    inlinePolicies: {
      Logs: new PolicyDocument({
        statements: [
          new PolicyStatement({
            effect: Effect.ALLOW,
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [logGroup.logGroupArn],
          }),
        ],
      }),
    },
  });
}

/**
 * CDK makes a function depend on its whole role construct (the role and its default policy), so that the
 * policy exists before the first invocation; the role half repeats what the Role attribute already orders,
 * which cfn-lint reports as W3005. The dependency is wanted, so that one warning is silenced on the function.
 */
export function allowRoleDependency(fn: IFunction): void {
  (fn.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
}
