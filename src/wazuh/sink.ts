// Where events go: analysisd's datagram socket, or a file in dry-run mode.
//
// Events reach a sink already serialised (see serializeEvent in frame.ts): the JSON text that
// follows `1:Wazuh-AWS:` in the datagram, already cut down to what analysisd can read.

export interface EventSink {
  /**
   * Queues serialised events for sending. Resolves when the sink has room for more, which is
   * how backpressure from analysisd reaches the readers; it does not mean they were sent.
   */
  write(events: readonly string[]): Promise<void>;

  /** Resolves once every event written before the call was accepted by the socket. */
  flush(): Promise<void>;

  /** Flushes, then releases the socket or file. */
  close(): Promise<void>;
}
