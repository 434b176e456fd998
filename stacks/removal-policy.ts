/**
 * What happens to the stateful resources (stream, tables, buckets) when CloudFormation removes them.
 *
 * `RETAIN_ON_UPDATE_OR_DELETE` renders `DeletionPolicy: RetainExceptOnCreate`: the data survives an update
 * that replaces a resource and a `cdk destroy`, but a first deploy that rolls back deletes what it created,
 * so the retry does not fail on fixed names that "already exist" (a plain `Retain` keeps them). CloudFormation
 * Template Reference, "DeletionPolicy attribute" (RetainExceptOnCreate),
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const STATEFUL_REMOVAL_POLICY = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

/**
 * Every log group of the stack: a month is long enough to look into an alarm; logs are not data, so they go
 * with the stack.
 */
export const LOG_GROUP_POLICY = { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY } as const;
