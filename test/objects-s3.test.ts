// S3ObjectReader against the fauxqs S3 emulator on 127.0.0.1 (real GetObject, HeadObject and
// ranges), and against a mocked client for what the emulator cannot be made to do (access
// denied, throttling, a body cut off midway).

import { Readable } from 'node:stream';

import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @ts-expect-error plain JavaScript helper without type declarations
import { startLocalAws } from '../scripts/lib/local-aws.mjs';
import { ObjectReadError } from '../src/errors.js';
import { S3ObjectReader } from '../src/objects/s3-reader.js';
import { RunStats } from '../src/stats.js';

interface LocalAws {
  readonly s3: S3Client;
  createBucket(name: string): Promise<void>;
  putObject(bucket: string, key: string, body: string | Uint8Array): Promise<number>;
  stop(): Promise<void>;
}

async function collect(bytes: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of bytes) parts.push(part);
  return Buffer.concat(parts);
}

async function failureOf(promise: Promise<unknown>): Promise<ObjectReadError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ObjectReadError);
  return error as ObjectReadError;
}

describe('S3ObjectReader on a local S3', () => {
  let aws: LocalAws;
  const body = Buffer.from(Array.from({ length: 300_000 }, (_, index) => index % 251));
  const stored = { bucket: 'logs', key: 'dir/with space+plus.bin' };

  beforeAll(async () => {
    aws = (await startLocalAws()) as LocalAws;
    await aws.createBucket('logs');
    await aws.putObject('logs', 'dir/with space+plus.bin', body);
  });

  afterAll(async () => {
    await aws?.stop();
  });

  it('streams the object as stored and counts its bytes', async () => {
    const stats = new RunStats();
    const reader = new S3ObjectReader({ s3: aws.s3, stats });
    const streamed = await collect(await reader.stream(stored));
    expect(streamed.equals(body)).toBe(true);
    expect(stats.bytes).toBe(body.length);
  });

  it('asks S3 for the size unless the notification gave it', async () => {
    const reader = new S3ObjectReader({ s3: aws.s3 });
    expect(await reader.size(stored)).toBe(body.length);
    expect(await reader.size({ bucket: 'logs', key: 'not/there', size: 42 })).toBe(42);
  });

  it('reads a byte range, end exclusive', async () => {
    const reader = new S3ObjectReader({ s3: aws.s3 });
    const bytes = await reader.range(stored, 1000, 1010);
    expect(Buffer.from(bytes).equals(body.subarray(1000, 1010))).toBe(true);
  });

  it('reports a missing key as not found, naming bucket and key', async () => {
    const reader = new S3ObjectReader({ s3: aws.s3 });
    const error = await failureOf(reader.stream({ bucket: 'logs', key: 'missing.log' }));
    expect(error.failure).toBe('notFound');
    expect(error.exitCode).toBe(12);
    expect(error.message).toMatch(/^s3:\/\/logs\/missing\.log: NoSuchKey/);
  });

  it('reports a missing key on HEAD as not found too', async () => {
    const reader = new S3ObjectReader({ s3: aws.s3 });
    const error = await failureOf(reader.size({ bucket: 'logs', key: 'missing.log' }));
    expect(error.failure).toBe('notFound');
  });
});

describe('S3ObjectReader failures', () => {
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const mock = mockClient(s3);
  const ref = { bucket: 'logs', key: 'a.log' };

  function s3Error(name: string, status: number): Error {
    const metadata = { $metadata: { httpStatusCode: status } };
    return Object.assign(new Error(`${name} happened`), { name, ...metadata });
  }

  it('maps AccessDenied to exit 3', async () => {
    mock.reset();
    mock.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403));
    const error = await failureOf(new S3ObjectReader({ s3 }).stream(ref));
    expect([error.failure, error.exitCode]).toEqual(['accessDenied', 3]);
    expect(error.message).toBe('s3://logs/a.log: AccessDenied: AccessDenied happened');
  });

  it('maps a 403 on HEAD, which has no error code, to exit 3', async () => {
    mock.reset();
    mock.on(HeadObjectCommand).rejects(s3Error('Unknown', 403));
    const error = await failureOf(new S3ObjectReader({ s3 }).size(ref));
    expect(error.failure).toBe('accessDenied');
  });

  it('maps SlowDown beyond the retries to exit 16', async () => {
    mock.reset();
    mock.on(GetObjectCommand).rejects(s3Error('SlowDown', 503));
    const error = await failureOf(new S3ObjectReader({ s3 }).stream(ref));
    expect([error.failure, error.exitCode]).toEqual(['throttled', 16]);
  });

  it('reports a body cut off while streaming as a failed read of that object', async () => {
    mock.reset();
    const body = Readable.from((async function* () {
      yield Buffer.from('first part');
      throw new Error('socket hang up');
    })());
    mock.on(GetObjectCommand).resolves({ Body: body as never });
    const stream = await new S3ObjectReader({ s3 }).stream(ref);
    const error = await failureOf(collect(stream));
    expect(error.failure).toBe('failed');
    expect(error.message).toBe('s3://logs/a.log: Error: socket hang up');
  });
});
