// Which format a text is in, decided from its first part (a sample), never from the key.
//
//   1. The first character that is not whitespace is `{`: JSON.
//   2. It is `[`: JSON when the first element parses as JSON (or, when the element is longer
//      than the sample, it opens like JSON: `{`, `[`, `"` or `]`); otherwise text that merely
//      starts with a bracket, such as `[2024-01-01 10:00:00] started`: plain lines.
//   3. A text that fits the sample and is one JSON value as a whole (`null`, `42`): JSON.
//   4. Otherwise the W3C extended log format (CloudFront standard logs) when the first
//      non-blank lines are directives that include `#Version:` and `#Fields:` (see w3c.ts).
//   5. Otherwise CSV when the first non-blank lines read as a table with a header row (see
//      csv.ts), else plain lines.

import { type CsvDialect, sniffCsv } from './csv.js';
import { JsonNestingError, JsonSplitter } from './json-splitter.js';
import { isBlankLine } from './lines.js';
import { isW3cExtendedLog } from './w3c.js';

export type TextFormat =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json' }
  | { readonly kind: 'w3c' }
  | { readonly kind: 'csv'; readonly dialect: CsvDialect }
  | { readonly kind: 'lines' };

/** How much text is read before deciding; also enough for the CSV sample rows. */
export const SAMPLE_CHARS = 64 * 1024;
const SAMPLE_LINES = 21;

/**
 * Decides the format of a text from its first `sample` characters; `complete` says the
 * sample is the whole text (its last line is then complete too).
 */
export function detectFormat(sample: string, complete: boolean): TextFormat {
  const start = sample.search(/[^\s\ufeff]/);
  if (start === -1) return complete ? { kind: 'empty' } : { kind: 'lines' };

  const first = sample[start];
  if (first === '{') return { kind: 'json' };
  if (first === '[' && opensJsonArray(sample.slice(start), complete)) return { kind: 'json' };
  if (complete && isOneJsonValue(sample)) return { kind: 'json' };

  const lines = firstLines(sample, complete);
  if (isW3cExtendedLog(lines)) return { kind: 'w3c' };

  const dialect = sniffCsv(lines);
  return dialect === undefined ? { kind: 'lines' } : { kind: 'csv', dialect };
}

function opensJsonArray(sample: string, complete: boolean): boolean {
  const splitter = new JsonSplitter();
  try {
    const records = splitter.push(sample);
    if (complete) records.push(...splitter.end());
    if (records.length > 0) {
      JSON.parse(records[0]!.text);
      return true;
    }
  } catch (error) {
    // Nesting too deep is still JSON: reading it as such reports it as a parse error.
    return error instanceof JsonNestingError;
  }
  return /^\[\s*[{["\]]/.test(sample) || (complete && /^\[\s*\]/.test(sample));
}

function isOneJsonValue(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The first non-blank lines of the sample, the last one only when known to be complete. */
function firstLines(sample: string, complete: boolean): string[] {
  const lines = sample.split(/\r\n|\r|\n/);
  if (!complete) lines.pop();
  return lines.filter((line) => !isBlankLine(line)).slice(0, SAMPLE_LINES);
}
