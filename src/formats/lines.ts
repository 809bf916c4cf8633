// Cuts text into lines. A line ends at CRLF, LF or a lone CR (old Mac files, and logs that
// mix them); the ending is not part of the line.

const LINE_BREAK = /\r\n|\r|\n/;

/** Only whitespace or NUL bytes (pre-allocated, partly flushed files have NUL runs). */
export function isBlankLine(line: string): boolean {
  return /^[\s\0]*$/.test(line);
}

export class LineSplitter {
  private pending = '';

  /** Feeds the next chunk; returns the lines it completed. */
  push(chunk: string): string[] {
    const lines = (this.pending + chunk).split(LINE_BREAK);
    // A CR at the very end may be the first half of a CRLF: the empty line it can produce
    // when the LF arrives in the next chunk is blank and skipped by every reader.
    this.pending = lines.pop() ?? '';
    return lines;
  }

  /** The last line, when the text does not end with a line break. */
  end(): string[] {
    const last = this.pending;
    this.pending = '';
    return last.length > 0 ? [last] : [];
  }
}
