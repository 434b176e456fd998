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

export const STATEFUL_REMOVAL_POLICY = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
