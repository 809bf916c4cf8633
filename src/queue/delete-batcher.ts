// Collects finished messages into DeleteMessageBatch calls of up to ten. Messages finish one
// by one, so a batch goes out when it is full or a moment after its first entry, whichever
// comes first; each caller learns what became of its own message.

import type { MessageQueue, QueueMessage } from './message-queue.js';

/** SQS's limit on entries per DeleteMessageBatch. */
export const MAX_BATCH_ENTRIES = 10;

/** How long a lone deletion waits for company before it is sent. */
const DEFAULT_LINGER_MS = 20;

/** A message SQS refused to delete, with its code (the call itself succeeded). */
export type DeleteOutcome =
  | { readonly kind: 'deleted' }
  | { readonly kind: 'refused'; readonly code: string; readonly reason: string };

interface PendingDelete {
  readonly message: QueueMessage;
  readonly resolve: (outcome: DeleteOutcome) => void;
  readonly reject: (error: unknown) => void;
}

export class DeleteBatcher {
  private readonly queue: MessageQueue;
  private readonly lingerMs: number;
  private pending: PendingDelete[] = [];
  private readonly sending = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(queue: MessageQueue, lingerMs = DEFAULT_LINGER_MS) {
    this.queue = queue;
    this.lingerMs = lingerMs;
  }

  /** Resolves with the outcome; rejects when the DeleteMessageBatch call itself failed. */
  delete(message: QueueMessage): Promise<DeleteOutcome> {
    const outcome = new Promise<DeleteOutcome>((resolve, reject) => {
      this.pending.push({ message, resolve, reject });
    });

    if (this.pending.length >= MAX_BATCH_ENTRIES) this.sendPending();
    else this.timer ??= setTimeout(() => this.sendPending(), this.lingerMs);
    return outcome;
  }

  /** Sends what is pending and waits for every batch in flight. */
  async flush(): Promise<void> {
    this.sendPending();
    await Promise.all(this.sending);
  }

  private sendPending(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;

    const batch = this.pending.splice(0, MAX_BATCH_ENTRIES);
    const sent = this.send(batch).finally(() => this.sending.delete(sent));
    this.sending.add(sent);
    if (this.pending.length > 0) this.sendPending();
  }

  private async send(batch: readonly PendingDelete[]): Promise<void> {
    try {
      const result = await this.queue.deleteBatch(batch.map((entry) => entry.message));
      const refused = new Map(result.failed.map((failure) => [failure.message.id, failure]));

      for (const entry of batch) {
        const failure = refused.get(entry.message.id);
        entry.resolve(failure === undefined
          ? { kind: 'deleted' }
          : { kind: 'refused', code: failure.code, reason: failure.reason });
      }
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
