// Damaged objects, made by flipping and cutting bytes of valid ones with a fixed seed: each
// must end, either with records or with a typed error naming the object, never a hang or an
// untyped crash.

import { deflateRawSync, gzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { WodleError } from '../src/errors.js';
import type { ObjectRef } from '../src/model.js';
import type { ObjectReader } from '../src/objects/reader.js';
import { readObjectRecords } from '../src/subscribers/buckets.js';

/** A small deterministic generator (mulberry32), so every run damages the same bytes. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readerOf(bytes: Uint8Array): ObjectReader {
  return {
    async stream() {
      return (async function* () {
        for (let start = 0; start < bytes.length; start += 333) {
          yield bytes.subarray(start, start + 333);
        }
      })();
    },
    async size() {
      return bytes.length;
    },
    async range() {
      throw new Error('not used');
    },
  };
}

function damaged(original: Buffer, random: () => number): Buffer {
  const copy = Buffer.from(original);
  const flips = 1 + Math.floor(random() * 4);
  for (let flip = 0; flip < flips; flip++) {
    copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
  }
  return random() < 0.3 ? copy.subarray(0, Math.floor(random() * copy.length)) : copy;
}

function zipOf(name: string, text: string): Buffer {
  const data = deflateRawSync(Buffer.from(text));
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(8, 8);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt16LE(name.length, 26);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  return Buffer.concat([header, Buffer.from(name), data, end]);
}

const cloudTrail = JSON.stringify({
  Records: Array.from({ length: 200 }, (_, index) => ({ eventName: `E${index}`, n: index })),
});

describe('damaged compressed objects', () => {
  const originals = { gzip: gzipSync(cloudTrail), zip: zipOf('trail.json', cloudTrail) };

  for (const [kind, original] of Object.entries(originals)) {
    it(`end in records or a typed error for 300 damaged ${kind} objects`, async () => {
      const random = seededRandom(kind.length);
      const ref: ObjectRef = { bucket: 'b', key: `damaged.${kind}` };
      const outcomes = new Set<string>();
      for (let round = 0; round < 300; round++) {
        try {
          for await (const batch of readObjectRecords(readerOf(damaged(original, random)), ref)) {
            expect(batch.length).toBeGreaterThan(0);
          }
          outcomes.add('records');
        } catch (error) {
          expect(error).toBeInstanceOf(WodleError);
          expect((error as Error).message).toContain(`s3://b/damaged.${kind}`);
          outcomes.add((error as Error).name);
        }
      }
      expect(outcomes.has('DecompressError')).toBe(true);
    });
  }
});
