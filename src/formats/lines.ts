// Cuts text into lines. A line ends at CRLF, LF or a lone CR (old Mac files, and logs that
// mix them); the ending is not part of the line.

const LINE_BREAK = /\r\n|\r|\n/;
const HAS_LINE_BREAK = /[\r\n]/;

/** Only whitespace or NUL bytes (pre-allocated, partly flushed files have NUL runs). */
export function isBlankLine(line: string): boolean {
  return /^[\s\0]*$/.test(line);
}

export class LineSplitter {
  /** The unfinished last line, in pieces: a very long line is joined once, not per chunk. */
  private readonly pending: string[] = [];

  /** Feeds the next chunk; returns the lines it completed. */
  push(chunk: string): string[] {
    if (!HAS_LINE_BREAK.test(chunk)) {
      this.pending.push(chunk);
      return [];
    }

    const text = this.pending.length === 0 ? chunk : this.pending.join('') + chunk;
    const lines = text.split(LINE_BREAK);
    // A CR at the very end may be the first half of a CRLF: the empty line it can produce
    // when the LF arrives in the next chunk is blank and skipped by every reader.
    this.pending.length = 0;
    this.pending.push(lines.pop() ?? '');
    return lines;
  }

  /** The last line, when the text does not end with a line break. */
  end(): string[] {
    const last = this.pending.join('');
    this.pending.length = 0;
    return last.length > 0 ? [last] : [];
  }
}
