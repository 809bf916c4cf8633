import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { ParseError } from '../src/errors.js';
import type { ObjectRef, WazuhEvent } from '../src/model.js';
import type { ObjectReader } from '../src/objects/reader.js';
import { RunStats } from '../src/stats.js';
import { SecurityLakeSubscriber } from '../src/subscribers/security-lake.js';
// @ts-expect-error: a plain JavaScript helper of the benchmark, without type declarations.
import { ocsfParquet } from '../scripts/lib/ocsf.mjs';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const haveCorpus = existsSync(CORPUS);
if (!haveCorpus) console.log(`security_lake corpus tests skipped: ${CORPUS} is missing`);

const BUCKET = 'aws-security-data-lake-us-east-1-example';

/** An ObjectReader over files of the corpus, keyed by their path under corpus/. */
class CorpusReader implements ObjectReader {
  readonly ranges: Array<[number, number]> = [];

  private bytes(ref: ObjectRef): Buffer {
    return readFileSync(CORPUS + ref.key);
  }

  async stream(): Promise<AsyncIterable<Uint8Array>> {
    throw new Error('security_lake must read by range, not stream');
  }

  async size(ref: ObjectRef): Promise<number> {
    return this.bytes(ref).length;
  }

  async range(ref: ObjectRef, start: number, end: number): Promise<Uint8Array> {
    this.ranges.push([start, end]);
    return new Uint8Array(this.bytes(ref).subarray(start, end));
  }
}

async function readBatches(
  key: string,
  subscriber = new SecurityLakeSubscriber({ reader: new CorpusReader() }),
) {
  const batches: WazuhEvent[][] = [];
  for await (const batch of subscriber.events({ bucket: BUCKET, key })) batches.push([...batch]);
  return batches;
}

async function readRows(key: string): Promise<WazuhEvent[]> {
  return (await readBatches(key)).flat();
}

async function parseErrorOf(key: string): Promise<ParseError> {
  try {
    await readRows(key);
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error(`expected a ParseError for ${key}`);
}

describe.skipIf(!haveCorpus)('security_lake corpus', () => {
  // Row counts read from each file's footer with a separate script and checked against
  // corpus/MANIFEST.md: every sample holds one row except the three-row-group file.
  const singleRowFiles = haveCorpus
    ? readdirSync(CORPUS + 'parquet').filter((name) => !name.includes('3rowgroups'))
    : [];

  it.each(singleRowFiles)('reads the one row of parquet/%s', async (name) => {
    const rows = await readRows(`parquet/${name}`);
    expect(rows).toHaveLength(1);
    expect(() => JSON.stringify(rows[0])).not.toThrow();
  });

  it('reads a file of three row groups one group at a time', async () => {
    const batches = await readBatches(
      'parquet/made-ocsf-1.1.0-ConsoleLogin-3rowgroups-zstd.parquet',
    );
    expect(batches.map((batch) => batch.length)).toEqual([1, 1, 1]);
  });

  it('gives the fields Wazuh rules match as JSON numbers and strings', async () => {
    const [row] = await readRows(
      'parquet/securitylake-ocsf-1.1.0_CLOUD_TRAIL_authentication_tests_ConsoleLogin.test.parquet',
    );
    expect(row).toMatchObject({
      class_uid: 3002,
      category_uid: 3,
      activity_id: 1,
      severity_id: 1,
      type_uid: 300201,
      time: 1668097474000,
      metadata: { product: { name: 'CloudTrail' }, version: '1.1.0' },
    });
  });

  it('writes timestamps as ISO 8601 in UTC and maps as objects', async () => {
    const [row] = await readRows(
      'parquet/securitylake-ocsf-1.1.0_CLOUD_TRAIL_authentication_tests_ConsoleLogin.test.parquet',
    );
    expect(row?.time_dt).toBe('2022-11-10T16:24:34.000Z');
    expect(row?.unmapped).toEqual({ 'additionalEventData.MobileVersion': 'No' });
  });

  it('reads the same row from GZIP, SNAPPY, ZSTD and uncompressed files', async () => {
    const codecs = ['none', 'snappy', 'zstd'].map(
      (codec) => `parquet/made-ocsf-1.1.0-ConsoleLogin-reencoded-${codec}.parquet`,
    );
    const [none, snappy, zstd] = await Promise.all(codecs.map(readRows));
    expect(snappy).toEqual(none);
    expect(zstd).toEqual(none);

    const [gzip] = await readRows(
      'parquet/securitylake-ocsf-1.1.0_CLOUD_TRAIL_authentication_tests_ConsoleLogin.test.parquet',
    );
    for (const field of [
      'class_uid',
      'time',
      'time_dt',
      'type_uid',
      'metadata',
      'unmapped',
      'api',
    ]) {
      expect(none?.[0]?.[field]).toEqual(gzip?.[field]);
    }
  });

  it('reads lists of structs as arrays whichever list layout the writer used', async () => {
    const [row] = await readRows(
      'parquet/securitylake-ocsf-1.1.0_SH_FINDINGS_vulnerability_findings_tests_Inspector.test.parquet',
    );
    const vulnerabilities = row?.vulnerabilities as Array<Record<string, any>>;
    expect(Array.isArray(vulnerabilities)).toBe(true);
    expect(vulnerabilities[0]?.cve.uid).toBe('CVE-2022-23491');
    expect(
      vulnerabilities[0]?.cve.cvss.map((cvss: { base_score: number }) => cvss.base_score),
    ).toEqual([7.5, 4]);
    expect(row?.severity).toBe('High');
  });

  it('reads a two-level list of one-field structs as a list of structs', async () => {
    const [row] = await readRows('parquet/securitylake-ocsf-1.1.0_EKS_test.parquet');
    expect((row?.actor as { user: { groups: unknown } }).user.groups).toEqual([
      { name: 'system:bootstrappers' },
      { name: 'system:nodes' },
      { name: 'system:authenticated' },
    ]);
  });

  it('reads OCSF 1.0.0-rc.2 findings with their class and product', async () => {
    const [row] = await readRows(
      'parquet/securitylake-ocsf-1.0.0-rc.2_SH_FINDINGS_example0.json.gz.parquet',
    );
    expect(row).toMatchObject({
      class_uid: 2001,
      category_uid: 2,
      activity_id: 2,
      type_uid: 200102,
    });
    expect(row).toMatchObject({ metadata: { product: { name: 'Security Hub' } } });
  });

  it('reads a Parquet file that is not OCSF as it is', async () => {
    expect(await readRows('parquet/wazuh-securitylake-test_file.parquet')).toEqual([
      { key1: 'value1', key2: 'value2' },
    ]);
    const [flow] = await readRows(
      'parquet/securitylake-ocsf-1.0.0-rc.2_VPC_FLOW_inputs_vpc_flow-input3.parquet',
    );
    expect(flow).toMatchObject({
      log_status: 'NODATA',
      version: 5,
      start: 1646957737,
      bytes: null,
    });
  });

  it.each([
    ['bad/empty.parquet', 'empty object'],
    ['bad/truncated-ocsf.parquet', 'not a complete Parquet file'],
    ['bad/gzip-json-named-as.gz.parquet', 'no PAR1 magic'],
  ])('rejects %s with a ParseError naming bucket and key', async (key, reason) => {
    const error = await parseErrorOf(key);
    expect(error.message).toContain(`s3://${BUCKET}/${key}`);
    expect(error.message).toContain(reason);
  });

  it('leaves out and counts the rows the discard filter matches', async () => {
    const stats = new RunStats();
    const discard = (event: WazuhEvent) =>
      (event.metadata as { product: { name: string } }).product.name === 'CloudTrail';
    const subscriber = new SecurityLakeSubscriber({ reader: new CorpusReader(), stats, discard });
    const rows = (
      await readBatches('parquet/made-ocsf-1.1.0-ConsoleLogin-3rowgroups-zstd.parquet', subscriber)
    ).flat();
    expect(rows).toHaveLength(0);
    expect(stats.eventsDiscarded).toBe(3);
  });
});

describe('SecurityLakeSubscriber on a file of many row groups', () => {
  /** An ObjectReader over bytes in memory that records every range it is asked for. */
  function memoryReader(bytes: Uint8Array) {
    const ranges: number[] = [];
    const reader: ObjectReader = {
      stream: async () => {
        throw new Error('security_lake must read by range, not stream');
      },
      size: async () => bytes.length,
      range: async (_ref, start, end) => {
        ranges.push(end - start);
        return bytes.slice(start, end);
      },
    };
    return { reader, ranges };
  }

  it('reads every row by one range per row group, in batches of at most 1000', async () => {
    const bytes: Uint8Array = ocsfParquet(12_000, { rowGroupSize: 2_000 });
    const { reader, ranges } = memoryReader(bytes);
    const subscriber = new SecurityLakeSubscriber({ reader });

    let rows = 0;
    let largestBatch = 0;
    let first: WazuhEvent | undefined;
    for await (const batch of subscriber.events({ bucket: BUCKET, key: 'generated.parquet' })) {
      first ??= batch[0];
      rows += batch.length;
      largestBatch = Math.max(largestBatch, batch.length);
    }

    expect(rows).toBe(12_000);
    expect(largestBatch).toBe(1000);
    // First the 4-byte magic and the footer (hyparquet asks for the last 512 KiB, here the
    // whole file), then one range per row group: six of them, each a sixth of the file.
    expect(ranges.slice(0, 2)).toEqual([4, bytes.length]);
    expect(ranges).toHaveLength(2 + 6);
    expect(Math.max(...ranges.slice(2))).toBeLessThan(bytes.length / 4);
    expect(first).toMatchObject({
      time_dt: '2024-03-07T00:00:00.000Z',
      metadata: { version: '1.1.0', profiles: ['cloud', 'datetime'] },
    });
    expect(typeof first?.type_uid).toBe('number');
  });
});
