// security_lake: Amazon Security Lake writes OCSF records as Parquet. Each row goes to Wazuh
// as its own JSON object, without the `integration` envelope of the other types, which is
// what Wazuh's Security Lake rules expect. This module is loaded only for security_lake runs
// (see createSubscriber), so the Parquet code costs the other types nothing.

import { type ByteSource, type JsonRow, readParquetRows } from '../formats/parquet.js';
import type { ObjectRef, WazuhEvent } from '../model.js';
import type { ObjectReader } from '../objects/reader.js';
import type { RunStats } from '../stats.js';
import type { Subscriber } from './subscriber.js';

/** Rows handed to the pipeline at a time; row groups are read whole, then cut to this. */
const BATCH_ROWS = 1000;

export interface SecurityLakeOptions {
  readonly reader: ObjectReader;
  readonly stats?: RunStats;
  /** True for a row to leave out (--discard-field / --discard-regex). */
  readonly discard?: (row: WazuhEvent) => boolean;
}

export class SecurityLakeSubscriber implements Subscriber {
  private readonly options: SecurityLakeOptions;

  constructor(options: SecurityLakeOptions) {
    this.options = options;
  }

  async *events(ref: ObjectRef, signal?: AbortSignal): AsyncGenerator<readonly WazuhEvent[]> {
    const source = await this.byteSource(ref, signal);
    for await (const rows of readParquetRows(source, ref, BATCH_ROWS)) {
      const kept = this.keep(rows);
      if (kept.length > 0) yield kept;
    }
  }

  private async byteSource(ref: ObjectRef, signal?: AbortSignal): Promise<ByteSource> {
    const { reader } = this.options;
    const byteLength = await reader.size(ref, signal);
    return { byteLength, read: (start, end) => reader.range(ref, start, end, signal) };
  }

  private keep(rows: JsonRow[]): JsonRow[] {
    const { discard, stats } = this.options;
    if (!discard) return rows;

    const kept = rows.filter((row) => !discard(row));
    if (stats) stats.eventsDiscarded += rows.length - kept.length;
    return kept;
  }
}
