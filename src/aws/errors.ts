// The one place where an AWS SDK failure becomes a Wazuh exit code (DESIGN.md section 4).
// Callers say which operation failed; the error's name, HTTP status and retry hints say why.

import { ExitCode, WodleError, type ExitCodeValue } from '../errors.js';

export type AwsOperation =
  | 'credentials'
  | 'getQueueUrl'
  | 'getQueueAttributes'
  | 'receive'
  | 'delete'
  | 'changeVisibility'
  | 'getObject';

const ACCESS_DENIED_NAMES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AuthFailure',
  'AuthorizationError',
  'ExpiredToken',
  'ExpiredTokenException',
  'IncompleteSignature',
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'InvalidSecurity',
  'InvalidToken',
  'MissingAuthenticationToken',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'KMS.AccessDeniedException',
  // S3's own names.
  'Forbidden',
  'AllAccessDisabled',
]);

const THROTTLING_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'TooManyRequests',
  'SlowDown',
]);

const QUEUE_MISSING_NAMES = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
]);

const QUEUE_OPERATIONS: ReadonlySet<AwsOperation> = new Set([
  'getQueueUrl',
  'getQueueAttributes',
  'receive',
  'delete',
  'changeVisibility',
]);

/** What the SDK's errors carry that tells one failure from another. */
interface SdkErrorShape {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

/**
 * Maps a failed AWS call to the typed error the run reports. `subject` names what was asked
 * for (the queue, or s3://bucket/key) and starts the message.
 */
export function mapAwsError(error: unknown, operation: AwsOperation, subject: string): WodleError {
  if (error instanceof WodleError) return error;

  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const code = exitCodeFor(shape, operation);
  const reason = `${shape.name ?? 'Error'}: ${shape.message ?? String(error)}`;
  return new WodleError(code, `${describe(operation, subject)}: ${reason}`, { cause: error });
}

function exitCodeFor(error: SdkErrorShape, operation: AwsOperation): ExitCodeValue {
  const name = error.Code ?? error.name ?? '';

  if (QUEUE_MISSING_NAMES.has(name) || QUEUE_MISSING_NAMES.has(error.name ?? '')) {
    return ExitCode.queueNotFound;
  }
  const kind = awsFailureKind(error);
  if (kind === 'throttled') return ExitCode.throttled;
  if (kind === 'accessDenied') return ExitCode.invalidCredentials;
  if (name === 'CredentialsProviderError' || operation === 'credentials') {
    return isMissingProfile(error) ? ExitCode.profileNotFound : ExitCode.invalidCredentials;
  }
  if (/region is missing/i.test(error.message ?? '')) return ExitCode.invalidRegion;
  if (QUEUE_OPERATIONS.has(operation)) return ExitCode.queueOperationFailed;
  return ExitCode.unexpected;
}

/** The two failures every AWS service reports alike: throttled beyond retries, or refused. */
export type AwsFailureKind = 'throttled' | 'accessDenied' | 'other';

export function awsFailureKind(error: unknown): AwsFailureKind {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = shape.Code ?? shape.name ?? '';
  const status = shape.$metadata?.httpStatusCode;

  if (THROTTLING_NAMES.has(name) || shape.$retryable?.throttling === true || status === 429) {
    return 'throttled';
  }
  if (ACCESS_DENIED_NAMES.has(name) || status === 403) return 'accessDenied';
  return 'other';
}

function isMissingProfile(error: SdkErrorShape): boolean {
  return /could not resolve credentials using profile/i.test(error.message ?? '');
}

function describe(operation: AwsOperation, subject: string): string {
  switch (operation) {
    case 'credentials':
      return `Could not get AWS credentials (${subject})`;
    case 'getQueueUrl':
      return `Could not find the SQS queue ${subject}`;
    case 'getQueueAttributes':
      return `Could not read the attributes of the SQS queue ${subject}`;
    case 'receive':
      return `Could not receive messages from the SQS queue ${subject}`;
    case 'delete':
      return `Could not delete messages from the SQS queue ${subject}`;
    case 'changeVisibility':
      return `Could not extend the visibility of a message of the SQS queue ${subject}`;
    case 'getObject':
      return `Could not read ${subject}`;
  }
}

/** The AWS error code behind an error, looking through a mapped WodleError to its cause. */
export function awsErrorCode(error: unknown): string | undefined {
  const inner = error instanceof WodleError ? error.cause : error;
  if (typeof inner !== 'object' || inner === null) return undefined;

  const shape = inner as SdkErrorShape;
  return shape.Code ?? shape.name;
}
