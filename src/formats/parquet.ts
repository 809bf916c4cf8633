// Reads the rows of a Parquet file through byte ranges, one row group at a time, so memory
// follows the largest row group rather than the file. Given ReadPermits shared by a run, only
// as many row groups as it has permits are in memory at once, however many objects are read
// at the same time. Every failure to read the file as Parquet is a ParseError naming the object.

import {
  type AsyncBuffer,
  type FileMetaData,
  type RowGroup,
  parquetMetadataAsync,
} from 'hyparquet';

import { type ObjectLocation, ParseError, WodleError } from '../errors.js';
import { type JsonValue, toJsonRow } from './parquet-json.js';
import { legacyListNormalizer } from './parquet-lists.js';
import type { ReadPermits } from './parquet-permits.js';
import { type ParquetRow, readRowGroupRows } from './parquet-row-group.js';

/** The bytes of one object, read by range. */
export interface ByteSource {
  readonly byteLength: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

export type JsonRow = { [column: string]: JsonValue };

export interface ParquetReadOptions {
  /** Most rows per yielded batch. */
  readonly batchRows: number;
  /** Held while a row group is read and its rows handed out; none bounds nothing. */
  readonly permits?: ReadPermits;
}

const MAGIC = 'PAR1';
// Header magic, footer length and footer magic: no Parquet file is shorter.
const MIN_FILE_BYTES = 12;

/** Yields the rows of the file in batches of at most `batchRows`, row group by row group. */
export async function* readParquetRows(
  source: ByteSource,
  location: ObjectLocation,
  { batchRows, permits }: ParquetReadOptions,
): AsyncGenerator<JsonRow[]> {
  const file = asAsyncBuffer(source);
  const metadata = await readMetadata(file, location);
  const normalize = legacyListNormalizer(metadata);
  const toJson = normalize ? (row: ParquetRow) => toJsonRow(normalize(row)) : toJsonRow;

  let groupStart = 0;
  for (const [index, rowGroup] of metadata.row_groups.entries()) {
    const groupEnd = groupStart + Number(rowGroup.num_rows);
    const group: GroupRef = { rowGroup, index, rows: [groupStart, groupEnd] };

    // Held until the consumer has taken the group's last batch, or has stopped reading.
    await permits?.acquire();
    try {
      const rows = await readRowGroup(file, metadata, group, location);
      // Taken out of the group's array as they go, so yielded rows can be collected early.
      while (rows.length > 0) yield rows.splice(0, batchRows).map(toJson);
    } finally {
      permits?.release();
    }
    groupStart = groupEnd;
  }
}

interface GroupRef {
  readonly rowGroup: RowGroup;
  readonly index: number;
  /** File row numbers [first, end). */
  readonly rows: [number, number];
}

async function readMetadata(file: AsyncBuffer, location: ObjectLocation): Promise<FileMetaData> {
  if (file.byteLength === 0) throw new ParseError(location, 'empty object, not a Parquet file');
  if (file.byteLength < MIN_FILE_BYTES) {
    throw new ParseError(location, `${file.byteLength} bytes is too short for a Parquet file`);
  }

  const head = new TextDecoder().decode(await file.slice(0, MAGIC.length));
  if (head !== MAGIC) {
    throw new ParseError(location, 'not a Parquet file (no PAR1 magic at the start)');
  }

  try {
    return await parquetMetadataAsync(file);
  } catch (error) {
    throw asParseError(error, location, 'not a complete Parquet file');
  }
}

async function readRowGroup(
  file: AsyncBuffer,
  metadata: FileMetaData,
  { rowGroup, index, rows }: GroupRef,
  location: ObjectLocation,
): Promise<ParquetRow[]> {
  try {
    return await readRowGroupRows(file, metadata, rowGroup, rows);
  } catch (error) {
    throw asParseError(error, location, `row group ${index + 1} of ${metadata.row_groups.length}`);
  }
}

/** Errors of the reader itself (S3, abort) pass through; hyparquet's become ParseErrors. */
function asParseError(error: unknown, location: ObjectLocation, context: string): Error {
  if (error instanceof WodleError || (error as Error)?.name === 'AbortError') return error as Error;
  const reason = (error as Error)?.message ?? String(error);
  return new ParseError(location, `${context}: ${reason}`, { cause: error });
}

function asAsyncBuffer(source: ByteSource): AsyncBuffer {
  return {
    byteLength: source.byteLength,
    async slice(start: number, end = source.byteLength): Promise<ArrayBuffer> {
      const bytes = await source.read(start, end);
      return toArrayBuffer(bytes);
    },
  };
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  if (whole && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}
