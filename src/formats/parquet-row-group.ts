// Reads one row group with bounded memory. hyparquet decodes a column chunk into per-row
// nested arrays that take several times the room of the rows they become (about 6 KB a row
// for an OCSF row of 30 leaves, against 1.3 KB assembled), so a row group is read a few
// top-level columns at a time and the partial rows are merged. Its bytes are fetched in one
// range first: the compressed row group is small next to its decoded form, and one request
// serves all the column reads.
//
// Rows are not read in slices of the group: hyparquet reads a nested column (any column inside
// a struct, so nearly all of OCSF) from the start of its chunk whatever the row range, so each
// slice decoded the whole chunk again. Measured on `npm run bench:parquet`, slices of 5,000
// rows of a 20,000-row group made the peak RSS 543 MB instead of 414 MB, and the run slower.

import {
  type AsyncBuffer,
  type ColumnChunk,
  type ColumnData,
  type FileMetaData,
  type RowGroup,
  parquetRead,
  parquetSchema,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/**
 * Decoded leaf values one read may hold by default: rows times leaf columns. A read's decoded
 * columns are garbage once merged into the rows; a small budget keeps each read's share small
 * (one or two leaves of a 20,000-row group) at no measurable cost in speed.
 */
export const LEAF_VALUES_PER_READ = 25_000;

/** Row groups larger than this (compressed) are read per column batch instead of at once. */
const MAX_PREFETCH_BYTES = 64 * 1024 * 1024;

export type ParquetRow = Record<string, unknown>;

export async function readRowGroupRows(
  file: AsyncBuffer,
  metadata: FileMetaData,
  rowGroup: RowGroup,
  [rowStart, rowEnd]: [number, number],
  leafValuesPerRead = LEAF_VALUES_PER_READ,
): Promise<ParquetRow[]> {
  const groupFile = await withRowGroupBytes(file, rowGroup);
  const names = parquetSchema(metadata).children.map((column) => column.element.name);
  const rows = emptyRows(names, rowEnd - rowStart);

  for (const columns of columnBatches(metadata, rowEnd - rowStart, leafValuesPerRead)) {
    // utf8: false keeps binary columns not marked as text as bytes (written as base64).
    await parquetRead({
      file: groupFile, metadata, rowStart, rowEnd, columns, compressors, utf8: false,
      onChunk: (chunk) => fillColumn(rows, rowStart, chunk),
    });
  }
  return rows;
}

/** Rows with every column present from the start, in schema order, so all share one shape. */
function emptyRows(names: readonly string[], count: number): ParquetRow[] {
  const template = Object.fromEntries(names.map((name) => [name, undefined]));
  return Array.from({ length: count }, () => ({ ...template }));
}

/** Copies a decoded column into the rows; a chunk may cover rows outside the range. */
function fillColumn(rows: ParquetRow[], rowStart: number, chunk: ColumnData): void {
  const first = Math.max(chunk.rowStart, rowStart);
  const last = Math.min(chunk.rowEnd, rowStart + rows.length);
  for (let row = first; row < last; row++) {
    rows[row - rowStart]![chunk.columnName] = chunk.columnData[row - chunk.rowStart];
  }
}

/** Top-level column names in schema order, grouped so each read stays under the budget. */
function columnBatches(
  metadata: FileMetaData,
  rowCount: number,
  leafValuesPerRead: number,
): string[][] {
  const maxLeaves = Math.max(1, Math.floor(leafValuesPerRead / Math.max(rowCount, 1)));
  const batches: string[][] = [];
  let current: string[] = [];
  let leaves = 0;

  for (const column of parquetSchema(metadata).children) {
    const columnLeaves = countLeaves(column);
    if (current.length > 0 && leaves + columnLeaves > maxLeaves) {
      batches.push(current);
      current = [];
      leaves = 0;
    }
    current.push(column.element.name);
    leaves += columnLeaves;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function countLeaves(node: { children: readonly { children: readonly unknown[] }[] }): number {
  if (node.children.length === 0) return 1;
  return node.children.reduce((sum, child) => sum + countLeaves(child as typeof node), 0);
}

/** The file, with the row group's byte span served from memory after one read. */
async function withRowGroupBytes(file: AsyncBuffer, rowGroup: RowGroup): Promise<AsyncBuffer> {
  const [spanStart, spanEnd] = byteSpan(rowGroup.columns);
  if (spanEnd <= spanStart || spanEnd - spanStart > MAX_PREFETCH_BYTES) return file;

  const span = new Uint8Array(await file.slice(spanStart, spanEnd));
  return {
    byteLength: file.byteLength,
    slice(start: number, end = file.byteLength) {
      if (start < spanStart || end > spanEnd) return file.slice(start, end);
      return span.slice(start - spanStart, end - spanStart).buffer;
    },
  };
}

function byteSpan(columns: readonly ColumnChunk[]): [number, number] {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const { meta_data: meta } of columns) {
    if (!meta) continue;
    // Some writers put 0 for a dictionary page that is not there.
    const chunkStart = Number(meta.dictionary_page_offset || meta.data_page_offset);
    start = Math.min(start, chunkStart);
    end = Math.max(end, chunkStart + Number(meta.total_compressed_size));
  }
  return Number.isFinite(start) ? [start, end] : [0, 0];
}
