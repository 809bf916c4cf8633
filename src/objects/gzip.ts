// gzip read member by member (RFC 1952), so each member's end is known exactly and its CRC
// and length are checked. The rules, chosen to keep every byte that decoded correctly:
//   - members back to back are one stream (`cat a.gz b.gz`, logstash, some log shippers);
//   - bytes after a complete member that do not open another member (padding, garbage) are
//     ignored, with a warning: the data before them was complete and checked;
//   - a member whose deflate data is complete but whose 8-byte trailer is missing or cut is
//     kept, with a warning: deflate's final block marks the end, only the CRC is unchecked;
//   - deflate data that is cut or corrupt, a bad header, or a CRC or length that does not
//     match is a DecompressError naming the object.

import { crc32 } from 'node:zlib';
import { DecompressError, type ObjectLocation } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { inflateRawFrom } from './inflate.js';

/** Told about data accepted with a flaw (ignored garbage, missing trailer). One call each. */
export type WarningSink = (message: string) => void;

const FIXED_HEADER_BYTES = 10;
const TRAILER_BYTES = 8;
const METHOD_DEFLATE = 8;
const FLAG_HEADER_CRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;

export function isGzipSignature(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The decompressed bytes of every member, checked as described above. */
export async function* gunzipFrom(
  source: ByteSource,
  location: ObjectLocation,
  warn: WarningSink,
): AsyncGenerator<Uint8Array> {
  for (let member = 1; ; member++) {
    await skipHeader(source, location);
    let crc = 0;
    let length = 0;
    for await (const chunk of inflateMember(source, location)) {
      crc = crc32(chunk, crc);
      length += chunk.length;
      yield chunk;
    }

    const trailer = Buffer.from(await source.readExactly(TRAILER_BYTES));
    if (trailer.length < TRAILER_BYTES) {
      const where = `${describe(location)}: gzip member ${member}`;
      warn(`${where} has no trailer; its data is kept unchecked`);
      return;
    }
    checkTrailer(trailer, crc, length, member, location);

    const next = await source.peek(2);
    if (next.length === 0) return;
    if (!isGzipSignature(next)) {
      warn(`${describe(location)}: bytes after the gzip data at byte ${source.position} ignored`);
      return;
    }
  }
}

async function* inflateMember(
  source: ByteSource,
  location: ObjectLocation,
): AsyncGenerator<Uint8Array> {
  try {
    yield* inflateRawFrom(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DecompressError(location, `gzip data is corrupt or truncated: ${reason}`, {
      cause: error,
    });
  }
}

async function skipHeader(source: ByteSource, location: ObjectLocation): Promise<void> {
  const fixed = await source.readExactly(FIXED_HEADER_BYTES);
  if (fixed.length < FIXED_HEADER_BYTES || !isGzipSignature(fixed)) {
    throw new DecompressError(location, 'gzip header is truncated or invalid');
  }
  if (fixed[2] !== METHOD_DEFLATE) {
    throw new DecompressError(location, `gzip compression method ${fixed[2]} is not deflate`);
  }

  const flags = fixed[3]!;
  if ((flags & FLAG_EXTRA) !== 0) await skipExtraField(source, location);
  if ((flags & FLAG_NAME) !== 0) await skipZeroTerminated(source, location);
  if ((flags & FLAG_COMMENT) !== 0) await skipZeroTerminated(source, location);
  if ((flags & FLAG_HEADER_CRC) !== 0) await skipOrFail(source, 2, location);
}

async function skipExtraField(source: ByteSource, location: ObjectLocation): Promise<void> {
  const length = await source.readExactly(2);
  if (length.length < 2) throw truncatedHeader(location);
  await skipOrFail(source, length[0]! | (length[1]! << 8), location);
}

async function skipZeroTerminated(source: ByteSource, location: ObjectLocation): Promise<void> {
  for (;;) {
    const chunk = await source.read();
    if (chunk === undefined) throw truncatedHeader(location);
    const zero = chunk.indexOf(0);
    if (zero !== -1) {
      source.giveBack(chunk.subarray(zero + 1));
      return;
    }
  }
}

async function skipOrFail(
  source: ByteSource,
  length: number,
  location: ObjectLocation,
): Promise<void> {
  if ((await source.skip(length)) < length) throw truncatedHeader(location);
}

function checkTrailer(
  trailer: Buffer,
  crc: number,
  length: number,
  member: number,
  location: ObjectLocation,
): void {
  const expectedCrc = trailer.readUInt32LE(0);
  const expectedLength = trailer.readUInt32LE(4);
  // The length field holds the size modulo 2^32.
  if (expectedCrc !== crc >>> 0 || expectedLength !== length % 2 ** 32) {
    throw new DecompressError(location, `gzip member ${member} fails its CRC or length check`);
  }
}

function truncatedHeader(location: ObjectLocation): DecompressError {
  return new DecompressError(location, 'gzip header is truncated');
}

function describe(location: ObjectLocation): string {
  return `s3://${location.bucket}/${location.key}`;
}
