// Bytes to text. Logs are UTF-8 almost always; a UTF-16 byte order mark says otherwise.
// Bytes that are not valid UTF-8 become U+FFFD instead of failing the object.

import { TextDecoder } from 'node:util';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];
const UTF16BE_BOM = [0xfe, 0xff];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** The encoding a byte order mark announces; UTF-8 without one. */
export function encodingFromBom(head: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (startsWith(head, UTF8_BOM)) return 'utf-8';
  if (startsWith(head, UTF16LE_BOM)) return 'utf-16le';
  if (startsWith(head, UTF16BE_BOM)) return 'utf-16be';
  return 'utf-8';
}

/** Holds back the first chunks until three bytes are known, enough to read any BOM. */
async function* withHeadOfThree(
  bytes: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  let head: Uint8Array | undefined = new Uint8Array(0);
  for await (const chunk of bytes) {
    if (head === undefined) {
      yield chunk;
      continue;
    }
    head = concatBytes(head, chunk);
    if (head.length >= UTF8_BOM.length) {
      yield head;
      head = undefined;
    }
  }
  if (head !== undefined && head.length > 0) yield head;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/**
 * Decodes a byte stream into text chunks. The BOM (UTF-8 or UTF-16) is removed; a UTF-16
 * BOM switches the decoder to UTF-16. Characters split across chunks are decoded whole.
 */
export async function* decodeText(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;

  for await (const chunk of withHeadOfThree(bytes)) {
    decoder ??= new TextDecoder(encodingFromBom(chunk), { fatal: false });
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }

  const rest = decoder?.decode() ?? '';
  if (rest.length > 0) yield rest;
}
