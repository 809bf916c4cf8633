import { deflateRawSync, gzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { DecompressError, ParseError } from '../src/errors.js';
import { MAX_RECORD_CHARS } from '../src/formats/records.js';
import { Logger } from '../src/log.js';
import type { ObjectRef, WazuhEvent } from '../src/model.js';
import type { ObjectReader } from '../src/objects/reader.js';
import { RunStats } from '../src/stats.js';
import { BucketsSubscriber, readObjectRecords } from '../src/subscribers/buckets.js';
import { createDiscardFilter } from '../src/subscribers/discard.js';

/** Objects kept in memory, streamed in small chunks like a slow S3 response. */
class MemoryReader implements ObjectReader {
  constructor(private readonly objects: Record<string, string | Uint8Array>) {}

  async stream(ref: ObjectRef): Promise<AsyncIterable<Uint8Array>> {
    const body = this.objects[ref.key];
    if (body === undefined) throw new Error(`no object ${ref.key}`);
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    return (async function* () {
      for (let start = 0; start < bytes.length; start += 50) {
        yield bytes.subarray(start, start + 50);
      }
    })();
  }

  async size(ref: ObjectRef): Promise<number> {
    return (await this.stream(ref)) ? Buffer.byteLength(this.objects[ref.key]!) : 0;
  }

  async range(): Promise<Uint8Array> {
    throw new Error('buckets never reads ranges');
  }
}

const KEY = 'AWSLogs/file.log';
const LOG_INFO = { log_file: KEY, s3bucket: 'my-bucket' };

interface Run {
  readonly events: WazuhEvent[];
  readonly lines: string[];
  readonly stats: RunStats;
}

async function run(
  objects: Record<string, string | Uint8Array>,
  key: string,
  discard = createDiscardFilter(undefined, undefined),
): Promise<Run> {
  const lines: string[] = [];
  const stats = new RunStats();
  const logger = new Logger(1, (line) => lines.push(line));
  const reader = new MemoryReader(objects);
  const subscriber = new BucketsSubscriber({ reader, discard, stats, logger });
  const events: WazuhEvent[] = [];
  for await (const batch of subscriber.events({ bucket: 'my-bucket', key })) events.push(...batch);
  return { events, lines, stats };
}

async function eventsOf(body: string | Uint8Array, key = KEY): Promise<WazuhEvent[]> {
  return (await run({ [key]: body }, key)).events;
}

/** The value of one member inside `aws` of each event. */
function valuesOf(events: readonly WazuhEvent[], member: string): unknown[] {
  return events.map((event) => (event.aws as Record<string, unknown>)[member]);
}

describe('BucketsSubscriber', () => {
  it('wraps each JSON record with log_info first and source custom last', async () => {
    const [event] = await eventsOf('{"eventName":"StartInstances","n":1}');
    expect(JSON.stringify(event)).toBe(
      `{"integration":"aws","aws":{"log_info":${JSON.stringify(LOG_INFO)},` +
        '"eventName":"StartInstances","n":1,"source":"custom"}}',
    );
  });

  it('keeps its own log_info and source whatever the record says', async () => {
    const [event] = await eventsOf('{"source":"aws.ec2","log_info":"forged","a":1}');
    expect(event!.aws).toEqual({ log_info: LOG_INFO, source: 'custom', a: 1 });
  });

  it('sends one event per element of Records, gzip-compressed under any key', async () => {
    const body = gzipSync('{"Records":[{"eventName":"A"},{"eventName":"B"},{"eventName":"C"}]}');
    const events = await eventsOf(body, 'no-extension');
    expect(valuesOf(events, 'eventName')).toEqual(['A', 'B', 'C']);
  });

  it('sends the detail of an EventBridge event instead of the event', async () => {
    const body = '{"detail-type":"X","source":"aws.guardduty","detail":{"id":"f1"}}';
    const [event] = await eventsOf(body);
    expect(event!.aws).toEqual({ log_info: LOG_INFO, id: 'f1', source: 'custom' });
  });

  it('keeps a record whose detail is not an object whole', async () => {
    const [event] = await eventsOf('{"detail":"text","b":2}');
    expect(event!.aws).toMatchObject({ detail: 'text', b: 2 });
  });

  it('drops null members at every depth, in arrays too', async () => {
    const [event] = await eventsOf('{"a":null,"b":{"c":null,"d":[{"e":null,"f":1},null]}}');
    expect(JSON.stringify(event!.aws)).toBe(
      `{"log_info":${JSON.stringify(LOG_INFO)},"b":{"d":[{"f":1},null]},"source":"custom"}`,
    );
  });

  it('sends nothing for null and empty objects, and JSON scalars as full_log', async () => {
    const events = await eventsOf('{}\n{"a":null}\nnull\n42\n"text"\n');
    expect(valuesOf(events, 'full_log')).toEqual(['42', 'text']);
  });

  it('sends each plain line as full_log', async () => {
    const events = await eventsOf('first line\r\nsecond line\rthird\n');
    expect(valuesOf(events, 'full_log')).toEqual(['first line', 'second line', 'third']);
  });

  it('sends each CSV row keyed by its header', async () => {
    const [event] = await eventsOf('version account-id action\n2 123456789012 ACCEPT\n');
    const row = { version: '2', 'account-id': '123456789012', action: 'ACCEPT' };
    expect(event!.aws).toMatchObject(row);
  });

  it('reads each entry of a zip in its own format', async () => {
    const archive = zipOf({
      'flows.log': 'version srcaddr action\n2 10.0.0.1 ACCEPT\n',
      'app.log': 'a line\n',
    });
    const events = await eventsOf(archive, 'bundle.zip');
    expect(valuesOf(events, 'action')).toEqual(['ACCEPT', undefined]);
    expect(valuesOf(events, 'full_log')).toEqual([undefined, 'a line']);
  });

  it('skips objects under CloudTrail-Digest/ with one DEBUG line', async () => {
    const key = 'AWSLogs/1/CloudTrail-Digest/us-east-1/2024/01/01/digest.json.gz';
    const { events, lines } = await run({ [key]: '{"a":1}' }, key);
    expect(events).toEqual([]);
    expect(lines).toEqual([`DEBUG: Skipping CloudTrail digest file s3://my-bucket/${key}`]);
  });

  it('skips a CloudTrail digest document found under another key', async () => {
    const digest = '{"awsAccountId":"1","digestSignatureAlgorithm":"SHA256withRSA","logFiles":[]}';
    expect(await eventsOf(digest)).toEqual([]);
  });

  it('leaves out and counts records the discard filter matches, on fields inside aws', async () => {
    const discard = createDiscardFilter('action', /BLOCK/);
    const body = [
      '{"detail":{"action":"BLOCK"}}',
      '{"detail":{"action":"ALLOW"}}',
      '{"action":"BLOCKED"}',
    ].join('\n');
    const { events, stats } = await run({ k: body }, 'k', discard);
    expect(valuesOf(events, 'action')).toEqual(['ALLOW']);
    expect(stats.eventsDiscarded).toBe(2);
  });

  it('tries the discard regex on plain lines themselves', async () => {
    const discard = createDiscardFilter('ignored', /health/);
    const { events } = await run({ k: 'health check ok\nGET /index\n' }, 'k', discard);
    expect(valuesOf(events, 'full_log')).toEqual(['GET /index']);
  });

  it('warns once when it keeps data from a damaged gzip', async () => {
    const body = Buffer.concat([gzipSync('kept line\n'), Buffer.from('junk')]);
    const { events, lines } = await run({ k: body }, 'k');
    expect(events).toHaveLength(1);
    const warning = /^WARNING: s3:\/\/my-bucket\/k: bytes after the gzip data at byte \d+ ignored$/;
    expect(lines).toEqual([expect.stringMatching(warning)]);
  });

  it('warns once per object about lines cut and JSON records skipped for their size', async () => {
    const long = 'z'.repeat(MAX_RECORD_CHARS + 1);
    const lines = gzipSync(`${long}\nshort\n${long}\n`);
    const json = gzipSync(`{"n":1}\n{"s":"${long}"}\n{"n":3}\n`);
    const objects = { 'lines.log.gz': lines, 'records.json.gz': json };

    const fromLines = await run(objects, 'lines.log.gz');
    expect(fromLines.events.map((event) => event.aws.full_log))
      .toEqual([long.slice(1), 'short', long.slice(1)]);
    expect(fromLines.lines).toEqual([
      `WARNING: s3://my-bucket/lines.log.gz: records longer than ${MAX_RECORD_CHARS} ` +
        'characters: 2 lines cut to that length, 0 JSON records skipped',
    ]);

    const fromJson = await run(objects, 'records.json.gz');
    expect(fromJson.events.map((event) => event.aws.n)).toEqual([1, 3]);
    expect(fromJson.lines).toEqual([
      `WARNING: s3://my-bucket/records.json.gz: records longer than ${MAX_RECORD_CHARS} ` +
        'characters: 0 lines cut to that length, 1 JSON records skipped',
    ]);
  });

  it('sends prose with a comma or a tab in each line as plain lines, the first too', async () => {
    const comma = await eventsOf('hello, world\ngoodbye, world\n');
    expect(valuesOf(comma, 'full_log')).toEqual(['hello, world', 'goodbye, world']);
    const tab = await eventsOf('message one\there\nmessage two\tthere\n');
    expect(valuesOf(tab, 'full_log')).toEqual(['message one\there', 'message two\tthere']);
  });

  it('warns once about bytes that are not UTF-8 and still sends the lines', async () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // 'café' in Latin-1
    const body = Buffer.concat([latin1, Buffer.from(' ok\nnext\n')]);
    const { events, lines } = await run({ k: gzipSync(body) }, 'k');
    expect(valuesOf(events, 'full_log')).toEqual(['caf\ufffd ok', 'next']);
    expect(lines).toEqual([
      'WARNING: s3://my-bucket/k: 1 bytes that are not valid UTF-8 replaced by U+FFFD',
    ]);
  });

  it('reads gzip inside gzip and refuses bzip2 and binary objects, sending nothing', async () => {
    expect(valuesOf(await eventsOf(gzipSync(gzipSync('inner line\n'))), 'full_log'))
      .toEqual(['inner line']);
    const bzip2 = Buffer.from('425a683931415926535900000000', 'hex');
    await expect(eventsOf(bzip2)).rejects.toThrow(/bzip2-compressed objects are not supported/);
    const binary = Buffer.from(Array.from({ length: 2000 }, (_, index) => (index * 37) % 256));
    await expect(eventsOf(binary)).rejects.toThrow(ParseError);
  });

  it('fails malformed JSON with a ParseError and corrupt gzip with a DecompressError', async () => {
    await expect(eventsOf('{"a":1}{"b":')).rejects.toThrow(ParseError);
    const cut = gzipSync('x'.repeat(1000)).subarray(0, 15);
    await expect(eventsOf(cut)).rejects.toThrow(DecompressError);
  });
});

describe('readObjectRecords', () => {
  it('yields the raw records of any object for other subscribers', async () => {
    const body = gzipSync('{"detail":{"findings":[1]}}{"detail":{"findings":[2]}}');
    const reader = new MemoryReader({ k: body });
    const records = [];
    for await (const batch of readObjectRecords(reader, { bucket: 'b', key: 'k' })) {
      records.push(...batch);
    }
    expect(records).toEqual([
      { kind: 'json', value: { detail: { findings: [1] } } },
      { kind: 'json', value: { detail: { findings: [2] } } },
    ]);
  });
});

/** A minimal zip archive of deflated entries. */
function zipOf(files: Record<string, string>): Buffer {
  const pieces: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const data = deflateRawSync(Buffer.from(text));
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(Buffer.byteLength(text), 22);
    header.writeUInt16LE(Buffer.byteLength(name), 26);
    pieces.push(header, Buffer.from(name), data);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  return Buffer.concat([...pieces, end]);
}
