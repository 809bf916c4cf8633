import { describe, expect, it, vi } from 'vitest';

import type { ObjectReader } from '../src/objects/reader.js';
import { createSubscriber } from '../src/subscribers/index.js';

// Records which Parquet packages get imported: a mock whose factory runs on first import.
const loaded = vi.hoisted(() => new Set<string>());

vi.mock('hyparquet', async (importOriginal) => {
  loaded.add('hyparquet');
  return importOriginal();
});

vi.mock('hyparquet-compressors', async (importOriginal) => {
  loaded.add('hyparquet-compressors');
  return importOriginal();
});

const reader: ObjectReader = {
  stream: async () => (async function* () {})(),
  size: async () => 0,
  range: async () => new Uint8Array(),
};

describe('createSubscriber', () => {
  // One ordered test: once security_lake has loaded hyparquet it stays loaded in this process.
  it('loads the Parquet code for security_lake runs only', async () => {
    await createSubscriber('buckets', { reader });
    await createSubscriber('security_hub', { reader });
    expect([...loaded]).toEqual([]);

    const lake = await createSubscriber('security_lake', { reader });
    expect(lake.constructor.name).toBe('SecurityLakeSubscriber');
    expect([...loaded].sort()).toEqual(['hyparquet', 'hyparquet-compressors']);
  });

  it('builds the subscriber each type names', async () => {
    expect((await createSubscriber('buckets', { reader })).constructor.name).toBe(
      'BucketsSubscriber',
    );
    expect((await createSubscriber('security_hub', { reader })).constructor.name).toBe(
      'SecurityHubSubscriber',
    );
  });
});
