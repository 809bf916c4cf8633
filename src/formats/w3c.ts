// The W3C extended log file format, as CloudFront standard (legacy) logs are written: lines
// starting with `#` are directives (`#Version: 1.0`, `#Fields: date time x-edge-location ...`,
// `#Software:`, `#Date:`, `#Remark:`), every other line is one entry whose values follow the
// order of the latest `#Fields` directive. CloudFront separates values with tabs; the W3C
// format allows runs of spaces too. A `-` marks a value that is absent: it stays `-`, as
// Wazuh's CloudFront rules expect.

import { keyByHeader } from './csv.js';

const DIRECTIVE = '#';
const FIELDS_DIRECTIVE = '#Fields:';
const VERSION_DIRECTIVE = '#Version:';

/**
 * True when the first non-blank lines of a text open with W3C directives that include both
 * `#Version:` and `#Fields:` before the first entry.
 */
export function isW3cExtendedLog(lines: readonly string[]): boolean {
  let version = false;
  let fields = false;
  for (const line of lines) {
    if (!line.startsWith(DIRECTIVE)) break;
    version ||= line.startsWith(VERSION_DIRECTIVE);
    fields ||= fieldNames(line) !== undefined;
  }
  return version && fields;
}

/** Turns the lines of a W3C extended log into entries keyed by the field names in force. */
export class W3cEntryReader {
  private fields: readonly string[] = [];

  /** The entry a line holds; undefined for a directive, which may change the field names. */
  read(line: string): Record<string, string | string[]> | undefined {
    if (line.startsWith(DIRECTIVE)) {
      this.fields = fieldNames(line) ?? this.fields;
      return undefined;
    }
    const values = splitValues(line);
    // A separator at the end of a line (seen in AWS's own example) leaves an empty value
    // beyond the last field: not data.
    while (values.length > this.fields.length && values.at(-1) === '') values.pop();
    return keyByHeader(values, this.fields);
  }
}

/** The names a `#Fields:` directive lists; undefined for any other line or an empty list. */
function fieldNames(line: string): string[] | undefined {
  if (!line.startsWith(FIELDS_DIRECTIVE)) return undefined;

  const names = splitOnSpace(line.slice(FIELDS_DIRECTIVE.length));
  return names.length > 0 ? names : undefined;
}

/** Tabs separate values when the line has any (a value may then hold spaces); else spaces. */
function splitValues(line: string): string[] {
  return line.includes('\t') ? line.split('\t') : splitOnSpace(line);
}

function splitOnSpace(text: string): string[] {
  const trimmed = text.trim();
  return trimmed.length === 0 ? [] : trimmed.split(/[ ]+/);
}
