// From the bytes as stored to the bytes of the log, choosing the decompression by the
// object's first bytes, never by its key (a `.gz` key may hold plain text and a `.json` key
// gzip):
//   - `1f 8b`: gzip, member by member (gzip.ts says what is kept when the end is damaged);
//   - `PK 03 04` (or the end record `PK 05 06` of an empty archive): zip, one part per file;
//   - a compressed format we do not read (bzip2, xz, zstd, 7z, LZ4, the Snappy framing
//     format of Firehose's SNAPPY option, Unix compress; see signatures.ts): a
//     DecompressError naming it, so the message stays in the queue. A raw Snappy block has
//     no signature and reads as text;
//   - anything else, the empty object included: the bytes of the log.
// What gzip or a zip entry holds is looked at again the same way, so gzip inside gzip and
// archives or gzip files inside a zip are read too, at most MAX_LAYERS layers deep so that
// a crafted object (a zip that holds itself) cannot loop.
// The log bytes then pass text-bytes.ts: binary content is a ParseError, and bytes that are
// not UTF-8 are counted for one warning per object.
// Everything streams: memory holds a chunk, never the object.

import { DecompressError, type ObjectLocation } from '../errors.js';
import { ByteSource } from './byte-source.js';
import { gunzipFrom, isGzipSignature, type WarningSink } from './gzip.js';
import { SIGNATURE_BYTES, unsupportedFormat } from './signatures.js';
import { checkedTextBytes, Utf8Counter } from './text-bytes.js';
import { isZipSignature, type ObjectPart, readZipEntries } from './zip.js';

export type { WarningSink } from './gzip.js';
export type { ObjectPart } from './zip.js';

export type Compression = 'gzip' | 'zip' | 'unsupported' | 'none';

/** Layers of compression read before giving up: real logs have one, rarely two. */
export const MAX_LAYERS = 4;

/** The compression the first bytes of an object announce (give ten bytes, if there are). */
export function detectCompression(head: Uint8Array): Compression {
  if (isGzipSignature(head)) return 'gzip';
  if (isZipSignature(head)) return 'zip';
  if (unsupportedFormat(head) !== undefined) return 'unsupported';
  return 'none';
}

/**
 * The decompressed parts of an object, in order: one for a plain or gzip object, one per
 * file for a zip archive. Each part must be read (or abandoned) before asking for the next.
 */
export async function* decompress(
  stored: AsyncIterable<Uint8Array>,
  location: ObjectLocation,
  warn: WarningSink = () => {},
): AsyncGenerator<ObjectPart> {
  const counter = new Utf8Counter();
  yield* layerParts(stored, { location, warn, counter }, 0, undefined);

  if (counter.invalidBytes > 0) {
    const where = `s3://${location.bucket}/${location.key}`;
    warn(`${where}: ${counter.invalidBytes} bytes that are not valid UTF-8 replaced by U+FFFD`);
  }
}

interface ObjectContext {
  readonly location: ObjectLocation;
  readonly warn: WarningSink;
  readonly counter: Utf8Counter;
}

/** The parts of one layer: `depth` layers of compression were already taken off. */
async function* layerParts(
  bytes: AsyncIterable<Uint8Array>,
  context: ObjectContext,
  depth: number,
  name: string | undefined,
): AsyncGenerator<ObjectPart> {
  const { location, warn, counter } = context;
  const source = new ByteSource(bytes);
  try {
    const head = await source.peek(SIGNATURE_BYTES);
    const compression = detectCompression(head);
    if (compression !== 'none' && depth >= MAX_LAYERS) throw tooDeep(location);

    switch (compression) {
      case 'gzip':
        yield* layerParts(gunzipFrom(source, location, warn), context, depth + 1, name);
        return;
      case 'zip':
        for await (const entry of readZipEntries(source, location)) {
          const entryName = name === undefined ? entry.name : `${name}/${entry.name}`;
          yield* layerParts(entry.bytes, context, depth + 1, entryName);
        }
        return;
      case 'unsupported':
        throw unsupported(head, location);
      case 'none':
        yield partOf(name, checkedTextBytes(source.chunks(), location, counter));
        return;
    }
  } finally {
    await source.close();
  }
}

function partOf(name: string | undefined, bytes: AsyncIterable<Uint8Array>): ObjectPart {
  return name === undefined ? { bytes } : { name, bytes };
}

function unsupported(head: Uint8Array, location: ObjectLocation): DecompressError {
  const format = unsupportedFormat(head) ?? 'unknown';
  return new DecompressError(location, `${format}-compressed objects are not supported`);
}

function tooDeep(location: ObjectLocation): DecompressError {
  return new DecompressError(location, `compressed more than ${MAX_LAYERS} layers deep`);
}
