import { QueueDoesNotExist, SQSServiceException } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';

import { awsErrorCode, mapAwsError } from '../src/aws/errors.js';
import { ExitCode, ParseError, WodleError } from '../src/errors.js';

function serviceError(name: string, httpStatusCode: number): SQSServiceException {
  return new SQSServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode },
    message: `${name} happened`,
  });
}

describe('mapping AWS SDK errors to exit codes', () => {
  it('maps a missing queue to exit 20, whatever operation met it', () => {
    const missing = new QueueDoesNotExist({ message: 'nope', $metadata: { httpStatusCode: 400 } });

    expect(mapAwsError(missing, 'getQueueUrl', 'q').exitCode).toBe(ExitCode.queueNotFound);
    expect(mapAwsError(missing, 'receive', 'q').exitCode).toBe(ExitCode.queueNotFound);
  });

  it.each(['AccessDenied', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken'])(
    'maps %s to exit 3 (credentials or access denied)',
    (name) => {
      expect(mapAwsError(serviceError(name, 400), 'receive', 'q').exitCode)
        .toBe(ExitCode.invalidCredentials);
    },
  );

  it('maps any HTTP 403 to exit 3', () => {
    expect(mapAwsError(serviceError('Forbidden', 403), 'getObject', 's3://b/k').exitCode)
      .toBe(ExitCode.invalidCredentials);
  });

  it('maps throttling that outlasted the retries to exit 16', () => {
    const flagged = Object.assign(serviceError('Whatever', 400), { $retryable: { throttling: true } });

    expect(mapAwsError(serviceError('ThrottlingException', 400), 'receive', 'q').exitCode)
      .toBe(ExitCode.throttled);
    expect(mapAwsError(serviceError('SlowDown', 503), 'getObject', 's3://b/k').exitCode)
      .toBe(ExitCode.throttled);
    expect(mapAwsError(flagged, 'delete', 'q').exitCode).toBe(ExitCode.throttled);
  });

  it('maps other queue failures, network errors included, to exit 21', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

    expect(mapAwsError(refused, 'receive', 'q').exitCode).toBe(ExitCode.queueOperationFailed);
    expect(mapAwsError(serviceError('InternalError', 500), 'delete', 'q').exitCode)
      .toBe(ExitCode.queueOperationFailed);
  });

  it('maps a profile without credentials to exit 23 and other credential failures to 3', () => {
    const missingProfile = Object.assign(
      new Error('Could not resolve credentials using profile: [nope] in configuration/credentials file(s).'),
      { name: 'CredentialsProviderError' },
    );
    const noChain = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });

    expect(mapAwsError(missingProfile, 'credentials', 'profile nope').exitCode)
      .toBe(ExitCode.profileNotFound);
    expect(mapAwsError(noChain, 'receive', 'q').exitCode).toBe(ExitCode.invalidCredentials);
  });

  it('keeps a WodleError as it is', () => {
    const parse = new ParseError({ bucket: 'b', key: 'k' }, 'bad');

    expect(mapAwsError(parse, 'getObject', 's3://b/k')).toBe(parse);
  });

  it('names the operation and the subject, and keeps the SDK error as the cause', () => {
    const denied = serviceError('AccessDenied', 403);
    const mapped = mapAwsError(denied, 'receive', 'my-queue');

    expect(mapped.message).toBe(
      'Could not receive messages from the SQS queue my-queue: AccessDenied: AccessDenied happened');
    expect(awsErrorCode(mapped)).toBe('AccessDenied');
    expect(mapped).toBeInstanceOf(WodleError);
  });
});
