// Every error that ends a run, or a message, carries the exit code Wazuh's wodle uses for it.
// Library code throws these; only the command line entry point turns them into an exit.

/** Exit codes of Wazuh's aws-s3 wodle, as wazuh-modulesd reads them. */
export const ExitCode = {
  success: 0,
  unknown: 1,
  badArguments: 2,
  invalidCredentials: 3,
  decompressFailed: 8,
  parseFailed: 9,
  wazuhUnreachable: 11,
  unexpected: 12,
  wazuhSendFailed: 13,
  invalidEndpoint: 15,
  throttled: 16,
  queueNotFound: 20,
  queueOperationFailed: 21,
  invalidRegion: 22,
  profileNotFound: 23,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: an error with the exit code the run ends with when nothing catches it. */
export class WodleError extends Error {
  readonly exitCode: ExitCodeValue;

  constructor(exitCode: ExitCodeValue, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** A bad command line; printed argparse style (`aws-s3: error: ...`). */
export class ArgumentError extends WodleError {
  constructor(message: string) {
    super(ExitCode.badArguments, message);
  }
}

/** Where one object of one message failed: names the bucket and key in every report. */
export interface ObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

function describeLocation(location: ObjectLocation): string {
  return `s3://${location.bucket}/${location.key}`;
}

/** An object could not be decompressed (gzip, zip). The message stays in the queue. */
export class DecompressError extends WodleError {
  constructor(location: ObjectLocation, reason: string, options?: { cause?: unknown }) {
    super(ExitCode.decompressFailed, `${describeLocation(location)}: ${reason}`, options);
  }
}

/** Why an object could not be read from S3. */
export type ObjectReadFailure = 'notFound' | 'accessDenied' | 'throttled' | 'failed';

/**
 * An object could not be read from S3: missing (NoSuchKey, NoSuchBucket), forbidden (exit 3),
 * throttled beyond the SDK's retries (exit 16), or any other failure, the body cut off while
 * streaming included (exit 12). The message stays in the queue.
 */
export class ObjectReadError extends WodleError {
  readonly failure: ObjectReadFailure;
  readonly location: ObjectLocation;

  constructor(
    location: ObjectLocation,
    failure: ObjectReadFailure,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(objectReadExitCode(failure), `${describeLocation(location)}: ${reason}`, options);
    this.failure = failure;
    this.location = location;
  }
}

function objectReadExitCode(failure: ObjectReadFailure): ExitCodeValue {
  if (failure === 'accessDenied') return ExitCode.invalidCredentials;
  if (failure === 'throttled') return ExitCode.throttled;
  return ExitCode.unexpected;
}

/** An object could not be parsed into events. The message stays in the queue. */
export class ParseError extends WodleError {
  constructor(location: ObjectLocation, reason: string, options?: { cause?: unknown }) {
    super(ExitCode.parseFailed, `${describeLocation(location)}: ${reason}`, options);
  }
}

/** A message body that is no notification we understand. The message stays in the queue. */
export class NotificationError extends WodleError {
  constructor(reason: string) {
    super(ExitCode.unexpected, reason);
  }
}

/**
 * analysisd's socket is missing or refuses datagrams, at start or beyond the reconnect window
 * after a restart. Events not yet accepted stay unsent; their messages stay in the queue.
 */
export class WazuhUnreachableError extends WodleError {
  readonly socketPath: string;

  constructor(socketPath: string, options?: { cause?: unknown }) {
    // Wazuh's own wording first; then where we looked and what the system said, since a wrong
    // WAZUH_PATH or a file that is no socket reads the same as a stopped manager otherwise.
    const reason = errnoName(options?.cause) ?? 'unreachable';
    super(
      ExitCode.wazuhUnreachable,
      `Wazuh must be running. Cannot connect to ${socketPath}: ${reason}`,
      options,
    );
    this.socketPath = socketPath;
  }
}

function errnoName(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The socket failed in a way no retry or reconnect can fix (an unexpected errno). */
export class WazuhSendError extends WodleError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(ExitCode.wazuhSendFailed, `Error sending event to Wazuh: ${reason}`, options);
  }
}
