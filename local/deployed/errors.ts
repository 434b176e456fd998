/** Errors of the tools that read or change a deployed stack (dashboard, forget, redrive); each message says what to do. */

/** The base of every error about a deployed stack. */
export class DeployedStackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployedStackError';
  }
}

/** No AWS region or credentials could be found. */
export class AwsSetupError extends DeployedStackError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AwsSetupError';
  }
}

/** CloudFormation has no stack of that name in the region. */
export class StackNotFoundError extends DeployedStackError {
  constructor(
    readonly stackName: string,
    readonly region: string,
    options?: { cause?: unknown },
  ) {
    super(
      `stack ${stackName} not found in region ${region}: deploy it with \`npx cdk deploy\`, or pass the region it is in with --region`,
      options,
    );
    this.name = 'StackNotFoundError';
  }
}

/** The stack exists but lacks an output the tool reads. */
export class StackOutputMissingError extends DeployedStackError {
  constructor(
    readonly stackName: string,
    readonly region: string,
    readonly outputKey: string,
    readonly stackStatus: string | undefined,
  ) {
    super(
      `stack ${stackName} in region ${region} (status ${stackStatus ?? 'unknown'}) has no output ${outputKey}: ` +
        'it is not a clickstream stack, or was deployed from an older version, or its deployment did not finish; ' +
        'deploy this version with `npx cdk deploy`',
    );
    this.name = 'StackOutputMissingError';
  }
}

/** The caller's identity may not perform an action the tool needs. */
export class AwsAccessDeniedError extends DeployedStackError {
  constructor(
    readonly action: string,
    readonly resource: string,
    options: { cause: unknown },
  ) {
    super(
      `access denied: this needs ${action} on ${resource}; grant it to the identity running the command ` +
        `(${(options.cause as Error).message})`,
      options,
    );
    this.name = 'AwsAccessDeniedError';
  }
}

/** The name is not one of the shipped named queries. */
export class UnknownNamedQueryError extends DeployedStackError {
  constructor(
    readonly queryName: string,
    known: readonly string[],
  ) {
    super(`no named query ${JSON.stringify(queryName)}; the shipped ones are: ${known.join(', ')}`);
    this.name = 'UnknownNamedQueryError';
  }
}

/** Athena ended the query as FAILED or CANCELLED. */
export class AthenaQueryFailedError extends DeployedStackError {
  constructor(
    readonly queryExecutionId: string,
    readonly workGroup: string,
    readonly state: 'FAILED' | 'CANCELLED',
    readonly reason: string | undefined,
  ) {
    super(
      `Athena query ${queryExecutionId} in workgroup ${workGroup} ${state === 'FAILED' ? 'failed' : 'was cancelled'}: ` +
        `${reason ?? 'Athena gave no reason'} (see the query in the Athena console's recent queries)`,
    );
    this.name = 'AthenaQueryFailedError';
  }
}

/** The query did not finish before the deadline; it was asked to stop. */
export class AthenaQueryTimeoutError extends DeployedStackError {
  constructor(
    readonly queryExecutionId: string,
    readonly workGroup: string,
    readonly waitedMs: number,
    readonly lastState: string,
    readonly stopped: boolean,
    options?: { cause?: unknown },
  ) {
    super(
      `Athena query ${queryExecutionId} in workgroup ${workGroup} did not finish within ${Math.round(waitedMs / 1000)} s ` +
        `(last state ${lastState}); ${stopped ? 'it was stopped' : 'stopping it failed, stop it in the Athena console'}. ` +
        'Try a shorter date range, or a longer query timeout when the workgroup is busy',
      options,
    );
    this.name = 'AthenaQueryTimeoutError';
  }
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/**
 * Rethrows an SDK error: an access denial becomes an {@link AwsAccessDeniedError} naming the action and
 * resource to grant, a missing credential an {@link AwsSetupError}; anything else as it was.
 */
export function translateAwsError(err: unknown, action: string, resource: string): never {
  const name = (err as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && ACCESS_DENIED.has(name)) throw new AwsAccessDeniedError(action, resource, { cause: err });
  if (name === 'CredentialsProviderError') {
    throw new AwsSetupError(
      `no AWS credentials found (${(err as Error).message}): set AWS_PROFILE, run \`aws sso login\` or \`aws configure\`, ` +
        'or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      { cause: err },
    );
  }
  throw err;
}
