import { deflateRawSync, gzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { DecompressError } from '../src/errors.js';
import { ByteSource } from '../src/objects/byte-source.js';
import { decompress, detectCompression } from '../src/objects/decompress.js';
import { inflateRawFrom } from '../src/objects/inflate.js';

const location = { bucket: 'logs', key: 'archive/object.gz' };

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) {
    yield bytes.subarray(start, start + size);
  }
}

async function collect(bytes: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of bytes) parts.push(part);
  return Buffer.concat(parts);
}

type Part = [name: string | undefined, text: string];

/** Every part of a decompressed object, as names and texts. */
async function parts(stored: Uint8Array, chunkSize = 64, warnings: string[] = []): Promise<Part[]> {
  const result: Part[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
  };
  for await (const part of decompress(chunked(stored, chunkSize), location, warn)) {
    result.push([part.name, (await collect(part.bytes)).toString('utf8')]);
  }
  return result;
}

interface ZipEntry {
  readonly name: string;
  readonly text: string;
  readonly deflate?: boolean;
  /** Sizes after the data (streaming writers), with or without the optional signature. */
  readonly descriptor?: 'signed' | 'unsigned';
}

/** A zip archive written the way streaming writers do; the central directory is a stub. */
function zipArchive(entries: readonly ZipEntry[]): Buffer {
  const pieces: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.text);
    const stored = entry.deflate === true ? deflateRawSync(data) : data;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(entry.descriptor === undefined ? 0 : 0x0008, 6);
    header.writeUInt16LE(entry.deflate === true ? 8 : 0, 8);
    header.writeUInt32LE(entry.descriptor === undefined ? stored.length : 0, 18);
    header.writeUInt32LE(entry.descriptor === undefined ? data.length : 0, 22);
    header.writeUInt16LE(Buffer.byteLength(entry.name), 26);
    pieces.push(header, Buffer.from(entry.name), stored);
    if (entry.descriptor !== undefined) pieces.push(dataDescriptor(entry.descriptor, stored, data));
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  pieces.push(end);
  return Buffer.concat(pieces);
}

function dataDescriptor(kind: 'signed' | 'unsigned', stored: Buffer, data: Buffer): Buffer {
  const sizes = Buffer.alloc(12);
  sizes.writeUInt32LE(stored.length, 4);
  sizes.writeUInt32LE(data.length, 8);
  if (kind === 'unsigned') return sizes;
  const signature = Buffer.alloc(4);
  signature.writeUInt32LE(0x08074b50, 0);
  return Buffer.concat([signature, sizes]);
}

/** A Zip64 local entry: 32-bit sizes of 0xFFFFFFFF, or a data descriptor with 8-byte sizes. */
function zip64Entry(name: string, method: number, data: Buffer, descriptor: boolean): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(45, 4);
  header.writeUInt16LE(descriptor ? 0x0008 : 0, 6);
  header.writeUInt16LE(method, 8);
  header.writeUInt32LE(descriptor ? 0 : 0xffffffff, 18);
  header.writeUInt32LE(descriptor ? 0 : 0xffffffff, 22);
  header.writeUInt16LE(Buffer.byteLength(name), 26);
  header.writeUInt16LE(20, 28);
  const extra = Buffer.alloc(20);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(16, 2);
  extra.writeBigUInt64LE(descriptor ? 0n : BigInt(data.length), 4);
  extra.writeBigUInt64LE(descriptor ? 0n : BigInt(data.length), 12);
  const pieces = [header, Buffer.from(name), extra, data];
  if (descriptor) {
    const trailer = Buffer.alloc(24);
    trailer.writeUInt32LE(0x08074b50, 0);
    trailer.writeBigUInt64LE(BigInt(data.length), 8);
    trailer.writeBigUInt64LE(BigInt(data.length), 16);
    pieces.push(trailer);
  }
  return Buffer.concat(pieces);
}

describe('detectCompression', () => {
  it('goes by the first bytes: gzip, zip, an empty zip, Snappy framing, anything else', () => {
    expect(detectCompression(Uint8Array.from([0x1f, 0x8b, 8, 0]))).toBe('gzip');
    expect(detectCompression(Buffer.from('PK\x03\x04', 'latin1'))).toBe('zip');
    expect(detectCompression(Buffer.from('PK\x05\x06', 'latin1'))).toBe('zip');
    expect(detectCompression(Buffer.from('ff060000734e61507059', 'hex'))).toBe('unsupported');
    expect(detectCompression(Buffer.from('{"Records":[]}'))).toBe('none');
    expect(detectCompression(new Uint8Array(0))).toBe('none');
  });
});

describe('decompress', () => {
  it('passes plain bytes through, whatever the key says', async () => {
    expect(await parts(Buffer.from('plain text\n'))).toEqual([[undefined, 'plain text\n']]);
  });

  it('gunzips a gzip object read in small chunks', async () => {
    const text = 'line\n'.repeat(5000);
    expect(await parts(gzipSync(text), 7)).toEqual([[undefined, text]]);
  });

  it('reads every member of a multi-member gzip', async () => {
    const stored = Buffer.concat([gzipSync('one\n'), gzipSync('two\n'), gzipSync('three\n')]);
    expect(await parts(stored)).toEqual([[undefined, 'one\ntwo\nthree\n']]);
  });

  it('keeps a complete gzip member and ignores garbage after it, with a warning', async () => {
    const stored = Buffer.concat([gzipSync('data\n'), Buffer.from('GARBAGE\n')]);
    for (const chunkSize of [1, 5, 64]) {
      const warnings: string[] = [];
      expect(await parts(stored, chunkSize, warnings)).toEqual([[undefined, 'data\n']]);
      const garbageAt = stored.length - 8;
      expect(warnings).toEqual([
        `s3://logs/archive/object.gz: bytes after the gzip data at byte ${garbageAt} ignored`,
      ]);
    }
  });

  it('reads gzip headers with a name, a comment, an extra field and a header CRC', async () => {
    const plain = gzipSync('named\n');
    const header = Buffer.from(plain.subarray(0, 10));
    header[3] = 0x02 | 0x04 | 0x08 | 0x10;
    const optional = Buffer.concat([
      Buffer.from([3, 0, 1, 2, 3]),
      Buffer.from('file.log\0comment\0'),
      Buffer.from([0xab, 0xcd]),
    ]);
    const stored = Buffer.concat([header, optional, plain.subarray(10)]);
    expect(await parts(stored, 3)).toEqual([[undefined, 'named\n']]);
  });

  it('fails a gzip member whose CRC does not match its data', async () => {
    const stored = gzipSync('checked data\n');
    stored.writeUInt32LE((stored.readUInt32LE(stored.length - 8) + 1) >>> 0, stored.length - 8);
    await expect(parts(stored)).rejects.toThrow(/fails its CRC or length check/);
  });

  it('fails a gzip cut inside its deflate data, naming the object', async () => {
    const whole = gzipSync('some text that compresses\n'.repeat(100));
    const failure = parts(whole.subarray(0, whole.length / 2)).catch((error: unknown) => error);
    const error = await failure;
    expect(error).toBeInstanceOf(DecompressError);
    expect((error as DecompressError).exitCode).toBe(8);
    expect((error as DecompressError).message).toContain('s3://logs/archive/object.gz');
  });

  it('keeps complete deflate data whose trailer is missing or cut, with a warning', async () => {
    const whole = gzipSync('complete deflate data\n');
    for (const cut of [8, 3]) {
      const warnings: string[] = [];
      const stored = whole.subarray(0, whole.length - cut);
      expect(await parts(stored, 4, warnings)).toEqual([[undefined, 'complete deflate data\n']]);
      expect(warnings).toEqual([
        's3://logs/archive/object.gz: gzip member 1 has no trailer; its data is kept unchecked',
      ]);
    }
  });

  it('fails a gzip whose deflate data is garbage instead of waiting for more', async () => {
    const header = gzipSync('x').subarray(0, 10);
    const stored = Buffer.concat([header, Buffer.alloc(50_000, 0xff)]);
    await expect(parts(stored, 1000)).rejects.toThrow(/gzip data is corrupt or truncated/);
  });

  it('refuses Snappy framed objects with a DecompressError', async () => {
    const stored = Buffer.concat([Buffer.from('ff060000734e61507059', 'hex'), Buffer.alloc(20)]);
    await expect(parts(stored)).rejects.toThrow(/Snappy/);
  });

  it('reads every file entry of a zip, stored or deflated, skipping directories', async () => {
    const archive = zipArchive([
      { name: 'a.log', text: 'first\n' },
      { name: 'dir/', text: '' },
      { name: '__MACOSX/dir/._b.json', text: '\u0000\u0005\u0016\u0007Mac OS X', deflate: true },
      { name: 'dir/b.json', text: '{"b":1}\n'.repeat(200), deflate: true },
    ]);
    expect(await parts(archive, 5)).toEqual([
      ['a.log', 'first\n'],
      ['dir/b.json', '{"b":1}\n'.repeat(200)],
    ]);
  });

  it('finds the next zip entry after a data descriptor, signed or not', async () => {
    const archive = zipArchive([
      { name: 'one', text: 'x'.repeat(3000), deflate: true, descriptor: 'signed' },
      { name: 'two', text: 'second entry', deflate: true, descriptor: 'unsigned' },
      { name: 'three', text: 'third', deflate: true, descriptor: 'signed' },
    ]);
    for (const chunkSize of [1, 3, 64, 4096]) {
      expect(await parts(archive, chunkSize)).toEqual([
        ['one', 'x'.repeat(3000)],
        ['two', 'second entry'],
        ['three', 'third'],
      ]);
    }
  });

  it('reads Zip64 entries: sizes in the extra field, 8-byte sizes in the descriptor', async () => {
    const stored = Buffer.from('zip64 stored\n');
    const deflated = deflateRawSync(Buffer.from('zip64 deflated\n'));
    const archive = Buffer.concat([
      zip64Entry('stored.log', 0, stored, false),
      zip64Entry('deflated.log', 8, deflated, true),
      Buffer.from('504b0506', 'hex'),
      Buffer.alloc(18),
    ]);
    expect(await parts(archive, 7)).toEqual([
      ['stored.log', 'zip64 stored\n'],
      ['deflated.log', 'zip64 deflated\n'],
    ]);
  });

  it('skips the rest of an entry its reader abandoned', async () => {
    const archive = zipArchive([
      { name: 'big', text: 'y'.repeat(100_000), deflate: true, descriptor: 'signed' },
      { name: 'small', text: 'small' },
    ]);
    const names: Array<string | undefined> = [];
    let lastText = '';
    for await (const part of decompress(chunked(archive, 1000), location)) {
      names.push(part.name);
      for await (const bytes of part.bytes) {
        lastText = Buffer.from(bytes).toString();
        break;
      }
    }
    expect(names).toEqual(['big', 'small']);
    expect(lastText).toBe('small');
  });

  it('reads an archive without entries as no parts', async () => {
    expect(await parts(zipArchive([]))).toEqual([]);
  });

  it('fails a zip cut inside an entry', async () => {
    const archive = zipArchive([{ name: 'a', text: 'z'.repeat(500) }]);
    await expect(parts(archive.subarray(0, 200))).rejects.toThrow(DecompressError);
  });

  it('fails a zip whose deflated entry is cut', async () => {
    const text = 'random ' + Math.PI.toString().repeat(300);
    const archive = zipArchive([{ name: 'a', text, deflate: true }]);
    await expect(parts(archive.subarray(0, 60))).rejects.toThrow(/zip entry 'a'/);
  });

  it('refuses zip entries with compression methods it cannot read', async () => {
    const archive = zipArchive([{ name: 'a', text: 'data' }]);
    archive.writeUInt16LE(12, 8);
    await expect(parts(archive)).rejects.toThrow(/compression method 12/);
  });
});

describe('inflateRawFrom', () => {
  it('stops at the end of the deflate data and gives the bytes after it back', async () => {
    const deflated = deflateRawSync(Buffer.from('hello '.repeat(1000)));
    const after = Buffer.from('NEXT');
    for (const chunkSize of [1, 2, deflated.length, deflated.length + 1, 10_000]) {
      const source = new ByteSource(chunked(Buffer.concat([deflated, after]), chunkSize));
      expect((await collect(inflateRawFrom(source))).toString()).toBe('hello '.repeat(1000));
      expect(Buffer.from(await source.readExactly(10)).toString()).toBe('NEXT');
    }
  });

  it('ends cleanly when the deflate data ends exactly with the stream', async () => {
    const deflated = deflateRawSync(Buffer.from('tail'));
    const source = new ByteSource(chunked(deflated, deflated.length));
    expect((await collect(inflateRawFrom(source))).toString()).toBe('tail');
  });
});

describe('inflateRawFrom on corrupt data', () => {
  it('fails instead of waiting when the deflate data is garbage', async () => {
    const garbage = Buffer.alloc(40_000, 0xff);
    const source = new ByteSource(chunked(garbage, 1000));
    await expect(collect(inflateRawFrom(source))).rejects.toThrow(/invalid/);
  });
});
