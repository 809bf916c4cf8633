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
//
// Deliveries of the same message. SQS hands a message out again, with a new receipt handle,
// once its visibility lapses: while we still process it (the keepalive refused, or a queue
// timeout of 0 or 1 s), or after we finished with it. The DeliveryLedger keeps one run from
// processing a message twice: a message received again while in processing goes on under
// its newest receipt handle (SQS wants that one to extend or delete it), one whose events
// were all sent is deleted again (its first delete did not take), and one left for
// redelivery stays left. A receive that brought only such repeats says nothing about new
// messages, but a queue whose messages keep coming back (a failed message under a timeout
// of 0) would never answer empty: after MAX_FRUITLESS_RECEIVES of them in a row, the run
// stops receiving.
//
// Stopping early. When the caller's stop signal fires (SIGINT or SIGTERM), the run stops
// receiving and starting objects, aborts the object streams in progress, and deletes the
// messages that had finished before the signal: their events were all accepted, and left in
// the queue they would be sent again. A message still in processing at the signal stays in
// the queue whatever its processing ends with afterwards: an object stream cut short by the
// abort may end without an error, so an ending after the signal proves nothing. A receive in
// progress at the signal is abandoned; what it brings stays invisible until its visibility
// timeout lapses, then comes back.

import { setMaxListeners } from 'node:events';

import { ExitCode, WodleError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ObjectRef } from '../model.js';
import { DeleteBatcher, MAX_BATCH_ENTRIES } from '../queue/delete-batcher.js';
import { VisibilityKeeper, type VisibilityKeepalive } from '../queue/keepalive.js';
import type { MessageQueue, QueueMessage } from '../queue/message-queue.js';
import type { RunStats } from '../stats.js';
import { DeliveryLedger, type LedgerEntry } from './delivery-ledger.js';
import { decideDisposition, isRunFatal, type MessageResult } from './disposition.js';
import { FoldedReports } from './folded-reports.js';
import { processMessage, type MessageContext, type MessageStages } from './process-message.js';
import { settleMessage, type SettleContext } from './settle-message.js';

export interface DrainSettings {
  readonly skipOnError: boolean;
  readonly deleteMessages: boolean;
  /** Messages processed at the same time. */
  readonly maxInFlight: number;
  readonly firstWaitSec: number;
  readonly drainWaitSec: number;
  /** The queue's own visibility timeout, which paces the keepalive. */
  readonly visibilityTimeoutSec: number;
  readonly deleteLingerMs?: number;
}

/** What a message cut short by a stop request ends with; such a message is left, unreported. */
const STOPPED = new WodleError(ExitCode.unexpected, 'the run was asked to stop');

/** Receives in a row that brought only messages this run already had, before it stops. */
export const MAX_FRUITLESS_RECEIVES = 3;

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
 * rejects with the run-ending error once the messages in flight have settled. Once `stop`
 * fires it resolves as soon as the messages finished by then are deleted.
 */
export async function drainQueue(
  deps: DrainDeps,
  settings: DrainSettings,
  stop: AbortSignal = new AbortController().signal,
): Promise<number> {
  return new QueueDrain(deps, settings, stop).run();
}

class QueueDrain {
  private readonly deps: DrainDeps;
  private readonly settings: DrainSettings;
  private readonly deleter: DeleteBatcher;
  private readonly keeper: VisibilityKeeper;
  private readonly ledger = new DeliveryLedger();
  private readonly reports: FoldedReports;
  private readonly messageContext: MessageContext;
  private readonly settleContext: SettleContext;
  private readonly inFlight = new Set<Promise<void>>();
  /** Messages being settled (deleted, when they are to be): waited for even after a stop. */
  private readonly settling = new Set<Promise<number>>();
  private readonly stop: AbortSignal;
  private readonly stopped: Promise<void>;
  private fatal: WodleError | undefined;
  private firstFailureCode = 0;

  constructor(deps: DrainDeps, settings: DrainSettings, stop: AbortSignal) {
    this.deps = deps;
    this.settings = settings;
    this.stop = stop;
    this.stopped = whenAborted(stop);
    this.deleter = new DeleteBatcher(deps.queue, settings.deleteLingerMs);
    this.keeper = new VisibilityKeeper(deps.queue, settings.visibilityTimeoutSec, deps.logger);
    this.reports = new FoldedReports(deps.logger);
    const events = abortedBy(this.stopped, deps.events);
    this.messageContext = { ...deps, events, reports: this.reports };
    this.settleContext = { ...settings, ...deps, reports: this.reports, deleter: this.deleter };
  }

  async run(): Promise<number> {
    try {
      await this.receiveUntilEmpty();
      await Promise.race([Promise.all(this.inFlight), this.stopped]);
      await this.deleter.flush();
      if (this.stop.aborted) await this.settleFinished();
    } finally {
      this.reports.close();
    }

    if (this.fatal !== undefined) throw this.fatal;
    return this.firstFailureCode;
  }

  /** After a stop: waits for the deletes of the messages that had finished before it. */
  private async settleFinished(): Promise<void> {
    const unfinished = this.inFlight.size - this.settling.size;
    this.deps.logger.debug(1, `Stopping: deleting ${this.settling.size} finished messages; ` +
      `up to ${unfinished} messages in processing stay in the queue`);
    await Promise.allSettled(this.settling);
  }

  private async receiveUntilEmpty(): Promise<void> {
    let waitSec = this.settings.firstWaitSec;
    let fruitless = 0;
    while (!this.isEnding()) {
      const freeSlots = await this.freeSlots();
      if (this.isEnding()) return;

      const messages = await this.receive(Math.min(MAX_BATCH_ENTRIES, freeSlots), waitSec);
      if (messages.length === 0) return;

      waitSec = this.settings.drainWaitSec;
      const started = messages.filter((message) => this.admit(message)).length;
      fruitless = started > 0 ? 0 : fruitless + 1;
      if (fruitless >= MAX_FRUITLESS_RECEIVES) {
        this.deps.logger.debug(1, `${fruitless} receives in a row brought only messages ` +
          'this run already had; no more receiving');
        return;
      }
    }
  }

  private isEnding(): boolean {
    return this.fatal !== undefined || this.stop.aborted;
  }

  private async receive(maxMessages: number, waitSec: number): Promise<QueueMessage[]> {
    try {
      const receiving = this.deps.queue.receive(maxMessages, waitSec);
      const messages = await Promise.race([receiving, this.stopped.then(() => [])]);
      this.deps.logger.debug(2, `Received ${messages.length} messages`);
      return messages;
    } catch (error) {
      this.endRun(error);
      return [];
    }
  }

  /** Waits until fewer than maxInFlight messages are in processing; returns the free count. */
  private async freeSlots(): Promise<number> {
    while (this.inFlight.size >= this.settings.maxInFlight && !this.stop.aborted) {
      await Promise.race([...this.inFlight, this.stopped]);
    }
    return this.settings.maxInFlight - this.inFlight.size;
  }

  /** Starts processing a message new to this run; returns false for a repeated delivery. */
  private admit(message: QueueMessage): boolean {
    const entry = this.ledger.lookup(message.id);
    if (entry !== undefined) {
      this.deps.stats.deliveriesRepeated++;
      this.handleRepeat(message, entry);
      return false;
    }

    this.deps.stats.messagesReceived++;
    // Registered before the next message of the batch is looked at: a batch may repeat one.
    const keepalive = this.keeper.keep(message);
    this.ledger.begin(message.id, keepalive);
    this.track(this.handle(message, keepalive));
    return true;
  }

  private handleRepeat(message: QueueMessage, entry: LedgerEntry): void {
    const delivery = `Message ${message.id} delivered again (receive count ` +
      `${message.receiveCount})`;
    const { logger } = this.deps;

    if (entry.state === 'processing') {
      entry.keepalive.renew(message);
      logger.debug(1, `${delivery} while in processing; not processed twice`);
    } else if (entry.state === 'sent') {
      logger.debug(1, `${delivery} after its events were sent; deleting it again`);
      this.track(this.deleteAgain(message));
    } else {
      logger.debug(1, `${delivery}; it stays in the queue for a later run`);
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async handle(message: QueueMessage, keepalive: VisibilityKeepalive): Promise<void> {
    let sent = false;
    try {
      const result = await processMessage(message, this.messageContext, () => this.runError());
      if (this.stop.aborted) {
        this.deps.logger.debug(1, `Message ${message.id}: in processing at the stop; ` +
          'it stays in the queue');
        return;
      }
      if (result.kind === 'failed' && isRunFatal(result.error)) this.endRun(result.error);
      sent = this.isToBeDeleted(result);

      // The newest delivery: its receipt handle is the one SQS deletes by.
      const delivery = keepalive.message;
      const code = await this.settle(delivery, result);
      if (this.firstFailureCode === 0) this.firstFailureCode = code;
      // Delivered again while the delete was on its way: the old handle may not have deleted it.
      if (sent && keepalive.message !== delivery) await this.deleteAgain(keepalive.message);
    } catch (error) {
      // Only a failed DeleteMessageBatch call gets here: the queue itself is failing.
      this.endRun(error);
    } finally {
      keepalive.stop();
      this.ledger.finish(message.id, sent ? 'sent' : 'left');
    }
  }

  /** Why no further object of a message is to be started, if it is not. */
  private runError(): WodleError | undefined {
    return this.fatal ?? (this.stop.aborted ? STOPPED : undefined);
  }

  private async settle(message: QueueMessage, result: MessageResult): Promise<number> {
    const settled = settleMessage(message, result, this.settleContext);
    this.settling.add(settled);
    try {
      return await settled;
    } finally {
      this.settling.delete(settled);
    }
  }

  private isToBeDeleted(result: MessageResult): boolean {
    if (!this.settings.deleteMessages) return false;
    return decideDisposition(result, this.settings.skipOnError) !== 'leave';
  }

  /** A message whose events were all sent came back: its delete did not take. */
  private async deleteAgain(message: QueueMessage): Promise<void> {
    try {
      const outcome = await this.deleter.delete(message);
      if (outcome.kind === 'refused') {
        this.deps.logger.debug(1, `SQS refused to delete message ${message.id} again ` +
          `(${outcome.code}: ${outcome.reason})`);
      }
    } catch (error) {
      this.endRun(error);
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

/** Resolves when the signal fires (at once if it already has); never rejects. */
function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

type EventsStage = MessageStages['events'];

/** The stages' events, over streams the stop aborts, so no more of their events go out. */
function abortedBy(stopped: Promise<void>, events: EventsStage): EventsStage {
  // Every object stream in progress listens on this signal, many at once: more than the 10
  // listeners after which Node warns on stderr. The SDK lets go once its request ends.
  const streams = new AbortController();
  setMaxListeners(0, streams.signal);
  void stopped.then(() => streams.abort());
  return (ref: ObjectRef, signal?: AbortSignal) => events(ref, signal ?? streams.signal);
}
