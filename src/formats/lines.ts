// Cuts text into lines. A line ends at CRLF, LF or a lone CR (old Mac files, and logs that
// mix them); the ending is not part of the line. A line longer than the limit keeps its first
// `maxLineChars` characters; the rest of it is dropped as it streams past, never buffered.

import { MAX_RECORD_CHARS } from './records.js';

const LINE_BREAK = /\r\n|\r|\n/;
const FIRST_LINE_BREAK = /[\r\n]/;

/** Only whitespace or NUL bytes (pre-allocated, partly flushed files have NUL runs). */
export function isBlankLine(line: string): boolean {
  return /^[\s\0]*$/.test(line);
}

export class LineSplitter {
  /** Lines handed out shorter than they were, because they passed the limit. */
  cutLines = 0;

  private readonly maxLineChars: number;
  /** The unfinished last line, in pieces: a very long line is joined once, not per chunk. */
  private readonly pending: string[] = [];
  private pendingChars = 0;
  /** The unfinished line reached the limit: its further characters are dropped. */
  private pendingCut = false;

  constructor(maxLineChars = MAX_RECORD_CHARS) {
    this.maxLineChars = maxLineChars;
  }

  /** Feeds the next chunk; returns the lines it completed. */
  push(chunk: string): string[] {
    const firstBreak = chunk.search(FIRST_LINE_BREAK);
    if (firstBreak === -1) {
      this.extendPending(chunk);
      return [];
    }

    this.extendPending(chunk.slice(0, firstBreak));
    // The text from the first break on splits into '' (before that break), the lines it
    // completes, and the start of the next unfinished line.
    const lines = chunk.slice(firstBreak).split(LINE_BREAK);
    lines[0] = this.takePending();
    // A CR at the very end may be the first half of a CRLF: the empty line it can produce
    // when the LF arrives in the next chunk is blank and skipped by every reader.
    this.extendPending(lines.pop() ?? '');
    return lines.map((line, index) => (index === 0 ? line : this.withinLimit(line)));
  }

  /** The last line, when the text does not end with a line break. */
  end(): string[] {
    const last = this.takePending();
    return last.length > 0 ? [last] : [];
  }

  private extendPending(text: string): void {
    if (this.pendingCut || text.length === 0) return;

    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars <= this.maxLineChars) return;

    const kept = this.pending.join('').slice(0, this.maxLineChars);
    this.pending.length = 0;
    this.pending.push(kept);
    this.pendingChars = kept.length;
    this.pendingCut = true;
  }

  private takePending(): string {
    const line = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    if (this.pendingCut) this.cutLines++;
    this.pending.length = 0;
    this.pendingChars = 0;
    this.pendingCut = false;
    return line;
  }

  /** A line found whole inside one chunk, cut to the limit when longer. */
  private withinLimit(line: string): string {
    if (line.length <= this.maxLineChars) return line;
    this.cutLines++;
    return line.slice(0, this.maxLineChars);
  }
}
