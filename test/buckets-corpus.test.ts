// Every log file of the shared corpus through the whole reading path (decompress, decode,
// split, shape) with the event count of test/corpus-counts.ts.

import { createReadStream, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { ObjectRef, WazuhEvent } from '../src/model.js';
import type { ObjectReader } from '../src/objects/reader.js';
import { BucketsSubscriber } from '../src/subscribers/buckets.js';
import { CORPUS_COUNTS, findCorpus, isOutsideBucketsCorpus } from './corpus-counts.js';

const corpus = findCorpus();
if ('missing' in corpus) console.log(`skipping corpus tests: ${corpus.missing}`);
const corpusDir = 'dir' in corpus ? corpus.dir : '';

/** Reads keys as paths under the corpus, in small chunks to cross every boundary. */
const fileReader: ObjectReader = {
  async stream(ref: ObjectRef) {
    return createReadStream(join(corpusDir, ref.key), { highWaterMark: 97 });
  },
  async size() {
    throw new Error('not used by buckets');
  },
  async range() {
    throw new Error('not used by buckets');
  },
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(corpusDir, join(entry.parentPath, entry.name)));
}

async function outcome(key: string): Promise<number | string> {
  const subscriber = new BucketsSubscriber({ reader: fileReader });
  const events: WazuhEvent[] = [];
  try {
    for await (const batch of subscriber.events({ bucket: 'corpus', key })) events.push(...batch);
  } catch (error) {
    return error instanceof Error ? error.name : String(error);
  }
  for (const event of events) {
    const aws = { source: 'custom', log_info: { log_file: key, s3bucket: 'corpus' } };
    expect(event).toMatchObject({ integration: 'aws', aws });
  }
  return events.length;
}

describe.skipIf('missing' in corpus)('the buckets path on the shared corpus', () => {
  it('has a count for every log and bad file it reads', () => {
    const files = [...filesUnder(join(corpusDir, 'logs')), ...filesUnder(join(corpusDir, 'bad'))];
    const readable = files.filter((file) => !isOutsideBucketsCorpus(file)).sort();
    expect(readable).toEqual(Object.keys(CORPUS_COUNTS).sort());
  });

  for (const [key, expected] of Object.entries(CORPUS_COUNTS)) {
    it(`gives ${expected} for ${key}`, async () => {
      expect(await outcome(key)).toBe(expected);
    });
  }
});
