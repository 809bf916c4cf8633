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
