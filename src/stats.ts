// Counters for one run, printed in the closing INFO line. One instance per run, passed down.

export class RunStats {
  readonly startedAtMs = Date.now();

  /** Messages received for the first time in this run. */
  messagesReceived = 0;
  /** Deliveries of a message this run already had (its visibility lapsed); not processed. */
  deliveriesRepeated = 0;
  messagesDeleted = 0;
  /** Messages left in the queue (or deleted under --skip_on_error) because they failed. */
  messagesFailed = 0;
  objects = 0;
  /** Bytes read from S3, as stored (compressed). */
  bytes = 0;
  eventsSent = 0;
  eventsDiscarded = 0;
  eventsTrimmed = 0;
  eventsTooLarge = 0;
  sendRetries = 0;
  reconnects = 0;

  elapsedSeconds(): number {
    return (Date.now() - this.startedAtMs) / 1000;
  }
}
