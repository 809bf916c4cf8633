// The last layer of an object, once no compression is left: bytes that should be text.
// Two checks, neither of which holds more than a small sample in memory:
//   - binary content: the first SAMPLE_BYTES are binary when at least 5% of them are control
//     characters (C0 and DEL, except whitespace, ESC for terminal colours and NUL, which
//     crashed writers leave as padding) and together with the bytes that are not UTF-8 they
//     make at least 30%. Random or compressed bytes give about 10% and 55%; text in a legacy
//     encoding (GBK, Latin-1) is mostly invalid UTF-8 but has no control characters, so it
//     is still read. Binary content is a ParseError naming the object;
//   - invalid UTF-8: the text decoder replaces such bytes with U+FFFD; they are counted here
//     so the reader can warn once per object. A UTF-16 byte order mark skips both checks:
//     formats/text.ts decodes that text as UTF-16.

import { isUtf8 } from 'node:buffer';
import { type ObjectLocation, ParseError } from '../errors.js';
import { encodingFromBom } from '../formats/text.js';

const SAMPLE_BYTES = 4096;
const MIN_CONTROL_SHARE = 0.05;
const MIN_SUSPECT_SHARE = 0.3;

/** Counts the bytes of a stream that are not part of a valid UTF-8 sequence. */
export class Utf8Counter {
  invalidBytes = 0;
  private pending: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): void {
    const bytes = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const tail = incompleteTailStart(bytes);
    const body = bytes.subarray(0, tail);
    if (!isUtf8(body)) this.invalidBytes += countInvalidUtf8(body);
    this.pending = bytes.slice(tail);
  }

  /** A sequence cut by the end of the stream is invalid too. */
  end(): void {
    this.invalidBytes += this.pending.length;
    this.pending = new Uint8Array(0);
  }
}

/** Where a multi-byte sequence that the end of `bytes` cuts short begins (else the length). */
function incompleteTailStart(bytes: Uint8Array): number {
  for (let index = bytes.length - 1; index >= Math.max(0, bytes.length - 3); index--) {
    const byte = bytes[index]!;
    if (byte < 0x80) break;
    if (byte < 0xc0) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return bytes.length - index < length ? index : bytes.length;
  }
  return bytes.length;
}

/**
 * Invalid bytes as the WHATWG decoder sees them: each byte of a maximal ill-formed
 * subsequence; the byte that broke a sequence is read again as the start of the next.
 */
export function countInvalidUtf8(bytes: Uint8Array): number {
  let invalid = 0;
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    const [following, firstLow, firstHigh] = sequenceShape(lead);
    let next = index + 1;
    let low = firstLow;
    let high = firstHigh;
    while (next - index - 1 < following && next < bytes.length) {
      const byte = bytes[next]!;
      if (byte < low || byte > high) break;
      [low, high] = [0x80, 0xbf];
      next++;
    }
    if (following === 0 || next - index - 1 < following) invalid += Math.max(1, next - index);
    index = next;
  }
  return invalid;
}

/** Continuation bytes a lead byte needs, and the range its first one must fall in. */
function sequenceShape(lead: number): [following: number, low: number, high: number] {
  if (lead >= 0xc2 && lead <= 0xdf) return [1, 0x80, 0xbf];
  if (lead === 0xe0) return [2, 0xa0, 0xbf];
  if (lead === 0xed) return [2, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [2, 0x80, 0xbf];
  if (lead === 0xf0) return [3, 0x90, 0xbf];
  if (lead === 0xf4) return [3, 0x80, 0x8f];
  if (lead >= 0xf1 && lead <= 0xf3) return [3, 0x80, 0xbf];
  return [0, 0, 0];
}

/** True for C0 controls and DEL, except whitespace, ESC and NUL (see the top of the file). */
function isSuspectControl(byte: number): boolean {
  if (byte === 0x7f) return true;
  if (byte >= 0x20 || byte === 0x00 || byte === 0x1b) return false;
  return byte < 0x09 || byte > 0x0d;
}

/** Whether a sample of an object's first bytes looks like binary data rather than text. */
export function looksBinary(sample: Uint8Array): boolean {
  if (sample.length === 0) return false;
  let controls = 0;
  for (const byte of sample) if (isSuspectControl(byte)) controls++;
  const suspects = controls + countInvalidUtf8(sample);
  return (
    controls >= sample.length * MIN_CONTROL_SHARE &&
    suspects >= sample.length * MIN_SUSPECT_SHARE
  );
}

/**
 * The bytes unchanged, after the binary check of their first SAMPLE_BYTES; invalid UTF-8
 * is added to `counter` as the bytes pass (UTF-16 text is not counted).
 */
export async function* checkedTextBytes(
  bytes: AsyncIterable<Uint8Array>,
  location: ObjectLocation,
  counter: Utf8Counter,
): AsyncGenerator<Uint8Array> {
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  let checked = false;
  let utf8 = true;

  for await (const chunk of bytes) {
    if (!checked) {
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes < SAMPLE_BYTES) continue;
      utf8 = checkSample(Buffer.concat(held), location);
      checked = true;
      yield* countedAll(held, utf8 ? counter : undefined);
      continue;
    }
    if (utf8) counter.push(chunk);
    yield chunk;
  }

  if (!checked) {
    utf8 = checkSample(Buffer.concat(held), location);
    yield* countedAll(held, utf8 ? counter : undefined);
  }
  if (utf8) counter.end();
}

/** Fails binary content; returns whether the text is UTF-8 (no UTF-16 byte order mark). */
function checkSample(head: Buffer, location: ObjectLocation): boolean {
  if (encodingFromBom(head) !== 'utf-8') return false;
  if (looksBinary(head.subarray(0, SAMPLE_BYTES))) {
    throw new ParseError(location, 'content is binary data, not text (no known format)');
  }
  return true;
}

function* countedAll(
  chunks: Uint8Array[],
  counter: Utf8Counter | undefined,
): Generator<Uint8Array> {
  for (const chunk of chunks) {
    counter?.push(chunk);
    yield chunk;
  }
  chunks.length = 0;
}
