// Cuts a stream of JSON text into the texts of its records, without parsing the document as
// a whole, so a 1 GB CloudTrail file never has to sit in memory. What counts as a record:
//   - each value of a sequence of values (`}{` as Firehose writes them, JSON lines,
//     pretty-printed objects, with any whitespace between them);
//   - each element of a top-level array;
//   - each element of `Records` in a `{"Records":[...]}` document (CloudTrail), and of
//     `configurationItems` in an AWS Config history or snapshot file (`{"fileVersion":..,
//     "configurationItems":[...]}`); the other members of such a document are not events
//     and are skipped.
// Only strings, escapes and nesting are tracked here; JSON.parse checks each record later.
// Two limits keep memory bounded whatever the input:
//   - a record longer than MAX_RECORD_CHARS (records.ts) cannot be parsed from a part: its
//     text is dropped as soon as it passes the limit, the splitter keeps scanning its strings
//     and nesting to find where it ends, and counts it in `skippedRecords`;
//   - nesting deeper than MAX_JSON_DEPTH is an error (JsonNestingError): no AWS log comes
//     near it, analysisd's JSON decoder (cJSON) refuses 1000 levels, and the event path walks
//     values recursively.

import { MAX_RECORD_CHARS } from './records.js';

/** The text of one record and where it starts, in characters from the start of the text. */
export interface JsonRecordText {
  readonly text: string;
  readonly offset: number;
}

/** The text is not JSON in a way the splitter itself can see (unbalanced or truncated). */
export class JsonSyntaxError extends Error {
  readonly offset: number;

  constructor(reason: string, offset: number) {
    super(reason);
    this.name = 'JsonSyntaxError';
    this.offset = offset;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Member names of a top-level object whose array elements are records. */
const CONTAINER_KEYS: ReadonlySet<string> = new Set(['Records', 'configurationItems']);
const LONGEST_CONTAINER_KEY = Math.max(...[...CONTAINER_KEYS].map((key) => key.length));

/** Deepest nesting of objects and arrays accepted, counted from the top of the text. */
export const MAX_JSON_DEPTH = 512;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09 || code === 0xfeff;
}

/** Where a bare token (number, true, false, null, or garbage) ends. */
function endsBareToken(code: number): boolean {
  return (
    isWhitespace(code) ||
    code === COMMA ||
    code === COLON ||
    code === QUOTE ||
    code === OPEN_BRACE ||
    code === CLOSE_BRACE ||
    code === OPEN_BRACKET ||
    code === CLOSE_BRACKET
  );
}

/** The text nests objects and arrays deeper than MAX_JSON_DEPTH. */
export class JsonNestingError extends JsonSyntaxError {
  constructor(offset: number) {
    super(`objects and arrays are nested more than ${MAX_JSON_DEPTH} levels deep`, offset);
    this.name = 'JsonNestingError';
  }
}

export interface JsonSplitterLimits {
  /** Records with more characters than this are skipped (tests set a small one). */
  readonly maxRecordChars: number;
}

/** Progress towards seeing `"Records" : [` (or another container key) at the top level. */
const enum KeyState {
  none,
  recordsKey,
  recordsColon,
}

export class JsonSplitter {
  /** Records left out because their text passed maxRecordChars. */
  skippedRecords = 0;

  private readonly maxRecordChars: number;
  /** Characters of all earlier chunks, for offsets in error messages. */
  private consumedChars = 0;
  /** The closing character each open container expects, innermost last. */
  private readonly closers: number[] = [];
  /** Values at this depth are records: 0, 1 in a top-level array, 2 in a container member. */
  private recordDepth = 0;
  /** After the container array closed: skip the rest of its document. */
  private skippingDocument = false;

  private inString = false;
  private escaped = false;

  private inRecord = false;
  private recordIsBareToken = false;
  private recordIsString = false;
  private recordStartInChunk = 0;
  private recordOffset = 0;
  private readonly recordPieces: string[] = [];
  /** Characters of the current record in recordPieces (or dropped from them). */
  private recordPiecesChars = 0;
  /** The current record passed maxRecordChars: its text is no longer kept. */
  private recordTooLarge = false;

  /** Text of a member name being read at depth 1 of a top-level object, if short. */
  private memberName: string | undefined;
  private memberNameStartInChunk = 0;
  private keyState = KeyState.none;

  private output: JsonRecordText[] = [];

  constructor(limits: JsonSplitterLimits = { maxRecordChars: MAX_RECORD_CHARS }) {
    this.maxRecordChars = limits.maxRecordChars;
  }

  /** Feeds the next chunk of text; returns the records it completed. */
  push(chunk: string): JsonRecordText[] {
    for (let index = 0; index < chunk.length; index++) {
      index = this.step(chunk, index);
    }
    this.carryOver(chunk);
    this.consumedChars += chunk.length;
    return this.takeOutput();
  }

  /** Ends the text; returns the last record, or throws if the text was cut short. */
  end(): JsonRecordText[] {
    const offset = this.consumedChars;
    if (this.inString) throw new JsonSyntaxError('the text ends inside a string', offset);
    if (this.inRecord && this.recordIsBareToken) this.finishRecord('', 0);
    if (this.closers.length > 0) {
      throw new JsonSyntaxError('the text ends inside an object or array', offset);
    }
    return this.takeOutput();
  }

  private takeOutput(): JsonRecordText[] {
    const records = this.output;
    this.output = [];
    return records;
  }

  /** Handles the character at `index`; returns the index of the last character consumed. */
  private step(chunk: string, index: number): number {
    if (this.inString) return this.continueString(chunk, index);

    const code = chunk.charCodeAt(index);
    if (this.recordIsBareToken) {
      if (!endsBareToken(code)) return index;
      this.finishRecord(chunk, index);
    }
    if (isWhitespace(code)) return index;

    this.trackRecordsKey(code);
    switch (code) {
      case QUOTE:
        this.openString(index);
        return index;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        this.openContainer(index, code);
        return index;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        this.closeContainer(chunk, index, code);
        return index;
      case COMMA:
      case COLON:
        this.separator(index, code);
        return index;
      default:
        if (this.atRecordLevel()) this.startRecord(index, 'bare');
        return index;
    }
  }

  private atRecordLevel(): boolean {
    return !this.inRecord && !this.skippingDocument && this.closers.length === this.recordDepth;
  }

  private startRecord(index: number, kind: 'container' | 'string' | 'bare'): void {
    this.inRecord = true;
    this.recordIsBareToken = kind === 'bare';
    this.recordIsString = kind === 'string';
    this.recordStartInChunk = index;
    this.recordOffset = this.consumedChars + index;
    this.recordPiecesChars = 0;
    this.recordTooLarge = false;
  }

  /** Completes the current record with the chunk's characters before `endIndex`. */
  private finishRecord(chunk: string, endIndex: number): void {
    this.keepRecordText(chunk, endIndex);
    if (this.recordTooLarge) {
      this.skippedRecords++;
    } else {
      const pieces = this.recordPieces;
      const text = pieces.length === 1 ? pieces[0]! : pieces.join('');
      this.output.push({ text, offset: this.recordOffset });
    }
    this.dropRecord();
    this.recordIsBareToken = false;
    this.recordIsString = false;
  }

  private dropRecord(): void {
    this.recordPieces.length = 0;
    this.recordPiecesChars = 0;
    this.recordTooLarge = false;
    this.inRecord = false;
  }

  /** Keeps the record's characters of the chunk before `endIndex`, up to the limit. */
  private keepRecordText(chunk: string, endIndex: number): void {
    if (this.recordTooLarge) return;

    this.recordPiecesChars += endIndex - this.recordStartInChunk;
    if (this.recordPiecesChars > this.maxRecordChars) {
      this.recordTooLarge = true;
      this.recordPieces.length = 0;
      return;
    }
    this.recordPieces.push(chunk.slice(this.recordStartInChunk, endIndex));
  }

  /** Keeps the unfinished parts of a record or member name for the next chunk. */
  private carryOver(chunk: string): void {
    if (this.inRecord) {
      this.keepRecordText(chunk, chunk.length);
      this.recordStartInChunk = 0;
    }
    if (this.inString && this.memberName !== undefined) {
      this.memberName += chunk.slice(this.memberNameStartInChunk);
      if (this.memberName.length > LONGEST_CONTAINER_KEY) this.memberName = undefined;
      this.memberNameStartInChunk = 0;
    }
  }

  private openString(index: number): void {
    if (this.atRecordLevel()) this.startRecord(index, 'string');
    if (this.isTopLevelMemberPosition()) {
      this.memberName = '';
      this.memberNameStartInChunk = index + 1;
    }
    this.inString = true;
    this.escaped = false;
  }

  /** Skips string content up to its closing quote; returns the index reached. */
  private continueString(chunk: string, from: number): number {
    let searchFrom = from;
    if (this.escaped) {
      this.escaped = false;
      searchFrom++;
    }

    for (;;) {
      const quote = chunk.indexOf('"', searchFrom);
      if (quote === -1) {
        this.escaped = countBackslashesBefore(chunk, chunk.length, searchFrom) % 2 === 1;
        return chunk.length - 1;
      }
      if (countBackslashesBefore(chunk, quote, searchFrom) % 2 === 0) {
        this.closeString(chunk, quote);
        return quote;
      }
      searchFrom = quote + 1;
    }
  }

  private closeString(chunk: string, quote: number): void {
    this.inString = false;
    if (this.memberName !== undefined) {
      const name = this.memberName + chunk.slice(this.memberNameStartInChunk, quote);
      this.keyState = CONTAINER_KEYS.has(name) ? KeyState.recordsKey : KeyState.none;
      this.memberName = undefined;
    }
    if (this.recordIsString && this.closers.length === this.recordDepth) {
      this.finishRecord(chunk, quote + 1);
    }
  }

  /** True where a member name of a top-level object may start (the only place we look). */
  private isTopLevelMemberPosition(): boolean {
    return (
      this.recordDepth === 0 && this.inRecord && this.closers.length === 1 &&
      this.closers[0] === CLOSE_BRACE
    );
  }

  /** Moves the `"Records" : [` detector along; any other character resets it. */
  private trackRecordsKey(code: number): void {
    if (this.keyState === KeyState.none) return;
    if (this.keyState === KeyState.recordsKey && code === COLON) return;
    if (this.keyState === KeyState.recordsColon && code === OPEN_BRACKET) return;
    this.keyState = KeyState.none;
  }

  private openContainer(index: number, code: number): void {
    const closer = code === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
    if (this.closers.length >= MAX_JSON_DEPTH) {
      throw new JsonNestingError(this.consumedChars + index);
    }

    if (this.keyState === KeyState.recordsColon && this.isTopLevelMemberPosition()) {
      this.keyState = KeyState.none;
      this.dropRecord();
      this.closers.push(closer);
      this.recordDepth = 2;
      return;
    }
    if (this.atRecordLevel()) {
      if (code === OPEN_BRACKET && this.recordDepth === 0) {
        this.closers.push(closer);
        this.recordDepth = 1;
        return;
      }
      this.startRecord(index, 'container');
    }
    this.closers.push(closer);
  }

  private closeContainer(chunk: string, index: number, code: number): void {
    const expected = this.closers.pop();
    if (expected !== code) {
      const what = expected === undefined ? 'nothing is open' : 'it closes the wrong bracket';
      throw new JsonSyntaxError(
        `unexpected '${String.fromCharCode(code)}': ${what}`,
        this.consumedChars + index,
      );
    }

    const depth = this.closers.length;
    if (this.inRecord && depth === this.recordDepth) {
      this.finishRecord(chunk, index + 1);
    } else if (depth < this.recordDepth) {
      this.skippingDocument = this.recordDepth === 2;
      this.recordDepth = 0;
    }
    if (this.skippingDocument && depth === 0) this.skippingDocument = false;
  }

  private separator(index: number, code: number): void {
    if (code === COLON && this.keyState === KeyState.recordsKey) {
      this.keyState = KeyState.recordsColon;
      return;
    }
    if (code === COLON && this.atRecordLevel()) {
      throw new JsonSyntaxError("unexpected ':' between values", this.consumedChars + index);
    }
    // Commas between records (array elements, or values someone separated with commas) are
    // simply skipped; inside a record JSON.parse checks them.
  }
}

/** How many backslashes directly precede `end`, looking no further back than `floor`. */
function countBackslashesBefore(text: string, end: number, floor: number): number {
  let count = 0;
  for (let index = end - 1; index >= floor && text.charCodeAt(index) === BACKSLASH; index--) {
    count++;
  }
  return count;
}
