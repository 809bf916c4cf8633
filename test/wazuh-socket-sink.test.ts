import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ExitCode, WazuhSendError, WazuhUnreachableError } from '../src/errors.js';
import { Logger } from '../src/log.js';
import { RunStats } from '../src/stats.js';
import { DATAGRAM_HEADER } from '../src/wazuh/frame.js';
import { loadDatagramAddon, type DatagramAddon } from '../src/wazuh/native.js';
import { WazuhSocketSink, type SocketSinkOptions } from '../src/wazuh/socket-sink.js';

const addon = loadDatagramAddon();

interface ReceiverPace {
  /** How often the socket is read. */
  readonly intervalMs: number;
  /** Most datagrams taken per read, to play an analysisd that is slow but keeps going. */
  readonly maxPerTick: number;
}

/** Plays analysisd in this process: drains its socket every millisecond unless paused. */
class TestReceiver {
  readonly datagrams: string[] = [];
  private readonly data = Buffer.alloc(70_000 * 32);
  private readonly lengths: Uint32Array;
  private readonly fd: number;
  private readonly timer: NodeJS.Timeout;
  private paused = false;
  private closed = false;

  constructor(
    readonly path: string,
    { intervalMs, maxPerTick }: ReceiverPace = { intervalMs: 1, maxPerTick: Infinity },
  ) {
    this.fd = addon.bind(path);
    this.lengths = new Uint32Array(Math.min(32, maxPerTick));
    this.timer = setInterval(() => this.paused || this.drain(maxPerTick), intervalMs);
  }

  drain(maxCount = Infinity): void {
    let taken = 0;
    for (let n = this.receive(); n > 0; n = taken < maxCount ? this.receive() : 0) {
      taken += n;
      for (let i = 0; i < n; i++) {
        const start = i * 70_000;
        this.datagrams.push(this.data.toString('utf8', start, start + this.lengths[i]!));
      }
    }
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Like analysisd going down, minus the loss: refuse new datagrams, keep those accepted. */
  stop(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    addon.shutdown(this.fd, 'read');
    rmSync(this.path, { force: true });
    this.drain();
    addon.close(this.fd);
  }

  async waitFor(count: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.datagrams.length < count && Date.now() < deadline) await sleep(5);
    if (this.datagrams.length < count) {
      throw new Error(`receiver got ${this.datagrams.length} of ${count} datagrams`);
    }
  }

  private receive(): number {
    return addon.receiveBatch(this.fd, this.data, 70_000, this.lengths);
  }
}

/** Events numbered from first, serialised as the pipeline hands them over. */
function numberedEvents(first: number, count: number, padding = 80): string[] {
  const pad = 'p'.repeat(padding);
  return Array.from({ length: count }, (_, i) => JSON.stringify({ seq: first + i, pad }));
}

function sequenceNumbers(datagrams: string[]): number[] {
  return datagrams.map((datagram) => {
    expect(datagram.startsWith(DATAGRAM_HEADER)).toBe(true);
    return (JSON.parse(datagram.slice(DATAGRAM_HEADER.length)) as { seq: number }).seq;
  });
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/** Writes count numbered events in chunks, awaiting each write as a reader would. */
async function writeNumbered(sink: WazuhSocketSink, count: number, chunk = 50): Promise<void> {
  for (let first = 0; first < count; first += chunk) {
    await sink.write(numberedEvents(first, Math.min(chunk, count - first)));
  }
}

describe('WazuhSocketSink', () => {
  let dir: string;
  let path: string;
  let stats: RunStats;
  const receivers: TestReceiver[] = [];
  const sinks: WazuhSocketSink[] = [];

  const startReceiver = (pace?: ReceiverPace): TestReceiver => {
    const receiver = new TestReceiver(path, pace);
    receivers.push(receiver);
    return receiver;
  };

  const newSink = (options: Partial<SocketSinkOptions> = {}): WazuhSocketSink => {
    const sink = new WazuhSocketSink({ socketPath: path, stats, ...options });
    sinks.push(sink);
    return sink;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socket-sink-'));
    path = join(dir, 'queue');
    stats = new RunStats();
  });

  afterEach(async () => {
    for (const sink of sinks.splice(0)) await sink.close().catch(() => undefined);
    for (const receiver of receivers.splice(0)) receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects in open(), not before, and fails with exit 11 on a missing socket', async () => {
    const sink = newSink();

    const opening = sink.open();

    await expect(opening).rejects.toBeInstanceOf(WazuhUnreachableError);
    await expect(opening).rejects.toMatchObject({
      exitCode: ExitCode.wazuhUnreachable,
      message: `Wazuh must be running. Cannot connect to ${path}: ENOENT`,
      socketPath: path,
    });
  });

  it('fails open() with exit 11 when nobody listens on the socket file', async () => {
    addon.close(addon.bind(path));

    await expect(newSink().open()).rejects.toMatchObject({ exitCode: 11 });
  });

  it('sends each event as one datagram 1:Wazuh-AWS:<json>, in order, and counts them', async () => {
    const receiver = startReceiver();
    const sink = newSink();
    await sink.open();
    const events = numberedEvents(0, 500);

    await sink.write(events);
    await sink.flush();
    await receiver.waitFor(500);

    expect(receiver.datagrams).toEqual(events.map((json) => DATAGRAM_HEADER + json));
    expect(stats.eventsSent).toBe(500);
  });

  it('packs up to 1024 events into each trip to the kernel', async () => {
    const receiver = startReceiver();
    let calls = 0;
    const counting: DatagramAddon = {
      ...addon,
      sendBatchAsync: (...args) => (calls++, addon.sendBatchAsync(...args)),
    };
    const sink = newSink({ addon: counting });
    await sink.open();

    await writeNumbered(sink, 5000, 100);
    await sink.flush();
    await receiver.waitFor(5000);

    // At most 1024 per batch, so at least five; far fewer than one per event or per write.
    expect(calls).toBeGreaterThanOrEqual(5);
    expect(calls).toBeLessThanOrEqual(25);
  });

  it('sends a lone event promptly, without waiting for more or for flush()', async () => {
    const receiver = startReceiver();
    const sink = newSink();
    await sink.open();

    await sink.write(['{"alone":true}']);

    await receiver.waitFor(1, 5_000);
    expect(receiver.datagrams).toEqual([`${DATAGRAM_HEADER}{"alone":true}`]);
  });

  it('resolves flush() only once every earlier event was taken by the kernel', async () => {
    const receiver = startReceiver();
    const sink = newSink();
    await sink.open();
    await writeNumbered(sink, 2000);

    await sink.flush();

    receiver.drain();
    expect(sequenceNumbers(receiver.datagrams)).toEqual(range(2000));
  });

  it('sends everything written before close(), then refuses further writes', async () => {
    const receiver = startReceiver();
    const sink = newSink();
    await sink.open();
    void sink.write(numberedEvents(0, 3000));

    await sink.close();

    receiver.drain();
    expect(sequenceNumbers(receiver.datagrams)).toEqual(range(3000));
    await expect(sink.write(numberedEvents(3000, 1))).rejects.toThrow('not open');
  });

  it('keeps write() pending while analysisd is stalled, then releases it', async () => {
    const receiver = startReceiver();
    receiver.pause();
    const sink = newSink({ maxQueuedChars: 10_000 });
    await sink.open();
    let released = false;

    const writing = sink.write(numberedEvents(0, 500)).then(() => (released = true));
    await sleep(300);
    const releasedWhileStalled = released;
    receiver.resume();
    await writing;

    expect(releasedWhileStalled).toBe(false);
    await sink.flush();
    await receiver.waitFor(500);
  });

  it('loses nothing when analysisd stalls for 2 s mid-stream', async () => {
    const receiver = startReceiver();
    const sink = newSink();
    await sink.open();

    const writing = writeNumbered(sink, 6000);
    await receiver.waitFor(2000);
    receiver.pause();
    await sleep(2_000);
    receiver.resume();
    await writing;
    await sink.flush();
    await receiver.waitFor(6000);

    expect(sequenceNumbers(receiver.datagrams)).toEqual(range(6000));
    expect(stats.sendRetries).toBeGreaterThan(0);
    expect(stats.eventsSent).toBe(6000);
  });

  it('loses nothing when the socket file is removed and recreated mid-stream', async () => {
    const first = startReceiver();
    const lines: string[] = [];
    const sink = newSink({ logger: new Logger(0, (line) => lines.push(line)) });
    await sink.open();

    const writing = writeNumbered(sink, 6000);
    await first.waitFor(2000);
    first.stop();
    await sleep(300);
    expect(existsSync(path)).toBe(false);
    const second = startReceiver();
    await writing;
    await sink.flush();
    await second.waitFor(6000 - first.datagrams.length);

    const received = [...first.datagrams, ...second.datagrams];
    expect(sequenceNumbers(received)).toEqual(range(6000));
    expect(stats.reconnects).toBe(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^WARNING: Lost analysisd's socket .* \(E[A-Z]+\); reconnecting/);
    expect(lines[1]).toMatch(/^INFO: Reconnected to analysisd after \d+ ms$/);
  });

  it('fails with exit 11 when analysisd is not back within the reconnect window', async () => {
    const receiver = startReceiver();
    const sink = newSink({ reconnectWindowMs: 300 });
    await sink.open();
    await sink.write(numberedEvents(0, 100));
    await sink.flush();
    receiver.stop();

    await sink.write(numberedEvents(100, 100)).catch(() => undefined);
    const flushing = sink.flush();

    await expect(flushing).rejects.toBeInstanceOf(WazuhUnreachableError);
    await expect(flushing).rejects.toMatchObject({ exitCode: 11 });
    await expect(sink.write(numberedEvents(200, 1))).rejects.toBeInstanceOf(WazuhUnreachableError);
    expect(stats.eventsSent).toBe(100);
  });

  it('fails with exit 13 once analysisd took nothing for the stall limit', async () => {
    const receiver = startReceiver();
    receiver.pause();
    const sink = newSink({ stallLimitMs: 400 });
    await sink.open();

    await sink.write(numberedEvents(0, 500)).catch(() => undefined);
    const flushing = sink.flush();

    await expect(flushing).rejects.toBeInstanceOf(WazuhSendError);
    await expect(flushing).rejects.toMatchObject({ exitCode: ExitCode.wazuhSendFailed });
    await expect(flushing).rejects.toThrow(/analysisd accepted nothing for 0\.4 s;/);
    await expect(sink.write(numberedEvents(500, 1))).rejects.toBeInstanceOf(WazuhSendError);
    receiver.drain();
    expect(receiver.datagrams.length).toBeGreaterThan(0);
    expect(receiver.datagrams.length).toBeLessThan(500);
    expect(stats.eventsSent).toBeLessThan(500);
  });

  it('never trips the stall limit while a slow analysisd keeps taking datagrams', async () => {
    // Three datagrams every 100 ms: 60 events take well over the 1 s limit, and sends give up
    // waiting (10 ms) between reads, so the sink sees analysisd busy again and again.
    const receiver = startReceiver({ intervalMs: 100, maxPerTick: 3 });
    const sink = newSink({ stallLimitMs: 1_000, sendTimeoutMs: 10 });
    await sink.open();
    const startMs = Date.now();

    await writeNumbered(sink, 60, 10);
    await sink.flush();
    await receiver.waitFor(60);

    expect(Date.now() - startMs).toBeGreaterThan(1_000);
    expect(sequenceNumbers(receiver.datagrams)).toEqual(range(60));
    expect(stats.sendRetries).toBeGreaterThan(0);
  });

  it('skips and counts an event the kernel refuses as too large (EMSGSIZE)', async () => {
    const receiver = startReceiver();
    const lines: string[] = [];
    const sink = newSink({
      sendBufferBytes: 4096,
      logger: new Logger(0, (line) => lines.push(line)),
    });
    await sink.open();
    const big = JSON.stringify({ seq: 1, pad: 'b'.repeat(30_000) });

    await sink.write([...numberedEvents(0, 1), big, ...numberedEvents(2, 1)]);
    await sink.close();
    await receiver.waitFor(2);

    expect(sequenceNumbers(receiver.datagrams)).toEqual([0, 2]);
    expect(stats.eventsTooLarge).toBe(1);
    expect(stats.eventsSent).toBe(2);
    expect(lines).toEqual([
      "WARNING: analysisd's socket refused 1 event(s) as too large (EMSGSIZE); they were skipped",
    ]);
  });

  it('sends a 65535-byte datagram whole, even from the smallest batch buffer', async () => {
    const receiver = startReceiver();
    const sink = newSink({ batchBytes: 65_535 });
    await sink.open();
    const skeleton = JSON.stringify({ seq: 0, pad: '' });
    const longest = JSON.stringify({ seq: 0, pad: 'd'.repeat(65_535 - 12 - skeleton.length) });

    await sink.write([longest, ...numberedEvents(1, 2)]);
    await sink.flush();
    await receiver.waitFor(3);

    expect(Buffer.byteLength(receiver.datagrams[0]!)).toBe(65_535);
    expect(sequenceNumbers(receiver.datagrams)).toEqual([0, 1, 2]);
    expect(() => newSink({ batchBytes: 65_534 })).toThrow(RangeError);
  });

  it('never sends a datagram analysisd would cut: it counts longer events instead', async () => {
    const receiver = startReceiver();
    const sink = newSink();
    await sink.open();
    const tooLong = JSON.stringify({ seq: 1, pad: 'c'.repeat(65_535) });

    await sink.write([...numberedEvents(0, 1), tooLong, ...numberedEvents(2, 1)]);
    await sink.flush();
    await receiver.waitFor(2);

    expect(sequenceNumbers(receiver.datagrams)).toEqual([0, 2]);
    expect(stats.eventsTooLarge).toBe(1);
  });
});
