import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import type { ObjectRef, WazuhEvent } from '../src/model.js';
import type { ObjectReader } from '../src/objects/reader.js';
import { createSubscriber } from '../src/subscribers/index.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/logs/securityhub/', import.meta.url));
const haveCorpus = existsSync(CORPUS);
if (!haveCorpus) console.log(`security_hub record tests skipped: ${CORPUS} is missing`);

/** Streams corpus files named by key, in small parts, as S3 would. */
const reader: ObjectReader = {
  async stream(ref: ObjectRef) {
    const bytes = readFileSync(CORPUS + ref.key);
    return (async function* () {
      for (let start = 0; start < bytes.length; start += 1000)
        yield bytes.subarray(start, start + 1000);
    })();
  },
  size: async (ref: ObjectRef) => readFileSync(CORPUS + ref.key).length,
  range: async () => {
    throw new Error('security_hub reads by stream');
  },
};

async function hubEvents(key: string): Promise<WazuhEvent[]> {
  const subscriber = await createSubscriber('security_hub', { reader });
  const events: WazuhEvent[] = [];
  for await (const batch of subscriber.events({ bucket: 'hub', key })) events.push(...batch);
  return events;
}

function findingIds(events: WazuhEvent[]): string[] {
  return events.map(
    (event) => (event.aws as { finding: { Id?: string; name?: string } }).finding.Id ?? 'no Id',
  );
}

describe.skipIf(!haveCorpus)('security_hub through the generic record reader', () => {
  // Counted by hand: five events of one finding each, run together or one per line.
  it.each([
    ['docs-securityhub-findings-imported-single.json', 1],
    ['docs-securityhub-findings-imported-firehose-concat.json', 5],
    ['securityhub-firehose-1-2023-06-15-10-00-00-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d.gz', 5],
    ['securitylake-asff-findings-imported.jsonl', 5],
  ])('sends one event per finding of %s', async (key, expected) => {
    const events = await hubEvents(key);
    expect(events).toHaveLength(expected);
    expect(
      events.every(
        (event) => (event.aws as { log_info: { log_file: string } }).log_info.log_file === key,
      ),
    ).toBe(true);
  });

  it('reads the gzip copy exactly like the plain file', async () => {
    const plain = await hubEvents('docs-securityhub-findings-imported-firehose-concat.json');
    const gzip = await hubEvents(
      'securityhub-firehose-1-2023-06-15-10-00-00-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d.gz',
    );
    expect(findingIds(gzip)).toEqual(findingIds(plain));
    expect(gzip.map((event) => (event.aws as { finding: unknown }).finding)).toEqual(
      plain.map((event) => (event.aws as { finding: unknown }).finding),
    );
  });
});
