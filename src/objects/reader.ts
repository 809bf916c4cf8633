// The seam between the pipeline and S3: everything a subscriber needs to read one object.
// The S3 implementation lives beside this file; tests hand in fakes.

import type { ObjectRef } from '../model.js';

export interface ObjectReader {
  /** The object's bytes as stored (still compressed), streamed. */
  stream(ref: ObjectRef, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array>>;

  /** Size in bytes (a HEAD request unless the notification said it). */
  size(ref: ObjectRef, signal?: AbortSignal): Promise<number>;

  /** Bytes start .. end-1 of the object, for formats read by ranges (Parquet). */
  range(ref: ObjectRef, start: number, end: number, signal?: AbortSignal): Promise<Uint8Array>;
}
