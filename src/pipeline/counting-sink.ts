// The dry-run file sink counts nothing itself (the socket sink counts what the kernel took),
// so in dry-run mode this wrapper counts the events written, for the closing summary.

import type { RunStats } from '../stats.js';
import type { EventSink } from '../wazuh/sink.js';

export class CountingSink implements EventSink {
  private readonly inner: EventSink;
  private readonly stats: RunStats;

  constructor(inner: EventSink, stats: RunStats) {
    this.inner = inner;
    this.stats = stats;
  }

  async write(events: readonly string[]): Promise<void> {
    await this.inner.write(events);
    this.stats.eventsSent += events.length;
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
