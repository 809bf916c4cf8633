// A pull reader over a byte stream that can look ahead and give bytes back: what the
// compression sniffing and the zip reader need to find their way through an object.

export class ByteSource {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private readonly unread: Uint8Array[] = [];
  /** Bytes handed out so far, minus bytes given back: the position in the stream. */
  position = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  /** The next non-empty chunk, or undefined at the end of the stream. */
  async read(): Promise<Uint8Array | undefined> {
    const chunk = this.unread.pop() ?? (await this.readSource());
    if (chunk !== undefined) this.position += chunk.length;
    return chunk;
  }

  /** Puts bytes back; the next read returns them first. */
  giveBack(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.unread.push(bytes);
    this.position -= bytes.length;
  }

  /** Exactly `length` bytes, fewer only when the stream ends first. */
  async readExactly(length: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < length) {
      const chunk = await this.read();
      if (chunk === undefined) break;
      const needed = length - have;
      if (chunk.length > needed) {
        this.giveBack(chunk.subarray(needed));
        parts.push(chunk.subarray(0, needed));
      } else {
        parts.push(chunk);
      }
      have += Math.min(chunk.length, needed);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Up to `length` bytes from the current position, without consuming them. */
  async peek(length: number): Promise<Uint8Array> {
    const bytes = await this.readExactly(length);
    this.giveBack(bytes);
    return bytes;
  }

  /** Skips `length` bytes; returns how many were really there. */
  async skip(length: number): Promise<number> {
    let skipped = 0;
    while (skipped < length) {
      const chunk = await this.read();
      if (chunk === undefined) break;
      const needed = length - skipped;
      if (chunk.length > needed) this.giveBack(chunk.subarray(needed));
      skipped += Math.min(chunk.length, needed);
    }
    return skipped;
  }

  /** The rest of the stream as chunks. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = await this.read();
      if (chunk === undefined) return;
      yield chunk;
    }
  }

  /** Stops reading the underlying stream (closes the S3 response early). */
  async close(): Promise<void> {
    this.unread.length = 0;
    await this.iterator.return?.();
  }

  private async readSource(): Promise<Uint8Array | undefined> {
    for (;;) {
      const next = await this.iterator.next();
      if (next.done === true) return undefined;
      if (next.value.length > 0) return next.value;
    }
  }
}
