// Loads the datagram addon built from native/ by node-gyp and gives it types.

import { createRequire } from 'node:module';

/** The addon's functions; each throws an Error whose `code` is the errno name. */
export interface DatagramAddon {
  /**
   * A new unconnected AF_UNIX datagram socket for sending. It is blocking, so that
   * sendBatchAsync can wait in the kernel; sendBatch never waits whatever the mode.
   */
  open(): number;
  connect(fd: number, path: string): void;
  /** A new non-blocking datagram socket bound to path (for receivers). */
  bind(path: string): number;
  /**
   * Sends datagrams first .. end-1, datagram i being data[offsets[i] .. offsets[i+1]).
   * Returns how many the kernel took (at most 1024 per call) without waiting; throws if it
   * took none (EAGAIN when the receiver's queue is full).
   */
  sendBatch(fd: number, data: Buffer, offsets: Uint32Array, first: number, end: number): number;
  /**
   * Like sendBatch, but with no cap on the count (several sendmmsg calls in one trip to the
   * thread pool), and a thread-pool thread waits for room, up to the send timeout per
   * datagram. Rejects only when none was taken. data and offsets must stay unchanged until
   * the promise settles.
   */
  sendBatchAsync(
    fd: number,
    data: Buffer,
    offsets: Uint32Array,
    first: number,
    end: number,
  ): Promise<number>;
  /** SO_SNDTIMEO: how long a blocking send waits for room before EAGAIN. */
  setSendTimeout(fd: number, timeoutMs: number): void;
  /** Reads waiting datagrams into slots of slotSize bytes; returns how many (0: none). */
  receiveBatch(fd: number, data: Buffer, slotSize: number, lengths: Uint32Array): number;
  /** Blocks the thread until a datagram waits or timeoutMs passed. Receivers only. */
  waitReadable(fd: number, timeoutMs: number): boolean;
  /** SO_SNDBUF / SO_RCVBUF; returns the size the kernel granted. */
  setBufferSize(fd: number, which: 'send' | 'receive', bytes: number): number;
  /** shutdown(2). A receiver shutting down 'read' makes its senders fail with EPIPE. */
  shutdown(fd: number, how: 'read' | 'write' | 'both'): void;
  close(fd: number): void;
}

/** Node's shape for system errors, which the addon's errors follow. */
export interface SystemError extends Error {
  code: string;
  errno?: number;
  syscall?: string;
  path?: string;
}

export function isSystemError(error: unknown, ...codes: string[]): error is SystemError {
  if (!(error instanceof Error) || typeof (error as SystemError).code !== 'string') return false;
  return codes.length === 0 || codes.includes((error as SystemError).code);
}

let addon: DatagramAddon | undefined;

/** The addon, loaded on first use (dist/wazuh and src/wazuh both sit two levels down). */
export function loadDatagramAddon(): DatagramAddon {
  if (addon === undefined) {
    const require = createRequire(import.meta.url);
    addon = require('../../build/Release/datagram.node') as DatagramAddon;
  }
  return addon;
}
