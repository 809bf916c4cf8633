// What this run already did with each message id, so that a message SQS hands out again is
// never processed twice in one run. SQS delivers a message again once its visibility timeout
// lapses: while we still process it (no keepalive, or a timeout of 0 or 1 s), after we left
// it for redelivery, or after a delete that did not take (an outdated receipt handle).
//
// Finished ids are kept for the last MAX_FINISHED_IDS messages only, so a long run's memory
// stays bounded; a message that comes back after more messages than that is processed again.

import type { VisibilityKeepalive } from '../queue/keepalive.js';

const MAX_FINISHED_IDS = 100_000;

/**
 * 'processing': in processing now, under this keepalive. 'sent': every event was accepted and
 * the message is to be deleted. 'left': left in the queue (failed, or a dry run).
 */
export type LedgerEntry =
  | { readonly state: 'processing'; readonly keepalive: VisibilityKeepalive }
  | { readonly state: 'sent' }
  | { readonly state: 'left' };

export class DeliveryLedger {
  private readonly processing = new Map<string, VisibilityKeepalive>();
  private readonly finished = new Map<string, 'sent' | 'left'>();

  lookup(id: string): LedgerEntry | undefined {
    const keepalive = this.processing.get(id);
    if (keepalive !== undefined) return { state: 'processing', keepalive };

    const state = this.finished.get(id);
    return state === undefined ? undefined : { state };
  }

  begin(id: string, keepalive: VisibilityKeepalive): void {
    this.finished.delete(id);
    this.processing.set(id, keepalive);
  }

  finish(id: string, state: 'sent' | 'left'): void {
    this.processing.delete(id);
    this.finished.set(id, state);
    if (this.finished.size > MAX_FINISHED_IDS) this.forgetOldest();
  }

  private forgetOldest(): void {
    const oldest = this.finished.keys().next();
    if (oldest.done !== true) this.finished.delete(oldest.value);
  }
}
