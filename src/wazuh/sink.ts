// Where events go: analysisd's datagram socket, or a file in dry-run mode.

import type { WazuhEvent } from '../model.js';

export interface EventSink {
  /**
   * Queues events for sending. Resolves when the sink has room for more, which is how
   * backpressure from analysisd reaches the readers; it does not mean they were sent.
   */
  write(events: readonly WazuhEvent[]): Promise<void>;

  /** Resolves once every event written before the call was accepted by the socket. */
  flush(): Promise<void>;

  /** Flushes, then releases the socket or file. */
  close(): Promise<void>;
}
