// Carries out a message's disposition: logs it once, counts it, and deletes when asked.

import { ExitCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { DeleteBatcher } from '../queue/delete-batcher.js';
import type { QueueMessage } from '../queue/message-queue.js';
import type { RunStats } from '../stats.js';
import { decideDisposition, isRunFatal, type MessageResult } from './disposition.js';
import { describeRef } from './process-message.js';

/** Body text quoted in the report of an unreadable message. */
const BODY_EXCERPT_CHARS = 200;

export interface SettleContext {
  readonly deleter: DeleteBatcher;
  readonly logger: Logger;
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
    reportFailure(message, result, disposition === 'leave', context.logger);
  } else {
    context.logger.debug(1, describeSuccess(message, result));
  }

  if (disposition !== 'leave') await deleteMessage(message, context);
  return result.kind === 'failed' ? result.error.exitCode : ExitCode.success;
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
  logger: Logger,
): void {
  const fate = stays ? 'left in the queue' : 'deleted anyway (--skip_on_error)';
  // The run's own error is reported once, by the caller that ends the run.
  if (isRunFatal(result.error)) {
    logger.debug(1, `Message ${message.id}: ${fate}, the run is ending`);
    return;
  }

  const received = `receive count ${message.receiveCount}`;
  if (result.stage === 'body') {
    const excerpt = message.body.slice(0, BODY_EXCERPT_CHARS);
    logger.error(
      `Message ${message.id} (${received}) is not a notification we can read: ` +
        `${result.error.message}; ${fate}; body starts: ${excerpt}`,
    );
    return;
  }

  if (result.object === undefined) {
    logger.error(`Message ${message.id} (${received}): ${result.error.message}; ${fate}`);
    return;
  }

  const location = describeRef(result.object);
  const detail = result.error.message.includes(location)
    ? result.error.message
    : `${location}: ${result.error.message}`;
  logger.error(`${detail} (message ${message.id}, ${received}); ${fate}`);
}

async function deleteMessage(message: QueueMessage, context: SettleContext): Promise<void> {
  if (!context.deleteMessages) {
    context.logger.debug(2, `Message ${message.id}: not deleted (dry run)`);
    return;
  }

  // A failed DeleteMessageBatch call rejects here and ends the run (exit 21).
  const outcome = await context.deleter.delete(message);
  if (outcome.kind === 'deleted') {
    context.stats.messagesDeleted++;
    return;
  }

  context.logger.error(
    `SQS refused to delete message ${message.id} (${outcome.code}: ${outcome.reason}); ` +
      'it will be delivered again and its events sent twice',
  );
}
