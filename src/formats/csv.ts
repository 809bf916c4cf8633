// CSV with a header row, as custom logs and VPC flow logs (space separated) are written.
//
// The dialect is sniffed from the first lines: a delimiter (tab, comma, semicolon or space)
// for which the first line reads as a header (two or more distinct names, three or more for
// space) and every following sampled line has exactly as many fields. A name starts with a
// letter or underscore and holds letters, digits and `_ - . ( )`, quoted or not; a field with
// a space inside it or around it is no name, whatever the delimiter, so prose with a comma
// or a tab in each line (`hello, world`) stays plain lines. Only a header quoted field by
// field, as spreadsheet exports write one, may have names with single inner spaces. With a space delimiter the data
// rows must also hold at least one value that is not name-like, so a few lines of prose are
// not taken for a table.
// A header-less CSV therefore reads as plain lines: its first row is data, not names.

export interface CsvDialect {
  readonly delimiter: string;
  readonly header: readonly string[];
}

const DELIMITERS = ['\t', ',', ';', ' '] as const;
const MAX_SAMPLE_ROWS = 20;
const NAME = /^[A-Za-z_][A-Za-z0-9_\-.()]*$/;
/** In a header whose every field is quoted, names may hold single spaces: `"Event Time"`. */
const QUOTED_NAME = /^[A-Za-z_][A-Za-z0-9_\-.()]*( [A-Za-z0-9_\-.()]+)*$/;

/** Splits one line into fields; double quotes protect delimiters, `""` is a quote. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  const collapseRuns = delimiter === ' ';
  let index = collapseRuns ? skipSpaces(line, 0) : 0;

  while (index <= line.length) {
    const [field, next] = line[index] === '"'
      ? readQuoted(line, index, delimiter)
      : readPlain(line, index, delimiter);
    fields.push(field);
    if (next >= line.length) break;
    index = collapseRuns ? skipSpaces(line, next + 1) : next + 1;
    if (collapseRuns && index >= line.length) break;
  }
  return fields;
}

function skipSpaces(line: string, from: number): number {
  let index = from;
  while (line[index] === ' ') index++;
  return index;
}

/** A field up to the delimiter; returns it and the index of that delimiter (or the end). */
function readPlain(line: string, from: number, delimiter: string): [string, number] {
  const end = line.indexOf(delimiter, from);
  const stop = end === -1 ? line.length : end;
  return [line.slice(from, stop), stop];
}

function readQuoted(line: string, from: number, delimiter: string): [string, number] {
  let value = '';
  let index = from + 1;
  for (;;) {
    const quote = line.indexOf('"', index);
    if (quote === -1) return [value + line.slice(index), line.length];
    value += line.slice(index, quote);
    if (line[quote + 1] === '"') {
      value += '"';
      index = quote + 2;
      continue;
    }
    // Text between the closing quote and the delimiter is kept, as lenient readers do.
    const [rest, stop] = readPlain(line, quote + 1, delimiter);
    return [value + rest, stop];
  }
}

function isHeader(fields: readonly string[], delimiter: string, line: string): boolean {
  const minimum = delimiter === ' ' ? 3 : 2;
  const name = delimiter !== ' ' && isQuotedThroughout(line, delimiter) ? QUOTED_NAME : NAME;
  return (
    fields.length >= minimum &&
    fields.every((field) => name.test(field)) &&
    new Set(fields).size === fields.length
  );
}

/** Every field of the line written in double quotes, as spreadsheet exports write headers. */
function isQuotedThroughout(line: string, delimiter: string): boolean {
  return line.split(delimiter).every((raw) => /^".*"$/.test(raw));
}

function fitsRows(rows: readonly string[][], width: number, delimiter: string): boolean {
  if (rows.length === 0 || rows.some((row) => row.length !== width)) return false;
  if (delimiter !== ' ') return true;
  return rows.some((row) => row.some((field) => !NAME.test(field)));
}

/**
 * The dialect of `lines` (the first non-blank lines of a text, header first), or undefined
 * when they do not read as a CSV table with a header row.
 */
export function sniffCsv(lines: readonly string[]): CsvDialect | undefined {
  const [first, ...rest] = lines;
  if (first === undefined) return undefined;
  const sample = rest.slice(0, MAX_SAMPLE_ROWS);

  for (const delimiter of DELIMITERS) {
    // Blanks at the end of the line are a writer's slip, not part of the last name.
    const line = first.trimEnd();
    const header = splitCsvLine(line, delimiter);
    if (!isHeader(header, delimiter, line)) continue;
    const rows = sample.map((line) => splitCsvLine(line, delimiter));
    if (fitsRows(rows, header.length, delimiter)) return { delimiter, header };
  }
  return undefined;
}

/**
 * One data row keyed by the header. Missing trailing values are left out; values beyond the
 * header's width are kept in order under `extra_fields`.
 */
export function csvRow(line: string, dialect: CsvDialect): Record<string, string | string[]> {
  return keyByHeader(splitCsvLine(line, dialect.delimiter), dialect.header);
}

/** Values keyed by the names in the same position, with the same rules as csvRow. */
export function keyByHeader(
  values: readonly string[],
  header: readonly string[],
): Record<string, string | string[]> {
  // fromEntries defines each name as an own member, so a column called `__proto__` is data
  // like any other instead of an assignment to the prototype, which would drop it.
  const width = Math.min(values.length, header.length);
  const row: Record<string, string | string[]> = Object.fromEntries(
    header.slice(0, width).map((name, index) => [name, values[index]!]),
  );
  if (values.length > header.length) row.extra_fields = values.slice(header.length);
  return row;
}
