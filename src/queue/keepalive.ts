// Keeps a message invisible to other consumers while we are still working on it: a large
// object can take longer than the queue's visibility timeout, and a message that reappears
// mid-work would be processed twice. Extends at half the timeout, so one late or failed
// extension still leaves time for the next.

import { awsErrorCode } from '../aws/errors.js';
import { ExitCode, WodleError } from '../errors.js';
import type { Logger } from '../log.js';
import { STALE_RECEIPT_CODES, type MessageQueue, type QueueMessage } from './message-queue.js';

/** Never extend more often than this, whatever the queue's timeout. */
const MIN_INTERVAL_MS = 1000;

export class VisibilityKeepalive {
  private readonly queue: MessageQueue;
  private readonly message: QueueMessage;
  private readonly timeoutSec: number;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private warned = false;

  constructor(queue: MessageQueue, message: QueueMessage, timeoutSec: number, logger: Logger) {
    this.queue = queue;
    this.message = message;
    this.timeoutSec = timeoutSec;
    this.logger = logger;
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;

    const intervalMs = Math.max(MIN_INTERVAL_MS, (this.timeoutSec * 1000) / 2);
    this.timer = setTimeout(() => void this.extend(), intervalMs);
    // A pending extension must never keep the process alive on its own.
    this.timer.unref();
  }

  private async extend(): Promise<void> {
    try {
      await this.queue.extendVisibility(this.message, this.timeoutSec);
      this.logger.debug(2, `Extended the visibility of message ${this.message.id}`);
    } catch (error) {
      if (isPointlessToRetry(error)) {
        this.logger.debug(1, `Message ${this.message.id} cannot be extended: ${describe(error)}`);
        this.stop();
        return;
      }
      this.warnOnce(error);
    }
    this.schedule();
  }

  private warnOnce(error: unknown): void {
    if (this.warned) return;

    this.warned = true;
    const id = this.message.id;
    this.logger.warning(`${describe(error)}; will retry while message ${id} is processed`);
  }
}

/**
 * A receipt handle that is no longer valid stays invalid; so does a policy without
 * sqs:ChangeMessageVisibility (policies written for Wazuh's own wodle lack it).
 */
function isPointlessToRetry(error: unknown): boolean {
  if (STALE_RECEIPT_CODES.has(awsErrorCode(error) ?? '')) return true;
  return error instanceof WodleError && error.exitCode === ExitCode.invalidCredentials;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
