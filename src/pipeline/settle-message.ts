// Carries out a message's disposition: logs it once, counts it, and deletes when asked.
// Failure reports go through FoldedReports, so a run prints the first few of each kind in full.

import { ExitCode, type ExitCodeValue } from '../errors.js';
import type { Logger } from '../log.js';
import type { DeleteBatcher } from '../queue/delete-batcher.js';
import type { QueueMessage } from '../queue/message-queue.js';
import type { RunStats } from '../stats.js';
import { decideDisposition, isRunFatal, type MessageResult } from './disposition.js';
import type { FoldedReports, ReportKind } from './folded-reports.js';
import { describeRef } from './process-message.js';

/** Body text quoted in the report of an unreadable message. */
const BODY_EXCERPT_CHARS = 200;

export interface SettleContext {
  readonly deleter: DeleteBatcher;
  readonly logger: Logger;
  readonly reports: FoldedReports;
  readonly stats: RunStats;
  readonly skipOnError: boolean;
  /** False in dry-run mode: report what would happen, delete nothing. */
  readonly deleteMessages: boolean;
}

/** Resolves with the exit code this message contributes (0 when it went well). */
export async function settleMessage(
  message: QueueMessage,
  result: MessageResult,
  context: SettleContext,
): Promise<number> {
  const disposition = decideDisposition(result, context.skipOnError);
  if (result.kind === 'failed') {
    context.stats.messagesFailed++;
    reportFailure(message, result, disposition === 'leave', context);
  } else {
    context.logger.debug(1, describeSuccess(message, result));
  }

  const deleted = disposition === 'leave' || await deleteMessage(message, context);
  if (result.kind === 'failed' && disposition === 'leave') return result.error.exitCode;
  // A refused delete means its events will be sent again: the run fails as a failed delete
  // call does (21), so wazuh-modulesd reports it.
  if (!deleted) return ExitCode.queueOperationFailed;
  // A failure skipped as --skip_on_error asks is reported but does not fail the run, as in
  // Wazuh's wodle: the administrator chose to go on past bad files.
  return ExitCode.success;
}

function describeSuccess(message: QueueMessage, result: MessageResult): string {
  if (result.kind === 'acknowledged') {
    return `Message ${message.id}: nothing to fetch (${result.reason}); acknowledged`;
  }
  if (result.kind === 'processed') {
    return `Message ${message.id}: ${result.objects} objects, ${result.events} events sent`;
  }
  return `Message ${message.id}`;
}

function reportFailure(
  message: QueueMessage,
  result: Extract<MessageResult, { kind: 'failed' }>,
  stays: boolean,
  context: SettleContext,
): void {
  const fate = stays ? 'left in the queue' : 'deleted anyway (--skip_on_error)';
  // The run's own error is reported once, by the caller that ends the run.
  if (isRunFatal(result.error)) {
    context.logger.debug(1, `Message ${message.id}: ${fate}, the run is ending`);
    return;
  }

  const kind = failureKind(result, fate);
  context.reports.error(kind, message.id, describeFailure(message, result, fate));
}

function describeFailure(
  message: QueueMessage,
  result: Extract<MessageResult, { kind: 'failed' }>,
  fate: string,
): string {
  const received = `receive count ${message.receiveCount}`;
  if (result.stage === 'body') {
    const excerpt = message.body.slice(0, BODY_EXCERPT_CHARS);
    return `Message ${message.id} (${received}) is not a notification we can read: ` +
      `${result.error.message}; ${fate}; body starts: ${excerpt}`;
  }
  if (result.object === undefined) {
    return `Message ${message.id} (${received}): ${result.error.message}; ${fate}`;
  }

  const location = describeRef(result.object);
  const detail = result.error.message.includes(location)
    ? result.error.message
    : `${location}: ${result.error.message}`;
  return `${detail} (message ${message.id}, ${received}); ${fate}`;
}

/** Failures fold by stage and exit code: one closing line per way of failing. */
function failureKind(
  result: Extract<MessageResult, { kind: 'failed' }>,
  fate: string,
): ReportKind {
  const code = result.error.exitCode;
  if (result.stage === 'body') {
    const more = `messages could not be read as notifications; ${fate}`;
    return { key: 'body', more, subjects: 'ids' };
  }

  const what = result.object === undefined ? 'messages failed' : objectFailure(code);
  const more = `${what} (exit ${code}); ${fate}`;
  return { key: `${result.stage}-${code}`, more, subjects: 'ids' };
}

function objectFailure(code: ExitCodeValue): string {
  const verb = code === ExitCode.decompressFailed ? 'decompressed'
    : code === ExitCode.parseFailed ? 'parsed'
      : 'read';
  return `messages had an object that could not be ${verb}`;
}

/** Resolves false when SQS refused the delete (a dry run counts as done). */
async function deleteMessage(message: QueueMessage, context: SettleContext): Promise<boolean> {
  if (!context.deleteMessages) {
    context.logger.debug(2, `Message ${message.id}: not deleted (dry run)`);
    return true;
  }

  // A failed DeleteMessageBatch call rejects here and ends the run (exit 21).
  const outcome = await context.deleter.delete(message);
  if (outcome.kind === 'deleted') {
    context.stats.messagesDeleted++;
    return true;
  }

  context.reports.error(
    DELETE_REFUSED,
    message.id,
    `SQS refused to delete message ${message.id} (${outcome.code}: ${outcome.reason}); ` +
      'it will be delivered again and its events sent twice',
  );
  return false;
}

const DELETE_REFUSED: ReportKind = {
  key: 'delete-refused',
  more: 'messages SQS refused to delete; they will be delivered again',
  subjects: 'ids',
};
