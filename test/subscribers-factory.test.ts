import { gzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { Logger } from '../src/log.js';
import type { ObjectRef, WazuhEvent } from '../src/model.js';
import type { ObjectReader } from '../src/objects/reader.js';
import { createSubscriber } from '../src/subscribers/index.js';

/** One object held in memory, streamed whole. */
class SingleObjectReader implements ObjectReader {
  constructor(private readonly body: Uint8Array) {}

  async stream(): Promise<AsyncIterable<Uint8Array>> {
    const body = this.body;
    return (async function* () {
      yield body;
    })();
  }

  async size(): Promise<number> {
    return this.body.length;
  }

  async range(): Promise<Uint8Array> {
    throw new Error('not read by ranges');
  }
}

const FINDING_EVENT = {
  'detail-type': 'Security Hub Findings - Imported',
  detail: { findings: [{ Id: 'f-1' }, { Id: 'f-2' }] },
};

describe('createSubscriber', () => {
  it('gives security_hub the same WARNING for damaged gzip that buckets prints', async () => {
    const gzip = gzipSync(JSON.stringify(FINDING_EVENT));
    const body = Buffer.concat([gzip, Buffer.from('trailing bytes that are no gzip member')]);
    const lines: string[] = [];
    const logger = new Logger(0, (line) => lines.push(line));
    const subscriber = await createSubscriber('security_hub', {
      reader: new SingleObjectReader(body),
      logger,
    });

    const events: WazuhEvent[] = [];
    const ref: ObjectRef = { bucket: 'hub', key: 'findings.json.gz' };
    for await (const batch of subscriber.events(ref)) events.push(...batch);

    expect(events).toHaveLength(2);
    expect(lines.filter((line) => line.startsWith('WARNING:'))).toHaveLength(1);
    expect(lines[0]).toContain('s3://hub/findings.json.gz');
  });
});
