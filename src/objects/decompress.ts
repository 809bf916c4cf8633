// From the bytes as stored to the bytes of the log, choosing the decompression by the
// object's first bytes, never by its key (a `.gz` key may hold plain text and a `.json` key
// gzip):
//   - `1f 8b`: gzip, member by member (gzip.ts says what is kept when the end is damaged);
//   - `PK 03 04` (or the end record `PK 05 06` of an empty archive): zip, one part per file;
//   - the Snappy framing format (`ff 06 00 00 sNaPpY`, Firehose's SNAPPY option): not
//     supported, a DecompressError. A raw Snappy block has no signature and reads as text;
//   - anything else, the empty object included: plain bytes.
// Everything streams: memory holds a chunk, never the object.

import { DecompressError, type ObjectLocation } from '../errors.js';
import { ByteSource } from './byte-source.js';
import { gunzipFrom, isGzipSignature, type WarningSink } from './gzip.js';
import { isZipSignature, type ObjectPart, readZipEntries } from './zip.js';

export type { WarningSink } from './gzip.js';
export type { ObjectPart } from './zip.js';

export type Compression = 'gzip' | 'zip' | 'snappy-framed' | 'none';

/** The first chunk of every Snappy framed stream: type ff, length 6, then `sNaPpY`. */
const SNAPPY_STREAM_IDENTIFIER = Buffer.from('ff060000734e61507059', 'hex');
const SIGNATURE_BYTES = SNAPPY_STREAM_IDENTIFIER.length;

/** The compression the first bytes of an object announce (give ten bytes, if there are). */
export function detectCompression(head: Uint8Array): Compression {
  if (isGzipSignature(head)) return 'gzip';
  if (isZipSignature(head)) return 'zip';
  if (SNAPPY_STREAM_IDENTIFIER.equals(head.subarray(0, SIGNATURE_BYTES))) return 'snappy-framed';
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
  const source = new ByteSource(stored);
  try {
    switch (detectCompression(await source.peek(SIGNATURE_BYTES))) {
      case 'gzip':
        yield { bytes: gunzipFrom(source, location, warn) };
        return;
      case 'zip':
        yield* readZipEntries(source, location);
        return;
      case 'snappy-framed':
        throw new DecompressError(location, 'Snappy-compressed objects are not supported');
      case 'none':
        yield { bytes: source.chunks() };
        return;
    }
  } finally {
    await source.close();
  }
}
