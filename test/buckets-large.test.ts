// A CloudTrail-sized object far larger than any one record: `{"Records":[...]}` of tens of
// MB, gzip-compressed and streamed, must come out record by record. (Memory is measured in
// the report, not asserted here: this checks the counts and the order.)

import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

import { describe, expect, it } from 'vitest';

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

const reader: ObjectReader = {
  async stream() {
    return Readable.from(cloudTrailDocument()).pipe(createGzip());
  },
  async size() {
    throw new Error('not used');
  },
  async range() {
    throw new Error('not used');
  },
};

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
