// Sends serialised events to analysisd's AF_UNIX datagram socket, one datagram per event.
//
// - One connected socket for the whole run, opened by open(), not by the constructor.
// - write() queues; a pump packs up to 1024 datagrams per trip to the kernel and starts as
//   soon as the event loop turns, so a burst is batched and a trickle is not held back.
//   While the kernel drains one batch, the next is packed into a second buffer.
// - The kernel's count of datagrams taken is the truth: only the rest is sent again.
// - Backpressure: the send waits on a thread-pool thread for analysisd to drain (never on the
//   event loop); a wait longer than sendTimeoutMs counts as a retry and is tried again, with
//   a short growing pause, up to the stall limit below: nothing is dropped. write() resolves
//   only while the queue holds at most maxQueuedEvents and maxQueuedChars, so readers slow
//   down with analysisd.
//   The default queue is three batches: one in the kernel, one packed, one filling. A deeper
//   queue only adds memory, and lets a writer that never yields starve the send completions.
// - analysisd alive but no longer reading: once no datagram at all was taken for stallLimitMs,
//   fail with WazuhSendError (exit 13), as after the reconnect window; any datagram taken
//   starts the clock again. Otherwise wazuh-modulesd would wait on a run that never ends.
// - analysisd restarting (socket gone, refused or disconnected): reconnect with backoff for at
//   most reconnectWindowMs, then fail with WazuhUnreachableError (exit 11); events not yet
//   taken by the kernel stay unsent, and every later write() and flush() rejects.
// - EMSGSIZE: that one datagram is skipped and counted as too large.

import { setTimeout as sleep } from 'node:timers/promises';

import { WazuhSendError, WazuhUnreachableError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RunStats } from '../stats.js';
import { DatagramBatch, MAX_DATAGRAMS_PER_BATCH, PendingEvents } from './datagram-batch.js';
import { isSystemError, loadDatagramAddon, type DatagramAddon } from './native.js';
import type { EventSink } from './sink.js';

export interface SocketSinkOptions {
  /** analysisd's socket, `<WAZUH>/queue/sockets/queue` (see paths.ts). */
  readonly socketPath: string;
  /** Receives sent, retry, reconnect and too-large counts. */
  readonly stats: RunStats;
  /** Gets one line per lost and regained connection, and one for EMSGSIZE refusals. */
  readonly logger?: Logger;
  /** How long to keep reconnecting after analysisd went away. Default 60 s. */
  readonly reconnectWindowMs?: number;
  /**
   * How long analysisd may take no datagram at all while events wait before the run fails.
   * Default 10 min.
   */
  readonly stallLimitMs?: number;
  /** How long one send waits for analysisd to make room before it counts a retry. 100 ms. */
  readonly sendTimeoutMs?: number;
  /** write() waits while more events than this are queued. Default 3072 (three batches). */
  readonly maxQueuedEvents?: number;
  /** write() waits while more characters of events than this are queued. Default 8 Mi. */
  readonly maxQueuedChars?: number;
  /** Size of each of the two batch buffers. Default 4 MiB. */
  readonly batchBytes?: number;
  /** SO_SNDBUF to ask for; the kernel default when unset. */
  readonly sendBufferBytes?: number;
  /** The native addon; tests hand in a wrapper to observe its calls. */
  readonly addon?: DatagramAddon;
}

/** errno names after which the socket is reopened: analysisd went away or is restarting. */
const RECONNECT_CODES = ['ECONNREFUSED', 'ENOENT', 'ENOTCONN', 'ECONNRESET', 'EPIPE'];

/** errno names of connect() that mean nobody listens at the path: Wazuh is not running. */
const UNREACHABLE_CODES = ['ECONNREFUSED', 'ENOENT', 'ENOTDIR'];

/** errno names that mean analysisd is behind: wait and send again. */
const BUSY_CODES = ['EAGAIN', 'ENOBUFS'];

const RETRY_PAUSE_MS = { first: 1, max: 50 };
const RECONNECT_PAUSE_MS = { first: 50, max: 1_000 };

interface Waiter {
  readonly doneTarget: number;
  resolve(): void;
  reject(error: unknown): void;
}

export class WazuhSocketSink implements EventSink {
  private readonly socketPath: string;
  private readonly stats: RunStats;
  private readonly logger: Logger | undefined;
  private readonly reconnectWindowMs: number;
  private readonly stallLimitMs: number;
  private readonly sendTimeoutMs: number;
  private readonly maxQueuedEvents: number;
  private readonly maxQueuedChars: number;
  private readonly sendBufferBytes: number | undefined;
  private readonly addon: DatagramAddon;
  private readonly batches: [DatagramBatch, DatagramBatch];
  private readonly pending = new PendingEvents();

  private fd = -1;
  private opened = false;
  private pumping = false;
  private pumpStopped: Promise<void> = Promise.resolve();
  private failure: unknown;
  private writtenCount = 0;
  private doneCount = 0;
  private queuedChars = 0;
  private retryPauseMs = RETRY_PAUSE_MS.first;
  /** When the kernel last took a datagram, or the pump started with events to send. */
  private lastProgressMs = 0;
  private refusedAsTooLarge = 0;
  private roomWaiters: Waiter[] = [];
  private flushWaiters: Waiter[] = [];

  constructor(options: SocketSinkOptions) {
    this.socketPath = options.socketPath;
    this.stats = options.stats;
    this.logger = options.logger;
    this.reconnectWindowMs = options.reconnectWindowMs ?? 60_000;
    this.stallLimitMs = options.stallLimitMs ?? 10 * 60_000;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 100;
    this.maxQueuedEvents = options.maxQueuedEvents ?? 3 * MAX_DATAGRAMS_PER_BATCH;
    this.maxQueuedChars = options.maxQueuedChars ?? 8 * 1024 * 1024;
    this.sendBufferBytes = options.sendBufferBytes;
    this.addon = options.addon ?? loadDatagramAddon();
    const batchBytes = options.batchBytes ?? 4 * 1024 * 1024;
    this.batches = [new DatagramBatch(batchBytes), new DatagramBatch(batchBytes)];
  }

  /** Connects to analysisd. Throws WazuhUnreachableError when nothing listens there. */
  async open(): Promise<void> {
    if (this.opened) throw new Error('WazuhSocketSink.open() called twice');

    try {
      this.connect();
    } catch (error) {
      if (isSystemError(error, ...UNREACHABLE_CODES)) {
        throw new WazuhUnreachableError(this.socketPath, { cause: error });
      }
      throw new WazuhSendError(describe(error), { cause: error });
    }
    this.opened = true;
  }

  write(events: readonly string[]): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (!this.opened) return Promise.reject(new Error('WazuhSocketSink is not open'));

    this.pending.push(events.slice());
    this.writtenCount += events.length;
    for (const json of events) this.queuedChars += json.length;
    this.startPump();

    if (this.hasRoom()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.roomWaiters.push({ doneTarget: 0, resolve, reject });
    });
  }

  flush(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.doneCount >= this.writtenCount) return Promise.resolve();

    return new Promise((resolve, reject) => {
      this.flushWaiters.push({ doneTarget: this.writtenCount, resolve, reject });
    });
  }

  /** Flushes, waits for the pump to stop using the socket, then closes it. */
  async close(): Promise<void> {
    if (!this.opened) return;

    this.opened = false;
    try {
      await this.flush();
    } finally {
      await this.pumpStopped;
      this.closeSocket();
      this.reportRefusals();
    }
  }

  private hasRoom(): boolean {
    const queuedEvents = this.writtenCount - this.doneCount;
    return queuedEvents <= this.maxQueuedEvents && this.queuedChars <= this.maxQueuedChars;
  }

  private startPump(): void {
    if (this.pumping) return;

    this.pumping = true;
    this.lastProgressMs = Date.now();
    this.pumpStopped = new Promise((resolve) => {
      setImmediate(() => {
        this.pump()
          .catch((error: unknown) => this.fail(error))
          .finally(resolve);
      });
    });
  }

  /** Sends batches until the queue is empty, packing the next while the kernel takes one. */
  private async pump(): Promise<void> {
    let [current, spare] = this.batches;
    current.fill(this.pending);

    while (current.events > 0) {
      const sending = this.sendAll(current);
      spare.fill(this.pending);
      await sending;

      this.settle(current);
      [current, spare] = [spare, current];
      if (current.events === 0) current.fill(this.pending);
    }
    // In the same step as the empty check above, so that any later write starts a new pump.
    this.pumping = false;
  }

  private async sendAll(batch: DatagramBatch): Promise<void> {
    while (batch.next < batch.size) {
      try {
        batch.next += await this.addon.sendBatchAsync(
          this.fd,
          batch.data,
          batch.offsets,
          batch.next,
          batch.size,
        );
        this.retryPauseMs = RETRY_PAUSE_MS.first;
        this.lastProgressMs = Date.now();
      } catch (error) {
        await this.recover(error, batch);
      }
    }
  }

  /** Decides what a failed send means: wait, skip one datagram, reconnect, or give up. */
  private async recover(error: unknown, batch: DatagramBatch): Promise<void> {
    if (isSystemError(error, ...BUSY_CODES)) {
      this.checkStall();
      this.stats.sendRetries++;
      await sleep(this.retryPauseMs);
      this.retryPauseMs = Math.min(this.retryPauseMs * 2, RETRY_PAUSE_MS.max);
    } else if (isSystemError(error, 'EMSGSIZE')) {
      batch.skipDatagram();
      this.refusedAsTooLarge++;
    } else if (isSystemError(error, ...RECONNECT_CODES) || this.fd < 0) {
      await this.reconnect(error);
    } else {
      throw new WazuhSendError(describe(error), { cause: error });
    }
  }

  /** Gives up once analysisd has taken nothing for stallLimitMs; the batch stays unsent. */
  private checkStall(): void {
    if (Date.now() - this.lastProgressMs < this.stallLimitMs) return;

    // The limit, not the time measured: past it by up to one send timeout, which says nothing.
    const seconds = this.stallLimitMs / 1000;
    throw new WazuhSendError(
      `analysisd accepted nothing for ${seconds} s; it is running but not reading its socket`,
    );
  }

  /** Reopens the socket, retrying with backoff until the reconnect window closes. */
  private async reconnect(cause: unknown): Promise<void> {
    this.closeSocket();
    const startMs = Date.now();
    const deadlineMs = startMs + this.reconnectWindowMs;
    let pauseMs = RECONNECT_PAUSE_MS.first;
    let lastError = cause;
    this.logger?.warning(
      `Lost analysisd's socket ${this.socketPath} (${describeCode(cause)}); ` +
        `reconnecting for up to ${this.reconnectWindowMs / 1000} s`,
    );

    while (Date.now() < deadlineMs) {
      await sleep(Math.min(pauseMs, Math.max(0, deadlineMs - Date.now())));
      try {
        this.connect();
        this.stats.reconnects++;
        this.logger?.info(`Reconnected to analysisd after ${Date.now() - startMs} ms`);
        return;
      } catch (error) {
        if (!isSystemError(error, ...RECONNECT_CODES, ...UNREACHABLE_CODES)) {
          throw new WazuhSendError(describe(error), { cause: error });
        }
        lastError = error;
      }
      pauseMs = Math.min(pauseMs * 2, RECONNECT_PAUSE_MS.max);
    }
    throw new WazuhUnreachableError(this.socketPath, { cause: lastError });
  }

  private connect(): void {
    const fd = this.addon.open();
    try {
      if (this.sendBufferBytes !== undefined) {
        this.addon.setBufferSize(fd, 'send', this.sendBufferBytes);
      }
      this.addon.setSendTimeout(fd, this.sendTimeoutMs);
      this.addon.connect(fd, this.socketPath);
    } catch (error) {
      this.addon.close(fd);
      throw error;
    }
    this.fd = fd;
  }

  private closeSocket(): void {
    if (this.fd < 0) return;

    const fd = this.fd;
    this.fd = -1;
    this.addon.close(fd);
  }

  private reportRefusals(): void {
    if (this.refusedAsTooLarge === 0) return;

    this.logger?.warning(
      `analysisd's socket refused ${this.refusedAsTooLarge} event(s) as too large ` +
        '(EMSGSIZE); they were skipped',
    );
  }

  /** Counts a finished batch and wakes the writers and flushers it frees. */
  private settle(batch: DatagramBatch): void {
    this.stats.eventsSent += batch.size - batch.skipped;
    this.stats.eventsTooLarge += batch.tooLarge;
    this.doneCount += batch.events;
    this.queuedChars -= batch.chars;
    batch.clear();

    if (this.hasRoom()) this.roomWaiters = resolveAll(this.roomWaiters);
    this.flushWaiters = resolveReached(this.flushWaiters, this.doneCount);
  }

  private fail(error: unknown): void {
    this.failure = error;
    for (const waiter of [...this.roomWaiters, ...this.flushWaiters]) waiter.reject(error);
    this.roomWaiters = [];
    this.flushWaiters = [];
  }
}

function resolveAll(waiters: Waiter[]): Waiter[] {
  for (const waiter of waiters) waiter.resolve();
  return [];
}

function resolveReached(waiters: Waiter[], doneCount: number): Waiter[] {
  const waiting: Waiter[] = [];
  for (const waiter of waiters) {
    if (waiter.doneTarget <= doneCount) waiter.resolve();
    else waiting.push(waiter);
  }
  return waiting;
}

function describeCode(error: unknown): string {
  return isSystemError(error) ? error.code : describe(error);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
