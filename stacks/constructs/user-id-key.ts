/**
 * The key of `userIdMode` hash: a Secrets Manager secret holding a random string, which the functions that
 * hash user ids may read and find by the variable USER_ID_KEY_SECRET_ARN.
 *
 * The key is the link between a user and their history: losing it breaks every join (the same user would get
 * a new id) and makes forgetting a hashed user impossible (a raw id could no longer be hashed to find their
 * rows). So it is kept when the stack is deleted or the resource replaced, and never rotated automatically;
 * a re-key is a planned migration of both stores. Its name is generated: a fixed name could stay reserved
 * while a deleted secret waits out its recovery window, and the stack's output names it.
 */
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { USER_ID_KEY_SECRET_ARN } from '../../functions/shared/pseudonym';
import { STATEFUL_REMOVAL_POLICY } from '../removal-policy';

export interface UserIdKeyProps {
  /** The functions that hash user ids: each may read the secret and is told its ARN. */
  readonly readers: readonly LambdaFunction[];
}

export class UserIdKey extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: UserIdKeyProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'HMAC-SHA-256 key of the clickstream user ids (userIdMode hash); never rotate it: every hashed id depends on it',
      // 64 letters and digits: about 381 random bits, no shorter than SHA-256's output, as RFC 2104 advises for HMAC keys.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // Retained on delete and replacement; a first deploy that rolls back had hashed nothing with it.
      removalPolicy: STATEFUL_REMOVAL_POLICY,
    });
    for (const fn of props.readers) {
      this.secret.grantRead(fn);
      fn.addEnvironment(USER_ID_KEY_SECRET_ARN, this.secret.secretArn);
    }
  }
}
