import { describe, expect, it } from 'vitest';

import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

import { toJsonRow, toJsonValue } from '../src/formats/parquet-json.js';
import { readRowGroupRows } from '../src/formats/parquet-row-group.js';
// @ts-expect-error: a plain JavaScript helper of the benchmark, without type declarations.
import { ocsfParquet } from '../scripts/lib/ocsf.mjs';

describe('toJsonValue', () => {
  it('writes INT64 values as numbers while JSON holds them exactly', () => {
    expect(toJsonValue(300201n)).toBe(300201);
    expect(toJsonValue(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(toJsonValue(-42n)).toBe(-42);
  });

  it('writes INT64 values beyond 2^53 as their exact decimal digits', () => {
    expect(toJsonValue(9007199254740993n)).toBe('9007199254740993');
    expect(toJsonValue(-9223372036854775808n)).toBe('-9223372036854775808');
  });

  it('writes timestamps as ISO 8601 UTC with milliseconds', () => {
    expect(toJsonValue(new Date(1668097474000))).toBe('2022-11-10T16:24:34.000Z');
    expect(toJsonValue(new Date(Number.NaN))).toBeNull();
  });

  it('writes binary as base64 and non-finite numbers as null', () => {
    expect(toJsonValue(new Uint8Array([0, 255, 16]))).toBe('AP8Q');
    expect(toJsonValue(Number.NaN)).toBeNull();
    expect(toJsonValue(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('converts inside lists, typed arrays and maps', () => {
    expect(toJsonValue([1n, new Date(0), null])).toEqual([1, '1970-01-01T00:00:00.000Z', null]);
    expect(toJsonValue(new BigInt64Array([5n, 6n]))).toEqual([5, 6]);
    expect(toJsonValue({ a: { b: 7n }, c: undefined })).toEqual({ a: { b: 7 }, c: null });
  });

  it('gives a row that JSON.stringify accepts', () => {
    const row = toJsonRow({ time: 1668097474000n, time_dt: new Date(0), raw: new Uint8Array([1]) });
    expect(JSON.parse(JSON.stringify(row))).toEqual({
      time: 1668097474000,
      time_dt: '1970-01-01T00:00:00.000Z',
      raw: 'AQ==',
    });
  });
});

describe('readRowGroupRows', () => {
  /** An AsyncBuffer over bytes in memory that counts the reads it serves. */
  function countingFile(bytes: Uint8Array) {
    const reads: number[] = [];
    const file = {
      byteLength: bytes.length,
      slice: async (start: number, end = bytes.length) => {
        reads.push(end - start);
        return bytes.slice(start, end).buffer;
      },
    };
    return { file, reads };
  }

  it('reads a row group a few columns at a time into the same rows, from one range', async () => {
    const bytes: Uint8Array = ocsfParquet(3000, { rowGroupSize: 3000 });
    const metadata = parquetMetadata(bytes.slice().buffer);
    const rowGroup = metadata.row_groups[0]!;

    const whole = countingFile(bytes);
    const expected = await readRowGroupRows(whole.file, metadata, rowGroup, [0, 3000]);
    // 3,000 rows and a budget of 6,000 values: two leaf columns per read, from one fetch.
    const narrow = countingFile(bytes);
    const rows = await readRowGroupRows(narrow.file, metadata, rowGroup, [0, 3000], 6000);

    expect(rows).toEqual(expected);
    expect(expected).toEqual(
      await parquetReadObjects({ file: bytes.slice().buffer, compressors, utf8: false }),
    );
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(expected[0]!));
    expect(Object.keys(rows[0]!).slice(0, 3)).toEqual(['metadata', 'time', 'time_dt']);
    expect(narrow.reads).toHaveLength(1);
    expect(rows[2999]).toMatchObject({
      class_uid: expect.any(Number),
      metadata: { version: '1.1.0' },
    });
  });
});
