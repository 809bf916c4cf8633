// Events waiting for the socket, and the batches they are packed into for sendmmsg.

import { DATAGRAM_HEADER, MAX_DATAGRAM_BYTES, fitsDatagram } from './frame.js';

/**
 * Datagrams per batch: one sendmmsg call takes at most 1024 (Linux's UIO_MAXIOV). Batches of
 * 2048 and 4096 (several calls per trip to the thread pool) measured no faster, and cost
 * more CPU and memory.
 */
export const MAX_DATAGRAMS_PER_BATCH = 1024;

const HEADER_BYTES = Buffer.from(DATAGRAM_HEADER, 'latin1');

/** A first-in first-out queue of serialised events, kept as the arrays write() was given. */
export class PendingEvents {
  private readonly chunks: string[][] = [];
  private index = 0;
  private size = 0;

  get count(): number {
    return this.size;
  }

  push(events: string[]): void {
    if (events.length === 0) return;
    this.chunks.push(events);
    this.size += events.length;
  }

  peek(): string | undefined {
    return this.chunks[0]?.[this.index];
  }

  shift(): void {
    this.index++;
    this.size--;
    if (this.index >= this.chunks[0]!.length) {
      this.chunks.shift();
      this.index = 0;
    }
  }
}

/**
 * Up to 1024 datagrams `1:Wazuh-AWS:` + json packed back to back into one buffer, datagram i
 * being data[offsets[i] .. offsets[i+1]), plus how far sending got. Events too long for one
 * datagram are left out here and counted (serializeEvent has normally trimmed them already).
 * The buffer must hold at least one datagram of the longest kind (MAX_DATAGRAM_BYTES).
 */
export class DatagramBatch {
  readonly data: Buffer;
  readonly offsets = new Uint32Array(MAX_DATAGRAMS_PER_BATCH + 1);
  /** Datagrams packed. */
  size = 0;
  /** Datagrams the kernel took or that were skipped, from the first. */
  next = 0;
  /** Events taken from the queue: datagrams plus events left out as too large. */
  events = 0;
  /** Characters of the events taken, for the sink's backpressure accounting. */
  chars = 0;
  /** Events left out or skipped because they are too large for one datagram. */
  tooLarge = 0;
  /** Packed datagrams the kernel refused as too large (EMSGSIZE). */
  skipped = 0;

  constructor(capacityBytes: number) {
    if (capacityBytes < MAX_DATAGRAM_BYTES) {
      throw new RangeError(`batch buffer of ${capacityBytes} bytes: need ${MAX_DATAGRAM_BYTES}`);
    }
    this.data = Buffer.allocUnsafe(capacityBytes);
  }

  /** Moves events from the queue into the batch until it is full or the queue empty. */
  fill(pending: PendingEvents): void {
    for (let json = pending.peek(); json !== undefined; json = pending.peek()) {
      const fits = fitsDatagram(json);
      if (fits && !this.hasRoomFor(json)) return;

      pending.shift();
      this.events++;
      this.chars += json.length;
      if (fits) this.pack(json);
      else this.tooLarge++;
    }
  }

  /** Passes over the next datagram, which the kernel refused as too large. */
  skipDatagram(): void {
    this.next++;
    this.skipped++;
    this.tooLarge++;
  }

  clear(): void {
    this.size = 0;
    this.next = 0;
    this.events = 0;
    this.chars = 0;
    this.tooLarge = 0;
    this.skipped = 0;
  }

  /** Whether one more datagram fits, without counting its bytes exactly. */
  private hasRoomFor(json: string): boolean {
    if (this.size === MAX_DATAGRAMS_PER_BATCH) return false;

    // A UTF-16 code unit takes at most 3 UTF-8 bytes: count exactly only near the end.
    const room = this.data.length - this.offsets[this.size]! - HEADER_BYTES.length;
    return json.length * 3 <= room || Buffer.byteLength(json) <= room;
  }

  /** One write per event: measured faster than joining the batch into one string first. */
  private pack(json: string): void {
    const start = this.offsets[this.size]!;
    this.data.set(HEADER_BYTES, start);
    const written = this.data.write(json, start + HEADER_BYTES.length, 'utf8');
    this.size++;
    this.offsets[this.size] = start + HEADER_BYTES.length + written;
  }
}
