import { deflateRawSync, gzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { DecompressError, ParseError } from '../src/errors.js';
import { decompress, MAX_LAYERS } from '../src/objects/decompress.js';
import { countInvalidUtf8, looksBinary } from '../src/objects/text-bytes.js';

const location = { bucket: 'logs', key: 'odd/object.log' };

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) {
    yield bytes.subarray(start, start + size);
  }
}

type Part = [name: string | undefined, text: string];

async function parts(stored: Uint8Array, warnings: string[] = [], chunkSize = 50): Promise<Part[]> {
  const result: Part[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
  };
  for await (const part of decompress(chunked(stored, chunkSize), location, warn)) {
    const pieces: Uint8Array[] = [];
    for await (const piece of part.bytes) pieces.push(piece);
    result.push([part.name, Buffer.concat(pieces).toString('utf8')]);
  }
  return result;
}

/** A zip archive of stored or deflated entries (the central directory is a stub). */
function zipOf(entries: readonly { name: string; data: Uint8Array; deflate?: boolean }[]): Buffer {
  const pieces: Buffer[] = [];
  for (const entry of entries) {
    const stored = entry.deflate === true ? deflateRawSync(entry.data) : Buffer.from(entry.data);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(entry.deflate === true ? 8 : 0, 8);
    header.writeUInt32LE(stored.length, 18);
    header.writeUInt32LE(entry.data.length, 22);
    header.writeUInt16LE(Buffer.byteLength(entry.name), 26);
    pieces.push(header, Buffer.from(entry.name), stored);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  return Buffer.concat([...pieces, end]);
}

function seededBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    bytes[index] = state >>> 16;
  }
  return bytes;
}

async function failure(stored: Uint8Array): Promise<unknown> {
  return parts(stored).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('compressed formats that are not read', () => {
  const samples: [format: RegExp, bytes: number[]][] = [
    [/bzip2/, [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0x0e, 0x21]],
    [/bzip2/, [0x42, 0x5a, 0x68, 0x39, 0x17, 0x72, 0x45, 0x38, 0x50, 0x90, 0, 0, 0, 0]],
    [/xz/, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6]],
    [/zstd/, [0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x05, 0x29, 0x00, 0x00]],
    [/7z/, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]],
    [/LZ4/, [0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7]],
    [/Snappy/, [0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59, 0x01]],
  ];

  it.each(samples)('refuses %s by its signature with a DecompressError', async (format, bytes) => {
    const error = await failure(Uint8Array.from(bytes));
    expect(error).toBeInstanceOf(DecompressError);
    expect((error as Error).message).toMatch(format);
    expect((error as Error).message).toContain('s3://logs/odd/object.log');
  });

  it('refuses them inside gzip and inside a zip entry too', async () => {
    const xz = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]);
    expect(await failure(gzipSync(xz))).toBeInstanceOf(DecompressError);
    expect(await failure(zipOf([{ name: 'a.xz', data: xz }]))).toBeInstanceOf(DecompressError);
  });

  it('reads text that merely starts with the letters BZh', async () => {
    expect(await parts(Buffer.from('BZh9 is how bzip2 starts\n'))).toEqual([
      [undefined, 'BZh9 is how bzip2 starts\n'],
    ]);
  });
});

describe('nested compression', () => {
  it('reads gzip inside gzip', async () => {
    const text = 'nested line\n'.repeat(300);
    expect(await parts(gzipSync(gzipSync(text)))).toEqual([[undefined, text]]);
  });

  it('reads zip and gzip files inside a zip entry, naming parts by their path', async () => {
    const inner = zipOf([{ name: 'b.log', data: Buffer.from('from b\n'), deflate: true }]);
    const archive = zipOf([
      { name: 'a.log.gz', data: gzipSync('from a\n') },
      { name: 'inner.zip', data: inner, deflate: true },
      { name: 'c.log', data: Buffer.from('from c\n') },
    ]);
    expect(await parts(archive)).toEqual([
      ['a.log.gz', 'from a\n'],
      ['inner.zip/b.log', 'from b\n'],
      ['c.log', 'from c\n'],
    ]);
  });

  it(`reads ${MAX_LAYERS} layers and refuses one more`, async () => {
    let stored: Buffer = Buffer.from('deep\n');
    for (let layer = 0; layer < MAX_LAYERS; layer++) stored = gzipSync(stored);
    expect(await parts(stored)).toEqual([[undefined, 'deep\n']]);

    const error = await failure(gzipSync(stored));
    expect(error).toBeInstanceOf(DecompressError);
    expect((error as Error).message).toMatch(/layers deep/);
  });
});

describe('binary content and invalid UTF-8', () => {
  it('refuses random bytes matching no signature with a ParseError naming the object', async () => {
    for (const length of [40, 1024 * 1024]) {
      const error = await failure(seededBytes(length, length));
      expect(error).toBeInstanceOf(ParseError);
      expect((error as Error).message).toMatch(/s3:\/\/logs\/odd\/object\.log: .*binary/);
    }
  });

  it('refuses binary content found inside gzip', async () => {
    expect(await failure(gzipSync(seededBytes(5000, 7)))).toBeInstanceOf(ParseError);
  });

  it('reads text in a legacy encoding and text with NULs as text', () => {
    const gbk = Buffer.from('d6d0cec4c8d5d6be0a'.repeat(50), 'hex');
    expect(looksBinary(gbk)).toBe(false);
    expect(looksBinary(Buffer.from('line\u0000\u0000\u0000\u0000one\nline two\n'))).toBe(false);
    expect(looksBinary(Buffer.from('\u001b[31mred\u001b[0m text\n'))).toBe(false);
    expect(looksBinary(seededBytes(4096, 3))).toBe(true);
  });

  it('warns once per object with the number of bytes that are not UTF-8', async () => {
    const text = Buffer.concat([
      Buffer.from('caf\u00e9 ok\n'),
      Buffer.from([0x61, 0xff, 0x62, 0x0a]),
      Buffer.from([0xe2, 0x82, 0x0a]),
    ]);
    const archive = zipOf([
      { name: 'a.log', data: text },
      { name: 'b.log', data: Buffer.from([0xc3, 0x0a]) },
    ]);
    for (const chunkSize of [1, 2, 3, 1000]) {
      const warnings: string[] = [];
      await parts(archive, warnings, chunkSize);
      expect(warnings).toEqual([
        's3://logs/odd/object.log: 4 bytes that are not valid UTF-8 replaced by U+FFFD',
      ]);
    }
  });

  it('does not warn about valid UTF-8 split across chunks, nor about UTF-16 text', async () => {
    const warnings: string[] = [];
    await parts(Buffer.from('\u00e9\u20ac\u{1f600} done\n'.repeat(40)), warnings, 1);
    await parts(Buffer.from('\ufeffutf-16 text\n', 'utf16le'), warnings, 3);
    expect(warnings).toEqual([]);
  });

  it('counts invalid bytes as the decoder replaces them', () => {
    expect(countInvalidUtf8(Buffer.from('plain'))).toBe(0);
    expect(countInvalidUtf8(Buffer.from([0xff]))).toBe(1);
    expect(countInvalidUtf8(Buffer.from([0xe2, 0x82, 0x41]))).toBe(2);
    expect(countInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(3);
    expect(countInvalidUtf8(Buffer.from([0xf0, 0x9f, 0x98, 0x80, 0xc0]))).toBe(1);
  });
});
