// An in-memory MessageQueue for pipeline tests: hands out the messages it was given, records
// deletions and extensions, and can be told to refuse or fail.

import type {
  DeleteBatchResult,
  MessageQueue,
  QueueMessage,
} from '../../src/queue/message-queue.js';

export function message(id: string, body: string, receiveCount = 1): QueueMessage {
  return { id, receiptHandle: `handle-${id}`, body, receiveCount };
}

export class FakeQueue implements MessageQueue {
  readonly label = 'fake-queue';
  readonly deleted: string[] = [];
  readonly deleteCalls: number[] = [];
  readonly extended: string[] = [];
  readonly receiveWaits: number[] = [];
  /** Message ids SQS refuses to delete (a partial batch failure). */
  readonly refuseDelete = new Set<string>();
  receiveError: Error | undefined;
  deleteError: Error | undefined;
  extendError: Error | undefined;
  private readonly waiting: QueueMessage[];

  constructor(messages: QueueMessage[], private readonly timeoutSec = 30) {
    this.waiting = [...messages];
  }

  async receive(maxMessages: number, waitTimeSec: number): Promise<QueueMessage[]> {
    this.receiveWaits.push(waitTimeSec);
    if (this.receiveError !== undefined) throw this.receiveError;
    return this.waiting.splice(0, maxMessages);
  }

  async deleteBatch(messages: readonly QueueMessage[]): Promise<DeleteBatchResult> {
    this.deleteCalls.push(messages.length);
    if (this.deleteError !== undefined) throw this.deleteError;

    const refused = messages.filter((entry) => this.refuseDelete.has(entry.id));
    const deleted = messages.filter((entry) => !this.refuseDelete.has(entry.id));
    this.deleted.push(...deleted.map((entry) => entry.id));
    return {
      deleted,
      failed: refused.map((entry) => ({ message: entry, code: 'ReceiptHandleIsInvalid', reason: 'stale' })),
    };
  }

  async extendVisibility(target: QueueMessage): Promise<void> {
    if (this.extendError !== undefined) throw this.extendError;
    this.extended.push(target.id);
  }

  async visibilityTimeoutSec(): Promise<number> {
    return this.timeoutSec;
  }
}
