// Text to records, for every text format: JSON (all its layouts), W3C extended logs
// (CloudFront), CSV with a header row, and plain lines. The format is decided from the first
// 64 KiB of the text (detect.ts); the text is then read chunk by chunk, so memory holds one
// chunk and one record, never the file.

import { type ObjectLocation, ParseError } from '../errors.js';
import { csvRow, type CsvDialect } from './csv.js';
import { detectFormat, SAMPLE_CHARS } from './detect.js';
import { JsonSplitter, JsonSyntaxError, type JsonRecordText } from './json-splitter.js';
import { isBlankLine, LineSplitter } from './lines.js';
import { MAX_BATCH_RECORDS, type OversizedRecords, type RawRecord } from './records.js';
import { W3cEntryReader } from './w3c.js';

export type { OversizedRecords, RawRecord } from './records.js';

/**
 * Splits a text (chunks as they are decoded) into records, in batches. Malformed JSON throws
 * a ParseError naming the object and where in the text it went wrong; the records before it
 * have already been yielded. Records cut or skipped for their size are added to `oversized`.
 */
export async function* readTextRecords(
  text: AsyncIterable<string>,
  location: ObjectLocation,
  oversized: OversizedRecords = { linesCut: 0, jsonSkipped: 0 },
): AsyncGenerator<RawRecord[]> {
  const iterator = text[Symbol.asyncIterator]();
  const { head, complete } = await readSample(iterator);
  const chunks = resume(head, iterator);
  const format = detectFormat(head.join(''), complete);

  switch (format.kind) {
    case 'empty':
      await chunks.return(undefined);
      return;
    case 'json':
      yield* readJson(chunks, location, oversized);
      return;
    case 'w3c':
      yield* readW3c(chunks, oversized);
      return;
    case 'csv':
      yield* readCsv(chunks, format.dialect, oversized);
      return;
    case 'lines':
      yield* readLines(chunks, oversized);
      return;
  }
}

async function readSample(
  iterator: AsyncIterator<string>,
): Promise<{ head: string[]; complete: boolean }> {
  const head: string[] = [];
  let length = 0;
  while (length < SAMPLE_CHARS) {
    const next = await iterator.next();
    if (next.done === true) return { head, complete: true };
    head.push(next.value);
    length += next.value.length;
  }
  return { head, complete: false };
}

/** The sampled chunks again, then the rest of the text; closes the source when stopped. */
async function* resume(head: string[], iterator: AsyncIterator<string>): AsyncGenerator<string> {
  try {
    yield* head;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

function* inBatches<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += MAX_BATCH_RECORDS) {
    yield items.slice(start, start + MAX_BATCH_RECORDS);
  }
}

async function* readJson(
  chunks: AsyncIterable<string>,
  location: ObjectLocation,
  oversized: OversizedRecords,
): AsyncGenerator<RawRecord[]> {
  const splitter = new JsonSplitter();
  let recordCount = 0;

  const parseAll = (texts: readonly JsonRecordText[]): RawRecord[] =>
    texts.map((text) => parseRecord(text, ++recordCount, location));

  try {
    for await (const chunk of chunks) {
      const texts = splitter.push(chunk);
      if (texts.length > 0) yield* inBatches(parseAll(texts));
    }
    const last = splitter.end();
    if (last.length > 0) yield* inBatches(parseAll(last));
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new ParseError(
      location,
      `not valid JSON after ${recordCount} records, near character ${error.offset}: ` +
        error.message,
      { cause: error },
    );
  } finally {
    oversized.jsonSkipped += splitter.skippedRecords;
  }
}

function parseRecord(
  text: JsonRecordText,
  position: number,
  location: ObjectLocation,
): RawRecord {
  try {
    return { kind: 'json', value: JSON.parse(text.text) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ParseError(
      location,
      `record ${position} (from character ${text.offset}) is not valid JSON: ${reason}`,
      { cause: error },
    );
  }
}

async function* nonBlankLines(
  chunks: AsyncIterable<string>,
  oversized: OversizedRecords,
): AsyncGenerator<string[]> {
  const splitter = new LineSplitter();
  try {
    for await (const chunk of chunks) {
      const lines = splitter.push(chunk).filter((line) => !isBlankLine(line));
      if (lines.length > 0) yield lines;
    }
    const last = splitter.end().filter((line) => !isBlankLine(line));
    if (last.length > 0) yield last;
  } finally {
    oversized.linesCut += splitter.cutLines;
  }
}

async function* readLines(
  chunks: AsyncIterable<string>,
  oversized: OversizedRecords,
): AsyncGenerator<RawRecord[]> {
  for await (const lines of nonBlankLines(chunks, oversized)) {
    const records = lines.map((text): RawRecord => ({ kind: 'line', text }));
    yield* inBatches(records);
  }
}

async function* readCsv(
  chunks: AsyncIterable<string>,
  dialect: CsvDialect,
  oversized: OversizedRecords,
): AsyncGenerator<RawRecord[]> {
  let headerSkipped = false;
  for await (const lines of nonBlankLines(chunks, oversized)) {
    const rows = headerSkipped ? lines : lines.slice(1);
    headerSkipped = true;
    const records = rows.map((line): RawRecord => ({ kind: 'csv', fields: csvRow(line, dialect) }));
    if (records.length > 0) yield* inBatches(records);
  }
}

/** One record per entry, keyed by the `#Fields` names; directive lines are not records. */
async function* readW3c(
  chunks: AsyncIterable<string>,
  oversized: OversizedRecords,
): AsyncGenerator<RawRecord[]> {
  const reader = new W3cEntryReader();
  for await (const lines of nonBlankLines(chunks, oversized)) {
    const records: RawRecord[] = [];
    for (const line of lines) {
      const fields = reader.read(line);
      if (fields !== undefined) records.push({ kind: 'csv', fields });
    }
    if (records.length > 0) yield* inBatches(records);
  }
}
