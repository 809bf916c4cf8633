// The security_lake subscriber reads many objects at once (one per message in flight), yet
// holds at most one Parquet row group in memory across all of them. These tests watch that
// from the outside: which byte ranges the reader is asked for, and which rows come out.

import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';

import type { ObjectRef, WazuhEvent } from '../src/model.js';
import type { ObjectReader } from '../src/objects/reader.js';
import { SecurityLakeSubscriber } from '../src/subscribers/security-lake.js';
// @ts-expect-error: a plain JavaScript helper of the benchmark, without type declarations.
import { ocsfParquet } from '../scripts/lib/ocsf.mjs';

const BUCKET = 'aws-security-data-lake-us-east-1-example';
const ROWS_PER_GROUP = 1_500;
const GROUPS_PER_OBJECT = 3;

interface StoredObject {
  readonly bytes: Uint8Array;
  /** Byte range [start, end) of each row group's column chunks. */
  readonly groups: ReadonlyArray<readonly [number, number]>;
}

function makeObject(seed: number): StoredObject {
  const bytes: Uint8Array = ocsfParquet(ROWS_PER_GROUP * GROUPS_PER_OBJECT, {
    rowGroupSize: ROWS_PER_GROUP,
    seed,
  });
  const metadata = parquetMetadata(bytes.buffer as ArrayBuffer);
  const groups = metadata.row_groups.map((group) => {
    const chunks = group.columns.map(({ meta_data: meta }) => {
      const start = Number(meta!.dictionary_page_offset ?? meta!.data_page_offset);
      return [start, start + Number(meta!.total_compressed_size)] as const;
    });
    return [Math.min(...chunks.map(([start]) => start)), Math.max(...chunks.map(([, end]) => end))];
  }) as Array<[number, number]>;
  expect(groups).toHaveLength(GROUPS_PER_OBJECT);
  return { bytes, groups };
}

/**
 * An ObjectReader over objects in memory that keeps track of the row groups held: a group is
 * taken when a range inside its column chunks is first read, and given back by the test once
 * the group's last row was delivered or its reader stopped.
 */
class WatchingReader implements ObjectReader {
  readonly objects = new Map<string, StoredObject>();
  readonly held = new Set<string>();
  mostHeld = 0;
  groupReads = 0;
  failOnGroup: { key: string; group: number } | undefined;

  add(key: string, object: StoredObject): ObjectRef {
    this.objects.set(key, object);
    return { bucket: BUCKET, key };
  }

  async stream(): Promise<AsyncIterable<Uint8Array>> {
    throw new Error('security_lake must read by range, not stream');
  }

  async size(ref: ObjectRef): Promise<number> {
    await turn();
    return this.object(ref).bytes.length;
  }

  async range(ref: ObjectRef, start: number, end: number): Promise<Uint8Array> {
    await turn();
    const { bytes, groups } = this.object(ref);
    const group = groups.findIndex(([first, last]) => start >= first && end <= last);
    if (group >= 0) this.take(ref.key, group);
    return bytes.slice(start, end);
  }

  giveBack(key: string, group: number): void {
    this.held.delete(`${key}#${group}`);
  }

  private take(key: string, group: number): void {
    if (this.failOnGroup?.key === key && this.failOnGroup.group === group) {
      throw new Error(`connection reset reading row group ${group + 1} of ${key}`);
    }
    this.groupReads++;
    this.held.add(`${key}#${group}`);
    this.mostHeld = Math.max(this.mostHeld, this.held.size);
  }

  private object(ref: ObjectRef): StoredObject {
    const object = this.objects.get(ref.key);
    if (!object) throw new Error(`no object ${ref.key}`);
    return object;
  }
}

/** Lets every other pending read and consumer run, as S3 and the sink would. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The file row number of an OCSF row made by ocsfParquet (its request uid is `req-N`). */
function rowNumber(row: WazuhEvent): number {
  return Number((row.api as { request: { uid: string } }).request.uid.slice('req-'.length));
}

/** Consumes one object as the pipeline does, giving back each group once its last row came. */
async function readAll(
  subscriber: SecurityLakeSubscriber,
  reader: WatchingReader,
  ref: ObjectRef,
): Promise<number[]> {
  const rows: number[] = [];
  for await (const batch of subscriber.events(ref)) {
    for (const row of batch) {
      const number = rowNumber(row);
      rows.push(number);
      if ((number + 1) % ROWS_PER_GROUP === 0) {
        reader.giveBack(ref.key, Math.floor(number / ROWS_PER_GROUP));
      }
    }
    await turn();
  }
  return rows;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

describe('security_lake row-group permit', () => {
  const objects = [1, 2, 3, 4].map(makeObject);

  it('holds one row group at a time however many objects are read at once', async () => {
    const reader = new WatchingReader();
    const refs = objects.map((object, i) => reader.add(`lake/object-${i}.parquet`, object));
    const subscriber = new SecurityLakeSubscriber({ reader });

    const rows = await Promise.all(refs.map((ref) => readAll(subscriber, reader, ref)));

    expect(reader.groupReads).toBe(objects.length * GROUPS_PER_OBJECT);
    expect(reader.mostHeld).toBe(1);
    for (const objectRows of rows) expect(objectRows).toEqual(range(3 * ROWS_PER_GROUP));
  });

  it('gives the permit back when a consumer stops after one batch', async () => {
    const reader = new WatchingReader();
    const [first, second] = objects.map((object, i) => reader.add(`lake/${i}.parquet`, object));
    const subscriber = new SecurityLakeSubscriber({ reader });

    const stopping = subscriber.events(first!)[Symbol.asyncIterator]();
    expect((await stopping.next()).done).toBe(false);
    const rows = readAll(subscriber, reader, second!);
    // Time enough for the second object to reach its first row group, were it free to.
    for (let i = 0; i < 20; i++) await turn();
    await stopping.return(undefined);
    reader.giveBack(first!.key, 0);

    expect(await rows).toEqual(range(3 * ROWS_PER_GROUP));
    expect(reader.mostHeld).toBe(1);
  });

  it('gives the permit back when reading a row group fails', async () => {
    const reader = new WatchingReader();
    const [first, second] = objects.map((object, i) => reader.add(`lake/${i}.parquet`, object));
    reader.failOnGroup = { key: first!.key, group: 1 };
    const subscriber = new SecurityLakeSubscriber({ reader });

    const failing = readAll(subscriber, reader, first!);
    const rows = readAll(subscriber, reader, second!);

    await expect(failing).rejects.toThrow(/connection reset reading row group 2/);
    expect(await rows).toEqual(range(3 * ROWS_PER_GROUP));
    expect(reader.mostHeld).toBe(1);
  });
});
