import { describe, expect, it } from 'vitest';

import { toJsonRow, toJsonValue } from '../src/formats/parquet-json.js';

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
    expect(JSON.parse(JSON.stringify(row))).toEqual({ time: 1668097474000, time_dt: '1970-01-01T00:00:00.000Z', raw: 'AQ==' });
  });
});
