// The dry-run sink: instead of analysisd's socket, each event goes to a file (or stdout) as one
// JSON line, the text that would follow `1:Wazuh-AWS:` in the datagram. Nothing is lost or
// reordered; nothing is sent to Wazuh.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

import { ExitCode, WodleError } from '../errors.js';
import type { EventSink } from './sink.js';

/** The `--output` value that means standard output. */
export const STDOUT_TARGET = '-';

export class FileSink implements EventSink {
  private readonly stream: Writable;
  private readonly ownsStream: boolean;
  private failure: Error | undefined;

  /** Use FileSink.open(); the constructor takes a stream that is already open. */
  constructor(stream: Writable, ownsStream: boolean) {
    this.stream = stream;
    this.ownsStream = ownsStream;
    stream.on('error', (error: Error) => {
      this.failure = error;
    });
  }

  /**
   * Opens `target` for writing (truncating it), or standard output for '-'. Fails with a
   * WodleError when the file cannot be created, before any message is received.
   */
  static async open(target: string): Promise<FileSink> {
    if (target === STDOUT_TARGET) return new FileSink(process.stdout, false);

    const stream = createWriteStream(target, { flags: 'w' });
    try {
      await once(stream, 'open');
    } catch (error) {
      const message = `cannot open --output file ${target}: ${reason(error)}`;
      throw new WodleError(ExitCode.unknown, message);
    }
    return new FileSink(stream, true);
  }

  async write(events: readonly string[]): Promise<void> {
    this.throwIfFailed();
    if (events.length === 0) return;

    const text = events.map((event) => `${event}\n`).join('');
    if (!this.stream.write(text)) await this.drained();
  }

  async flush(): Promise<void> {
    this.throwIfFailed();
    if (this.stream.writableNeedDrain) await this.drained();
  }

  async close(): Promise<void> {
    await this.flush();
    if (!this.ownsStream) return;

    this.stream.end();
    await once(this.stream, 'finish');
    this.throwIfFailed();
  }

  private async drained(): Promise<void> {
    await once(this.stream, 'drain');
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) {
      throw new WodleError(ExitCode.unknown, `cannot write --output: ${reason(this.failure)}`);
    }
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
