// What the format readers produce: the records of one log object, before any Wazuh shaping.

/**
 * One record of a log object.
 * - `json`: a value parsed from JSON (almost always an object).
 * - `csv`: one data row of a table, keyed by its field names: a CSV file's header row, or the
 *   `#Fields` directive of a W3C extended log (CloudFront).
 * - `line`: one line of plain text, without its line ending.
 */
export type RawRecord =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'csv'; readonly fields: Record<string, string | string[]> }
  | { readonly kind: 'line'; readonly text: string };

/** Records are handed on in arrays of at most this many, to keep per-record overhead low. */
export const MAX_BATCH_RECORDS = 1000;

/**
 * The longest record text kept, in characters (UTF-16 code units): what bounds memory per
 * object whatever the input. An event reaches analysisd as one datagram of at most 65,535
 * bytes (wazuh/frame.ts trims longer ones), so a record 64 times that size is already mostly
 * trimmed away; real AWS records are far smaller (CloudTrail, Config items and Security Hub
 * findings are kilobytes). Longer text is never buffered: a longer line keeps its first
 * MAX_RECORD_CHARS characters and the rest streams past; a longer JSON record cannot be
 * parsed from a part, so it is skipped whole. The splitters count both.
 */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/** What the readers of one object cut or left out for passing MAX_RECORD_CHARS. */
export interface OversizedRecords {
  /** Lines (plain, CSV, W3C) kept only up to the limit. */
  linesCut: number;
  /** JSON records skipped whole. */
  jsonSkipped: number;
}
