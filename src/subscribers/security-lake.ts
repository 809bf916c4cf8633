// security_lake: Amazon Security Lake writes OCSF records as Parquet. Each row goes to Wazuh
// as its own JSON object, without the `integration` envelope of the other types, which is
// what Wazuh's Security Lake rules expect. This module is loaded only for security_lake runs
// (see createSubscriber), so the Parquet code costs the other types nothing.

import { type ByteSource, type JsonRow, readParquetRows } from '../formats/parquet.js';
import { ReadPermits } from '../formats/parquet-permits.js';
import type { ObjectRef, WazuhEvent } from '../model.js';
import type { ObjectReader } from '../objects/reader.js';
import type { RunStats } from '../stats.js';
import type { Subscriber } from './subscriber.js';

/** Rows handed to the pipeline at a time; row groups are read in slices, then cut to this. */
const BATCH_ROWS = 1000;

/**
 * Row groups in memory at once across all the objects this subscriber reads: the pipeline
 * processes up to 20 messages at the same time, and memory must not grow with that number.
 * One is enough to keep the single JavaScript thread busy; the others wait their turn.
 */
const ROW_GROUPS_IN_FLIGHT = 1;

export interface SecurityLakeOptions {
  readonly reader: ObjectReader;
  readonly stats?: RunStats;
  /** True for a row to leave out (--discard-field / --discard-regex). */
  readonly discard?: (row: WazuhEvent) => boolean;
}

export class SecurityLakeSubscriber implements Subscriber {
  private readonly options: SecurityLakeOptions;
  private readonly permits = new ReadPermits(ROW_GROUPS_IN_FLIGHT);

  constructor(options: SecurityLakeOptions) {
    this.options = options;
  }

  async *events(ref: ObjectRef, signal?: AbortSignal): AsyncGenerator<readonly WazuhEvent[]> {
    const source = await this.byteSource(ref, signal);
    const options = { batchRows: BATCH_ROWS, permits: this.permits };
    for await (const rows of readParquetRows(source, ref, options)) {
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
