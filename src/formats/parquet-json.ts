// How a Parquet value becomes JSON, one fixed rule per type, so the same column always gives
// the same JSON type and Wazuh rules can match it:
// - integers (INT32, and INT64 read as BigInt) are JSON numbers; an INT64 outside
//   +-(2^53 - 1), which no JSON reader holds exactly, is its decimal digits as a string;
// - timestamps and dates are ISO 8601 strings in UTC with milliseconds
//   ("2022-11-10T16:24:34.000Z"), the form OCSF gives its `*_dt` datetime fields;
// - decimals are JSON numbers; NaN and infinities, which JSON cannot hold, are null;
// - binary not marked as text is base64;
// - maps are JSON objects (key -> value), lists are arrays, missing values are null.

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

export function toJsonValue(value: unknown): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return bigintToJson(value);
    case 'object':
      return value === null ? null : objectToJson(value);
    default:
      return null;
  }
}

/**
 * One row of a Parquet file as the JSON object Wazuh receives. The row is converted in place
 * (its objects and arrays are reused), which halves the garbage of reading a large file;
 * converting a value twice changes nothing.
 */
export function toJsonRow(row: Record<string, unknown>): { [key: string]: JsonValue } {
  for (const name of Object.keys(row)) row[name] = toJsonValue(row[name]);
  return row as { [key: string]: JsonValue };
}

function bigintToJson(value: bigint): number | string {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}

function objectToJson(value: object): JsonValue {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.length).toString('base64');
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) value[index] = toJsonValue(value[index]);
    return value as JsonValue[];
  }
  if (ArrayBuffer.isView(value)) {
    return Array.from(value as unknown as ArrayLike<unknown>, toJsonValue);
  }
  return toJsonRow(value as Record<string, unknown>);
}
