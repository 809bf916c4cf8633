// Raw deflate that stops where the deflate data ends and gives the bytes after it back to
// the source. Zip entries written with a data descriptor say nothing about their length up
// front, so the only way to find the next entry is to let the inflater find the end.

import { createInflateRaw } from 'node:zlib';
import type { ByteSource } from './byte-source.js';

/**
 * Input is fed in pieces of at most this size, which bounds the output one write can
 * produce (a hostile archive inflates at most about 1032:1).
 */
const MAX_PIECE_BYTES = 16 * 1024;

/**
 * Inflates the deflate data at the source's position; throws zlib's error if it is cut.
 * The next piece is inflated (on zlib's thread) while the reader handles the output of the
 * previous one.
 */
export async function* inflateRawFrom(source: ByteSource): AsyncGenerator<Uint8Array> {
  const inflater = createInflateRaw();
  const output: Buffer[] = [];
  let failure: Error | undefined;
  inflater.on('data', (chunk: Buffer) => output.push(chunk));
  inflater.on('error', (error: Error) => {
    failure = error;
  });
  const write = (piece: Uint8Array): Promise<void> =>
    new Promise((resolve) => inflater.write(piece, () => resolve()));

  let fedBytes = 0;
  try {
    let piece = await nextPiece(source);
    if (piece !== undefined) {
      fedBytes += piece.length;
      await write(piece);
    }
    while (piece !== undefined) {
      if (failure !== undefined) throw failure;
      const ready = output.splice(0);

      // The engine took less than it was given: the deflate data ended inside this piece.
      const unusedBytes = fedBytes - inflater.bytesWritten;
      if (unusedBytes > 0) {
        source.giveBack(piece.subarray(piece.length - unusedBytes));
        yield* ready;
        return;
      }

      const next = await nextPiece(source);
      const writing = next === undefined ? undefined : write(next);
      fedBytes += next?.length ?? 0;
      yield* ready;
      await writing;
      piece = next;
    }
    await endInput(inflater, () => failure);
    yield* output.splice(0);
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

/** Ends the input: resolves when the inflater finished, rejects with its error. */
function endInput(
  inflater: ReturnType<typeof createInflateRaw>,
  failure: () => Error | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (failure() !== undefined || inflater.readableEnded) {
      const error = failure();
      if (error === undefined) resolve();
      else reject(error);
      return;
    }
    inflater.once('end', () => resolve());
    inflater.once('error', reject);
    inflater.end();
  });
}
