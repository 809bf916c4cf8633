// Objects far larger than any one record: a CloudTrail `{"Records":[...]}` or AWS Config
// snapshot of tens of MB, gzip-compressed and streamed, must come out record by record; a
// record longer than MAX_RECORD_CHARS is cut (a line) or skipped (JSON) without stopping the
// object. (Memory is measured in the report, not asserted here: this checks the counts.)

import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { ParseError } from '../src/errors.js';
import { MAX_RECORD_CHARS } from '../src/formats/records.js';
import type { WazuhEvent } from '../src/model.js';
import type { ObjectReader } from '../src/objects/reader.js';
import { BucketsSubscriber } from '../src/subscribers/buckets.js';

const RECORDS = 40_000;

function cloudTrailRecord(index: number): string {
  return JSON.stringify({
    eventVersion: '1.08',
    eventTime: new Date(Date.UTC(2024, 0, 1, 0, 0, index % 60)).toISOString(),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    requestID: `req-${index}`,
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::111122223333:assumed-role/r/${index}` },
    // Brackets and quotes inside strings must not confuse the splitter.
    requestParameters: { filter: { name: 'tag:x', values: [{ value: '}{"],\\' }] } },
    responseElements: null,
    padding: 'p'.repeat(800),
  });
}

/** The document as text chunks, generated on the fly: never whole in memory. */
function* cloudTrailDocument(): Generator<string> {
  yield '{"Records":[';
  for (let index = 0; index < RECORDS; index++) {
    yield (index === 0 ? '' : ',') + cloudTrailRecord(index);
  }
  yield ']}';
}

/** An object whose gzip-compressed text is generated on the fly, each time it is read. */
function gzipReaderOf(text: () => Iterable<string>): ObjectReader {
  return {
    async stream() {
      return Readable.from(text()).pipe(createGzip());
    },
    async size() {
      throw new Error('not used');
    },
    async range() {
      throw new Error('not used');
    },
  };
}

const reader = gzipReaderOf(cloudTrailDocument);

/** `piece` `count` times, then `after`. */
function* repeated(piece: string, count: number, after: string): Generator<string> {
  for (let index = 0; index < count; index++) yield piece;
  yield after;
}

async function eventsOf(objectReader: ObjectReader): Promise<WazuhEvent[]> {
  const subscriber = new BucketsSubscriber({ reader: objectReader });
  const events: WazuhEvent[] = [];
  for await (const batch of subscriber.events({ bucket: 'b', key: 'big.gz' })) {
    events.push(...batch);
  }
  return events;
}

describe('a large gzip CloudTrail object', () => {
  it('is split element by element into one event per record, in order', async () => {
    const subscriber = new BucketsSubscriber({ reader });
    let count = 0;
    let batches = 0;
    let lastRequestId = '';
    for await (const batch of subscriber.events({ bucket: 'b', key: 'big.json.gz' })) {
      batches++;
      for (const event of batch) {
        const aws = event.aws as { requestID: string; responseElements?: unknown };
        expect(aws.requestID).toBe(`req-${count}`);
        expect('responseElements' in aws).toBe(false);
        lastRequestId = aws.requestID;
        count++;
      }
    }
    expect(count).toBe(RECORDS);
    expect(lastRequestId).toBe(`req-${RECORDS - 1}`);
    expect(batches).toBeGreaterThan(1);
  });
});

describe('an AWS Config snapshot', () => {
  it('gives one event per item, though the whole file passes the record limit', async () => {
    const items = 6_000;
    function* snapshot(): Generator<string> {
      yield '{"fileVersion":"1.0","configSnapshotId":"abc","configurationItems":[';
      for (let index = 0; index < items; index++) {
        const item = { resourceType: 'AWS::EC2::Instance', resourceId: `i-${index}` };
        yield (index === 0 ? '' : ',') + JSON.stringify({ ...item, pad: 'c'.repeat(900) });
      }
      yield ']}';
    }

    const events = await eventsOf(gzipReaderOf(snapshot));
    expect(events).toHaveLength(items);
    expect(events.map((event) => (event.aws as { resourceId: string }).resourceId))
      .toEqual(Array.from({ length: items }, (_, index) => `i-${index}`));
  });
});

describe('records longer than the limit', () => {
  const piece = 'a'.repeat(1024 * 1024);

  it('cut a 40 MiB line to its first characters and go on with the next line', async () => {
    const text = () => repeated(piece, 40, '\nsecond line\n');
    const events = await eventsOf(gzipReaderOf(text));
    expect(events.map((event) => (event.aws as { full_log: string }).full_log)).toEqual([
      'a'.repeat(MAX_RECORD_CHARS),
      'second line',
    ]);
  });

  it('skip a 40 MiB JSON record and keep the records around it', async () => {
    function* text(): Generator<string> {
      yield '{"Records":[{"n":1},{"s":"';
      yield* repeated(piece, 40, '"},{"n":2}]}');
    }
    const events = await eventsOf(gzipReaderOf(text));
    expect(events.map((event) => (event.aws as { n: number }).n)).toEqual([1, 2]);
  });

  it('make JSON nested 100,000 levels deep a ParseError, not a stack overflow', async () => {
    const depth = 100_000;
    const text = () => ['{"ok":1}\n', '{"a":'.repeat(depth), '1', '}'.repeat(depth)];
    await expect(eventsOf(gzipReaderOf(text))).rejects.toThrow(ParseError);
    await expect(eventsOf(gzipReaderOf(text))).rejects.toThrow(/nested more than 512 levels/);
  });
});
