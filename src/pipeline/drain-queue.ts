// The receive loop: keeps up to maxInFlight messages in processing at once, each under a
// visibility keepalive, until a receive comes back empty.
//
// When to stop. Every receive long-polls (a wait of one second or more makes SQS ask all of
// its servers, so an empty answer means the queue has nothing visible, not that one sampled
// server had nothing). The first receive waits the full 20 s, so a run that starts on an
// empty queue still picks up notifications that arrive meanwhile. Once messages have come in,
// the following receives wait only a couple of seconds: a queue with messages answers at once
// whatever the wait, so a long wait after the queue ran dry would only hold every run open
// for 20 idle seconds. Messages we left for redelivery are not waited for: they come back in
// a later run, after their visibility timeout.

import { ExitCode, WodleError } from '../errors.js';
import type { Logger } from '../log.js';
import { DeleteBatcher, MAX_BATCH_ENTRIES } from '../queue/delete-batcher.js';
import { VisibilityKeepalive } from '../queue/keepalive.js';
import type { MessageQueue, QueueMessage } from '../queue/message-queue.js';
import type { RunStats } from '../stats.js';
import { isRunFatal } from './disposition.js';
import { processMessage, type MessageStages } from './process-message.js';
import { settleMessage } from './settle-message.js';

export interface DrainSettings {
  readonly skipOnError: boolean;
  readonly deleteMessages: boolean;
  /** Messages processed at the same time. */
  readonly maxInFlight: number;
  readonly firstWaitSec: number;
  readonly drainWaitSec: number;
  readonly visibilityTimeoutSec: number;
  readonly deleteLingerMs?: number;
}

export const DEFAULT_DRAIN_SETTINGS = {
  maxInFlight: 20,
  firstWaitSec: 20,
  drainWaitSec: 2,
} as const;

export interface DrainDeps extends MessageStages {
  readonly queue: MessageQueue;
  readonly logger: Logger;
  readonly stats: RunStats;
}

/**
 * Drains the queue. Resolves with 0 or the exit code of the first message that failed;
 * rejects with the run-ending error once the messages in flight have settled.
 */
export async function drainQueue(deps: DrainDeps, settings: DrainSettings): Promise<number> {
  return new QueueDrain(deps, settings).run();
}

class QueueDrain {
  private readonly deps: DrainDeps;
  private readonly settings: DrainSettings;
  private readonly deleter: DeleteBatcher;
  private readonly inFlight = new Set<Promise<void>>();
  private fatal: WodleError | undefined;
  private firstFailureCode = 0;

  constructor(deps: DrainDeps, settings: DrainSettings) {
    this.deps = deps;
    this.settings = settings;
    this.deleter = new DeleteBatcher(deps.queue, settings.deleteLingerMs);
  }

  async run(): Promise<number> {
    await this.receiveUntilEmpty();

    await Promise.all(this.inFlight);
    await this.deleter.flush();
    if (this.fatal !== undefined) throw this.fatal;
    return this.firstFailureCode;
  }

  private async receiveUntilEmpty(): Promise<void> {
    let waitSec = this.settings.firstWaitSec;
    while (this.fatal === undefined) {
      const freeSlots = await this.freeSlots();
      if (this.fatal !== undefined) return;

      const messages = await this.receive(Math.min(MAX_BATCH_ENTRIES, freeSlots), waitSec);
      if (messages.length === 0) return;

      waitSec = this.settings.drainWaitSec;
      for (const message of messages) this.start(message);
    }
  }

  private async receive(maxMessages: number, waitSec: number): Promise<QueueMessage[]> {
    try {
      const messages = await this.deps.queue.receive(maxMessages, waitSec);
      this.deps.stats.messagesReceived += messages.length;
      this.deps.logger.debug(2, `Received ${messages.length} messages`);
      return messages;
    } catch (error) {
      this.endRun(error);
      return [];
    }
  }

  /** Waits until fewer than maxInFlight messages are in processing; returns the free count. */
  private async freeSlots(): Promise<number> {
    while (this.inFlight.size >= this.settings.maxInFlight) await Promise.race(this.inFlight);
    return this.settings.maxInFlight - this.inFlight.size;
  }

  private start(message: QueueMessage): void {
    const work = this.handle(message).finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async handle(message: QueueMessage): Promise<void> {
    const { queue, logger } = this.deps;
    const keepalive = new VisibilityKeepalive(
      queue, message, this.settings.visibilityTimeoutSec, logger);
    keepalive.start();

    try {
      const result = await processMessage(message, this.deps, () => this.fatal);
      if (result.kind === 'failed' && isRunFatal(result.error)) this.endRun(result.error);

      const context = { ...this.settings, ...this.deps, deleter: this.deleter };
      const code = await settleMessage(message, result, context);
      if (this.firstFailureCode === 0) this.firstFailureCode = code;
    } catch (error) {
      // Only a failed DeleteMessageBatch call gets here: the queue itself is failing.
      this.endRun(error);
    } finally {
      keepalive.stop();
    }
  }

  /** Stops receiving; the first run-ending error is the one the run reports. */
  private endRun(error: unknown): void {
    if (this.fatal !== undefined) return;

    this.fatal = error instanceof WodleError
      ? error
      : new WodleError(ExitCode.unexpected, String(error), { cause: error });
  }
}
