// Raw deflate that stops where the deflate data ends and gives the bytes after it back to
// the source. Zip entries written with a data descriptor say nothing about their length up
// front, and gzip members follow each other directly, so the only way to find what comes
// next is to let the inflater find the end.

import { createInflateRaw, type InflateRaw } from 'node:zlib';
import type { ByteSource } from './byte-source.js';

/**
 * Input is fed in pieces of at most this size, which bounds the output one piece can
 * produce (a hostile archive inflates at most about 1032:1).
 */
const MAX_PIECE_BYTES = 16 * 1024;

/** One zlib inflater, fed piece by piece, that knows how much of its input it used. */
class RawInflater {
  private readonly zlib: InflateRaw = createInflateRaw();
  private output: Buffer[] = [];
  private failure: Error | undefined;
  private fedBytes = 0;

  constructor() {
    this.zlib.on('data', (chunk: Buffer) => this.output.push(chunk));
    this.zlib.on('error', (error: Error) => {
      this.failure = error;
    });
  }

  /** Resolves once zlib has processed the piece (on its own thread), or failed on it. */
  feed(piece: Uint8Array): Promise<void> {
    this.fedBytes += piece.length;
    return new Promise((resolve) => {
      // A corrupt stream fails with an 'error' event and never calls the write callback.
      const settle = (): void => {
        this.zlib.off('error', settle);
        resolve();
      };
      this.zlib.once('error', settle);
      this.zlib.write(piece, settle);
    });
  }

  /** The output so far; throws zlib's error if the data was corrupt. */
  takeOutput(): Buffer[] {
    if (this.failure !== undefined) throw this.failure;
    const output = this.output;
    this.output = [];
    return output;
  }

  /** Input zlib did not take because the deflate data had ended before it. */
  unusedBytes(): number {
    return this.fedBytes - this.zlib.bytesWritten;
  }

  /** Ends the input; rejects when the deflate data is incomplete. */
  finish(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.zlib.readableEnded) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.zlib.once('end', () => resolve());
      this.zlib.once('error', reject);
      this.zlib.end();
    });
  }

  destroy(): void {
    this.zlib.destroy();
  }
}

/**
 * Inflates the deflate data at the source's position; throws zlib's error if it is cut or
 * corrupt. The next piece is inflated while the reader handles the previous output.
 */
export async function* inflateRawFrom(source: ByteSource): AsyncGenerator<Uint8Array> {
  const inflater = new RawInflater();
  try {
    let piece = await nextPiece(source);
    if (piece !== undefined) await inflater.feed(piece);

    while (piece !== undefined) {
      const ready = inflater.takeOutput();
      const unusedBytes = inflater.unusedBytes();
      if (unusedBytes > 0) {
        source.giveBack(piece.subarray(piece.length - unusedBytes));
        yield* ready;
        return;
      }

      const next = await nextPiece(source);
      const feeding = next === undefined ? undefined : inflater.feed(next);
      yield* ready;
      await feeding;
      piece = next;
    }

    await inflater.finish();
    yield* inflater.takeOutput();
  } finally {
    inflater.destroy();
  }
}

async function nextPiece(source: ByteSource): Promise<Uint8Array | undefined> {
  const chunk = await source.read();
  if (chunk === undefined || chunk.length <= MAX_PIECE_BYTES) return chunk;
  source.giveBack(chunk.subarray(MAX_PIECE_BYTES));
  return chunk.subarray(0, MAX_PIECE_BYTES);
}
