// Counts the row groups being read at once across a whole run. The pipeline works on up to 20
// messages at the same time; without a shared bound, each of their Parquet objects would hold
// a row group in memory at once, so the peak would grow with the message concurrency.

/** A counting semaphore: acquire() waits for a free permit, release() hands it on in order. */
export class ReadPermits {
  private free: number;
  private readonly waiters: (() => void)[] = [];

  constructor(count: number) {
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new RangeError(`read permits: ${count} is not a positive integer`);
    }
    this.free = count;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Passes the permit straight to the longest waiter, so a late caller cannot overtake it. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }
}
