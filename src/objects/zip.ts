// Zip archives read front to back from their local file headers, so an archive streams from
// S3 like any other object (the central directory at the end is never needed). Every file
// entry becomes one part; directories are skipped, and so are the `__MACOSX/` resource forks
// macOS adds to archives it makes (binary metadata, not logs); an archive without entries
// has no parts.
// Stored and deflated entries are read, with or without data descriptors, Zip64 sizes
// included; encrypted entries and other methods are a DecompressError.

import { DecompressError, type ObjectLocation } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { inflateRawFrom } from './inflate.js';

/** One file of an object: the whole object, or one zip entry. Read parts in order. */
export interface ObjectPart {
  /** The entry's name inside an archive; undefined for a plain or gzip object. */
  readonly name?: string;
  readonly bytes: AsyncIterable<Uint8Array>;
}

const LOCAL_FILE_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_DIRECTORY = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const SPLIT_ARCHIVE_MARKER = 0x08074b50;

const LOCAL_HEADER_BYTES = 30;
const ZIP64_EXTRA_FIELD = 0x0001;
const UNKNOWN_32BIT_SIZE = 0xffffffff;

const FLAG_ENCRYPTED = 0x0001;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;

interface LocalHeader {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly compressedBytes: number;
  readonly zip64: boolean;
}

/** True when the bytes open a zip archive (an empty archive is only its end record). */
export function isZipSignature(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const signature = Buffer.from(head.buffer, head.byteOffset, 4).readUInt32LE(0);
  return (
    signature === LOCAL_FILE_HEADER ||
    signature === END_OF_CENTRAL_DIRECTORY ||
    signature === SPLIT_ARCHIVE_MARKER
  );
}

export async function* readZipEntries(
  source: ByteSource,
  location: ObjectLocation,
): AsyncGenerator<ObjectPart> {
  if ((await readSignature(source)) === SPLIT_ARCHIVE_MARKER) await source.skip(4);

  for (;;) {
    const signature = await readSignature(source);
    if (signature !== LOCAL_FILE_HEADER) {
      await finishArchive(source, signature, location);
      return;
    }

    const header = await readLocalHeader(source, location);
    if (isNotALogFile(header.name)) {
      await skipEntryData(source, header, location);
      continue;
    }

    const entry = entryBytes(source, header, location);
    yield { name: header.name, bytes: withoutClose(entry) };
    while ((await entry.next()).done !== true) {
      // The reader stopped early: skip the rest of the entry to reach the next header.
    }
    if ((header.flags & FLAG_DATA_DESCRIPTOR) !== 0) await skipDataDescriptor(source, header);
  }
}

function isNotALogFile(name: string): boolean {
  return name.endsWith('/') || name.startsWith('__MACOSX/');
}

async function readSignature(source: ByteSource): Promise<number | undefined> {
  const bytes = await source.peek(4);
  return bytes.length === 4 ? toBuffer(bytes).readUInt32LE(0) : undefined;
}

async function finishArchive(
  source: ByteSource,
  signature: number | undefined,
  location: ObjectLocation,
): Promise<void> {
  const ends = [CENTRAL_DIRECTORY, END_OF_CENTRAL_DIRECTORY, ZIP64_END_OF_CENTRAL_DIRECTORY];
  if (signature !== undefined && ends.includes(signature)) {
    await source.close();
    return;
  }
  const where = `at byte ${source.position}`;
  const reason = signature === undefined
    ? `zip archive ends ${where} before its central directory (truncated?)`
    : `zip archive is corrupt: no entry header ${where}`;
  throw new DecompressError(location, reason);
}

async function readLocalHeader(source: ByteSource, location: ObjectLocation): Promise<LocalHeader> {
  const fixed = toBuffer(await source.readExactly(LOCAL_HEADER_BYTES));
  if (fixed.length < LOCAL_HEADER_BYTES) throw truncated(location);

  const nameBytes = fixed.readUInt16LE(26);
  const extraBytes = fixed.readUInt16LE(28);
  const variable = toBuffer(await source.readExactly(nameBytes + extraBytes));
  if (variable.length < nameBytes + extraBytes) throw truncated(location);

  const extra = variable.subarray(nameBytes);
  const zip64Field = findExtraField(extra, ZIP64_EXTRA_FIELD);
  const header: LocalHeader = {
    name: variable.subarray(0, nameBytes).toString('utf8'),
    flags: fixed.readUInt16LE(6),
    method: fixed.readUInt16LE(8),
    compressedBytes: compressedSize(fixed, zip64Field),
    zip64: zip64Field !== undefined,
  };
  checkSupported(header, location);
  return header;
}

function findExtraField(extra: Buffer, wantedId: number): Buffer | undefined {
  for (let offset = 0; offset + 4 <= extra.length;) {
    const id = extra.readUInt16LE(offset);
    const size = extra.readUInt16LE(offset + 2);
    if (id === wantedId) return extra.subarray(offset + 4, offset + 4 + size);
    offset += 4 + size;
  }
  return undefined;
}

/**
 * The compressed size; a 32-bit field of 0xFFFFFFFF sends us to the Zip64 extra field, which
 * lists only the sizes that overflowed, the uncompressed one first.
 */
function compressedSize(fixed: Buffer, zip64Field: Buffer | undefined): number {
  const size = fixed.readUInt32LE(18);
  if (size !== UNKNOWN_32BIT_SIZE || zip64Field === undefined) return size;
  const at = fixed.readUInt32LE(22) === UNKNOWN_32BIT_SIZE ? 8 : 0;
  return at + 8 <= zip64Field.length ? Number(zip64Field.readBigUInt64LE(at)) : size;
}

function checkSupported(header: LocalHeader, location: ObjectLocation): void {
  const entry = `zip entry '${header.name}'`;
  if ((header.flags & FLAG_ENCRYPTED) !== 0) {
    throw new DecompressError(location, `${entry} is encrypted`);
  }
  if (header.method !== METHOD_STORED && header.method !== METHOD_DEFLATED) {
    throw new DecompressError(location, `${entry} uses compression method ${header.method}`);
  }
  const sizeUnknown = (header.flags & FLAG_DATA_DESCRIPTOR) !== 0 && header.compressedBytes === 0;
  if (header.method === METHOD_STORED && sizeUnknown) {
    throw new DecompressError(location, `${entry} is stored with no size before its data`);
  }
}

async function* entryBytes(
  source: ByteSource,
  header: LocalHeader,
  location: ObjectLocation,
): AsyncGenerator<Uint8Array> {
  if (header.method === METHOD_STORED) {
    yield* storedBytes(source, header.compressedBytes, location);
    return;
  }
  try {
    yield* inflateRawFrom(source);
  } catch (error) {
    if (error instanceof DecompressError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DecompressError(location, `zip entry '${header.name}': ${reason}`, { cause: error });
  }
}

async function* storedBytes(
  source: ByteSource,
  length: number,
  location: ObjectLocation,
): AsyncGenerator<Uint8Array> {
  let remaining = length;
  while (remaining > 0) {
    const chunk = await source.read();
    if (chunk === undefined) throw truncated(location);
    if (chunk.length > remaining) source.giveBack(chunk.subarray(remaining));
    const piece = chunk.length > remaining ? chunk.subarray(0, remaining) : chunk;
    remaining -= piece.length;
    yield piece;
  }
}

async function skipEntryData(
  source: ByteSource,
  header: LocalHeader,
  location: ObjectLocation,
): Promise<void> {
  const entry = entryBytes(source, header, location);
  while ((await entry.next()).done !== true) {
    // A directory has no data, but a writer may still have stored some: step over it.
  }
  if ((header.flags & FLAG_DATA_DESCRIPTOR) !== 0) await skipDataDescriptor(source, header);
}

/** Skips the CRC and sizes after the data: 12 bytes (20 with Zip64), maybe a signature. */
async function skipDataDescriptor(source: ByteSource, header: LocalHeader): Promise<void> {
  if ((await readSignature(source)) === DATA_DESCRIPTOR) await source.skip(4);
  await source.skip(header.zip64 ? 20 : 12);
}

/** Lets a reader stop iterating a part without closing the archive stream behind it. */
function withoutClose(entry: AsyncGenerator<Uint8Array>): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => ({ next: () => entry.next() }) };
}

function truncated(location: ObjectLocation): DecompressError {
  return new DecompressError(location, 'zip archive is truncated inside an entry');
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
