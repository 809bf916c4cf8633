// What becomes of a message once we are done with it: the one decision every message goes
// through, so no branch forgets to log or count.

import { ExitCode, ObjectReadError, type ExitCodeValue, type WodleError } from '../errors.js';
import type { ObjectRef } from '../model.js';

/** How processing one message ended. */
export type MessageResult =
  | { readonly kind: 'processed'; readonly objects: number; readonly events: number }
  | { readonly kind: 'acknowledged'; readonly reason: string }
  | {
      readonly kind: 'failed';
      readonly stage: 'body' | 'object' | 'sink' | 'run';
      readonly error: WodleError;
      /** The object that failed, for stage 'object'. */
      readonly object?: ObjectRef;
    };

export type Disposition = 'delete' | 'leave' | 'delete-despite-failure';

/**
 * Failures that are not about one message: the next message would fail the same way, so the
 * run stops receiving and ends with this code once the messages in flight have settled.
 */
const RUN_FATAL_CODES: ReadonlySet<ExitCodeValue> = new Set([
  ExitCode.invalidCredentials,
  ExitCode.wazuhUnreachable,
  ExitCode.wazuhSendFailed,
  ExitCode.invalidEndpoint,
  ExitCode.throttled,
  ExitCode.queueNotFound,
  ExitCode.queueOperationFailed,
  ExitCode.invalidRegion,
  ExitCode.profileNotFound,
]);

export function isRunFatal(error: WodleError): boolean {
  // A refused or throttled read of one object says nothing of the others: a bucket policy or
  // a KMS key can deny one bucket while the rest of the queue is readable.
  if (error instanceof ObjectReadError) return false;

  return RUN_FATAL_CODES.has(error.exitCode);
}

/**
 * A message is deleted when all its events were accepted, or when there was nothing to send.
 * A failed one stays for redelivery (and, after maxReceiveCount, its dead-letter queue),
 * unless --skip_on_error asks to drop it. A run-fatal failure never deletes: the events of
 * that message were not all accepted, and the failure says nothing against the message.
 */
export function decideDisposition(result: MessageResult, skipOnError: boolean): Disposition {
  if (result.kind !== 'failed') return 'delete';
  if (isRunFatal(result.error)) return 'leave';
  return skipOnError ? 'delete-despite-failure' : 'leave';
}
