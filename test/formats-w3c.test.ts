import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { detectFormat } from '../src/formats/detect.js';
import { readTextRecords, type RawRecord } from '../src/formats/index.js';
import { isW3cExtendedLog } from '../src/formats/w3c.js';

const location = { bucket: 'logs', key: 'cloudfront/E2EXAMPLE.2024-01-01-00.abcd.gz' };
const CLOUDFRONT = fileURLToPath(new URL('../../shared/corpus/logs/cloudfront/', import.meta.url));
const haveCorpus = existsSync(CLOUDFRONT);
if (!haveCorpus) console.log(`skipping CloudFront corpus samples: ${CLOUDFRONT} not found`);

async function* inPieces(text: string, size: number): AsyncGenerator<string> {
  for (let start = 0; start < text.length; start += size) yield text.slice(start, start + size);
}

async function records(text: string, pieceSize = 11): Promise<RawRecord[]> {
  const all: RawRecord[] = [];
  for await (const batch of readTextRecords(inPieces(text, pieceSize), location)) {
    all.push(...batch);
  }
  return all;
}

async function entries(text: string): Promise<unknown[]> {
  return (await records(text)).map((record) => {
    expect(record.kind).toBe('csv');
    return record.kind === 'csv' ? record.fields : undefined;
  });
}

const HEADER = '#Version: 1.0\n#Fields: date time x-edge-location sc-status cs(Referer)\n';

describe('W3C extended logs (CloudFront standard logs)', () => {
  it('is recognised by #Version and #Fields before the first entry', () => {
    expect(detectFormat(`${HEADER}2024-01-01\t10:00:00\tLAX1\t200\t-\n`, true)).toEqual({
      kind: 'w3c',
    });
    expect(isW3cExtendedLog(['#Software: x', '#Version: 1.0', '#Date: 2024', '#Fields: a b'])).toBe(
      true,
    );
  });

  it('is not recognised without #Version, without #Fields, or with them after an entry', () => {
    expect(isW3cExtendedLog(['#Fields: date time', '2024-01-01 10:00:00'])).toBe(false);
    expect(isW3cExtendedLog(['#Version: 1.0', '2024-01-01 10:00:00'])).toBe(false);
    expect(isW3cExtendedLog(['#Version: 1.0', 'entry', '#Fields: date time'])).toBe(false);
    expect(isW3cExtendedLog(['#Version: 1.0', '#Fields:   '])).toBe(false);
    expect(detectFormat('# a comment\n# another\nplain text\n', true)).toEqual({ kind: 'lines' });
  });

  it('turns each tab-separated entry into fields keyed by #Fields', async () => {
    const text =
      HEADER +
      '2024-01-01\t10:00:00\tLAX1\t200\thttps://example.com/a%20b\n' +
      '2024-01-01\t10:00:01\tSEA4\t502\t-\n';

    expect(await entries(text)).toEqual([
      {
        date: '2024-01-01',
        time: '10:00:00',
        'x-edge-location': 'LAX1',
        'sc-status': '200',
        'cs(Referer)': 'https://example.com/a%20b',
      },
      {
        date: '2024-01-01',
        time: '10:00:01',
        'x-edge-location': 'SEA4',
        'sc-status': '502',
        'cs(Referer)': '-',
      },
    ]);
  });

  it('accepts runs of spaces between values when a line has no tab', async () => {
    const text = `${HEADER}2024-01-01   10:00:00  LAX1 200    -  \n`;

    expect(await entries(text)).toEqual([
      {
        date: '2024-01-01',
        time: '10:00:00',
        'x-edge-location': 'LAX1',
        'sc-status': '200',
        'cs(Referer)': '-',
      },
    ]);
  });

  it('keeps spaces inside a value of a tab-separated entry', async () => {
    const text = '#Version: 1.0\n#Fields: date cs(User-Agent)\n2024-01-01\tcurl 8.0\n';

    expect(await entries(text)).toEqual([{ date: '2024-01-01', 'cs(User-Agent)': 'curl 8.0' }]);
  });

  it('skips directives anywhere and follows a later #Fields', async () => {
    const text =
      '#Version: 1.0\r\n#Fields: date time\r\n2024-01-01\t10:00:00\r\n' +
      '#Remark: rotated\r\n#Fields: date sc-bytes x-edge-location\r\n\r\n' +
      '2024-01-02\t392\tLAX1\r\n';

    expect(await entries(text)).toEqual([
      { date: '2024-01-01', time: '10:00:00' },
      { date: '2024-01-02', 'sc-bytes': '392', 'x-edge-location': 'LAX1' },
    ]);
  });

  it('keeps surplus values as extra_fields and drops a trailing tab', async () => {
    const text = '#Version: 1.0\n#Fields: a b c\n1\t2\n1\t2\t3\t4\t5\n1\t2\t3\t\n1\t\t\n';

    expect(await entries(text)).toEqual([
      { a: '1', b: '2' },
      { a: '1', b: '2', c: '3', extra_fields: ['4', '5'] },
      { a: '1', b: '2', c: '3' },
      { a: '1', b: '', c: '' },
    ]);
  });

  it('gives no records for a log of directives only', async () => {
    expect(await records('#Version: 1.0\n#Fields: date time\n')).toEqual([]);
  });
});

describe.skipIf(!haveCorpus)('CloudFront corpus samples', () => {
  const read = (name: string): string => {
    const bytes = readFileSync(CLOUDFRONT + name);
    return (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  };

  it('reads the six entries of the AWS documentation example with every field', async () => {
    const text = read('docs-cloudfront-standard.log');
    const names = text.split('\n')[1]!.slice('#Fields: '.length).split(' ');

    const rows = (await entries(text)) as Array<Record<string, string>>;

    expect(rows).toHaveLength(6);
    for (const row of rows) expect(Object.keys(row)).toEqual(names);
    expect(rows[0]).toMatchObject({
      date: '2019-12-04',
      'x-edge-location': 'LAX1',
      'c-ip': '192.0.2.100',
      'sc-status': '200',
      'cs(Referer)': '-',
      'x-edge-result-type': 'Hit',
    });
    expect(rows.map((row) => row['sc-status'])).toContain('502');
  });

  it('reads the space-separated RTMP log by its own #Fields', async () => {
    const rows = (await entries(read('logstash-cloudfront-rtmp-legacy.log'))) as Array<
      Record<string, unknown>
    >;

    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      'x-edge-location': 'SEA4',
      'x-event': 'connect',
      'sc-bytes': '2014',
    });
    expect(rows[1]).toMatchObject({ 'x-event': 'play', 'c-ip': '192.0.2.222' });
    expect(rows.every((row) => row.extra_fields === undefined)).toBe(true);
  });

  it('reads the gzip sample of a real distribution as two entries', async () => {
    const rows = (await entries(read('loki-cloudfront.log.gz'))) as Array<Record<string, unknown>>;

    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ date: '2023-04-26', 'cs-method': 'GET', 'sc-status': '200' });
  });
});
