// Keeps a message invisible to other consumers while we are still working on it: a large
// object can take longer than the queue's visibility timeout, and a message that reappears
// mid-work would be processed twice (here or by another consumer), and each reappearance
// counts toward the dead-letter queue's maxReceiveCount.
//
// Each extension hides the message for at least MIN_EXTENSION_SEC, whatever the queue's own
// timeout: extending by a queue timeout of 0 or 1 s would hide nothing. The first extension
// goes out at half the queue's timeout, or at once when that timeout is short, since a receive
// hides a message for the queue's timeout only; so does the first one after the message was
// delivered again. Later ones go out every third of an extension, so one failed call still
// leaves time for the next.
//
// One VisibilityKeeper serves a whole run: a policy without sqs:ChangeMessageVisibility
// (policies written for Wazuh's own wodle lack it) refuses every message alike, so the first
// refusal is reported once, as a WARNING, and no further extension is attempted.

import { awsErrorCode } from '../aws/errors.js';
import { ExitCode, WodleError } from '../errors.js';
import type { Logger } from '../log.js';
import { STALE_RECEIPT_CODES, type MessageQueue, type QueueMessage } from './message-queue.js';

/** The least one extension hides a message for. */
export const MIN_EXTENSION_SEC = 60;

/** SQS's ceiling for one visibility timeout (12 hours). */
const MAX_EXTENSION_SEC = 43_200;

/** A queue timeout below this gets its first extension as soon as processing starts. */
const SHORT_TIMEOUT_SEC = 10;

type ExtendOutcome = 'extended' | 'failed' | 'stale' | 'refused';

export class VisibilityKeeper {
  /** How long each extension hides a message for, in seconds. */
  readonly extensionSec: number;
  private readonly queue: MessageQueue;
  private readonly queueTimeoutSec: number;
  private readonly logger: Logger;
  private refused = false;
  private warnedFailure = false;

  constructor(queue: MessageQueue, queueTimeoutSec: number, logger: Logger) {
    this.queue = queue;
    this.queueTimeoutSec = queueTimeoutSec;
    this.logger = logger;
    this.extensionSec = Math.min(MAX_EXTENSION_SEC, Math.max(MIN_EXTENSION_SEC, queueTimeoutSec));
  }

  /** Keeps the message invisible until the keepalive returned is stopped. */
  keep(message: QueueMessage): VisibilityKeepalive {
    const keepalive = new VisibilityKeepalive(this, message);
    keepalive.start();
    return keepalive;
  }

  /** When a fresh delivery needs its first extension: before the queue's timeout runs out. */
  firstDelayMs(): number {
    if (this.queueTimeoutSec < SHORT_TIMEOUT_SEC) return 0;
    return (this.queueTimeoutSec * 1000) / 2;
  }

  intervalMs(): number {
    return (this.extensionSec * 1000) / 3;
  }

  /** False once SQS refused an extension: every later one would be refused too. */
  get canExtend(): boolean {
    return !this.refused;
  }

  async extend(message: QueueMessage): Promise<ExtendOutcome> {
    if (this.refused) return 'refused';
    try {
      await this.queue.extendVisibility(message, this.extensionSec);
      this.logger.debug(2, `Extended the visibility of message ${message.id}`);
      return 'extended';
    } catch (error) {
      return this.outcomeOf(error, message);
    }
  }

  private outcomeOf(error: unknown, message: QueueMessage): ExtendOutcome {
    if (isRefusal(error)) {
      this.reportRefusal(error);
      return 'refused';
    }
    // A receipt handle that is no longer valid stays invalid.
    if (STALE_RECEIPT_CODES.has(awsErrorCode(error) ?? '')) {
      this.logger.debug(1, `Message ${message.id} cannot be extended: ${describe(error)}`);
      return 'stale';
    }

    if (!this.warnedFailure) {
      this.warnedFailure = true;
      this.logger.warning(`${describe(error)}; will retry while messages are in processing`);
    }
    return 'failed';
  }

  private reportRefusal(error: unknown): void {
    if (this.refused) return;

    this.refused = true;
    this.logger.warning(
      `${describe(error)}. Without sqs:ChangeMessageVisibility on queue ${this.queue.label}, ` +
        `a message that takes longer than the queue's visibility timeout ` +
        `(${this.queueTimeoutSec} s) to process becomes visible again: another consumer may ` +
        'process it twice, and each delivery counts toward the dead-letter queue. ' +
        'Grant sqs:ChangeMessageVisibility, or raise the visibility timeout',
    );
  }
}

/** The keepalive of one message in processing, under its newest receipt handle. */
export class VisibilityKeepalive {
  private readonly keeper: VisibilityKeeper;
  private delivery: QueueMessage;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private extending = false;

  constructor(keeper: VisibilityKeeper, message: QueueMessage) {
    this.keeper = keeper;
    this.delivery = message;
  }

  /** The newest delivery: SQS wants its receipt handle to extend or delete the message. */
  get message(): QueueMessage {
    return this.delivery;
  }

  start(): void {
    this.scheduleIn(this.keeper.firstDelayMs());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * SQS handed the message out again, so its visibility lapsed (an extension failed, or the
   * queue's timeout is shorter than we were told): that receive hid it for the queue's
   * timeout only, and only the new receipt handle is sure to extend it. Extends at once.
   */
  renew(delivery: QueueMessage): void {
    this.delivery = delivery;
    // An extension in progress goes again once it sees the newer delivery.
    if (!this.extending) this.scheduleIn(0);
  }

  private scheduleIn(delayMs: number): void {
    if (this.stopped || !this.keeper.canExtend) return;

    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.extend(), delayMs);
    // A pending extension must never keep the process alive on its own.
    this.timer.unref();
  }

  private async extend(): Promise<void> {
    const sent = this.delivery;
    this.extending = true;
    const outcome = await this.keeper.extend(sent);
    this.extending = false;

    if (this.delivery !== sent) return this.scheduleIn(0);
    if (outcome === 'stale' || outcome === 'refused') return this.stop();
    this.scheduleIn(this.keeper.intervalMs());
  }
}

/** A policy (or SCP, or queue policy) that does not allow sqs:ChangeMessageVisibility. */
function isRefusal(error: unknown): boolean {
  return error instanceof WodleError && error.exitCode === ExitCode.invalidCredentials;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
