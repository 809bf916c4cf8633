// The ObjectReader over S3. The body is streamed as it arrives (never read whole into
// memory); bytes read are counted in RunStats.bytes. Every S3 failure becomes an
// ObjectReadError naming the bucket and key, classified the way Wazuh's exit codes need.

import {
  GetObjectCommand,
  HeadObjectCommand,
  type GetObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsFailureKind } from '../aws/errors.js';
import { ObjectReadError, type ObjectReadFailure, WodleError } from '../errors.js';
import type { ObjectRef } from '../model.js';
import type { RunStats } from '../stats.js';
import type { ObjectReader } from './reader.js';

export interface S3ObjectReaderOptions {
  readonly s3: S3Client;
  readonly stats?: RunStats;
}

const NOT_FOUND_NAMES = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket', 'NoSuchVersion']);

export class S3ObjectReader implements ObjectReader {
  private readonly s3: S3Client;
  private readonly stats: RunStats | undefined;

  constructor(options: S3ObjectReaderOptions) {
    this.s3 = options.s3;
    this.stats = options.stats;
  }

  async stream(ref: ObjectRef, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
    const command = new GetObjectCommand(objectParams(ref));
    const response = await request(ref, () => this.s3.send(command, { abortSignal: signal }));
    return this.countedBody(ref, bodyOf(ref, response));
  }

  async size(ref: ObjectRef, signal?: AbortSignal): Promise<number> {
    if (ref.size !== undefined) return ref.size;
    const command = new HeadObjectCommand(objectParams(ref));
    const response = await request(ref, () => this.s3.send(command, { abortSignal: signal }));
    if (response.ContentLength === undefined) {
      throw new ObjectReadError(ref, 'failed', 'S3 gave no size for the object');
    }
    return response.ContentLength;
  }

  async range(
    ref: ObjectRef,
    start: number,
    end: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    if (end <= start) return new Uint8Array(0);
    const range = `bytes=${start}-${end - 1}`;
    const command = new GetObjectCommand({ ...objectParams(ref), Range: range });
    const response = await request(ref, () => this.s3.send(command, { abortSignal: signal }));
    try {
      const bytes = await bodyOf(ref, response).transformToByteArray();
      if (this.stats !== undefined) this.stats.bytes += bytes.length;
      return bytes;
    } catch (error) {
      throw toObjectReadError(ref, error);
    }
  }

  /** The body as it streams, counting bytes; a stream cut off midway is an ObjectReadError. */
  private async *countedBody(
    ref: ObjectRef,
    body: NonNullable<GetObjectCommandOutput['Body']>,
  ): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        if (this.stats !== undefined) this.stats.bytes += chunk.length;
        yield chunk;
      }
    } catch (error) {
      throw toObjectReadError(ref, error);
    }
  }
}

/** Runs one S3 request, turning its failure into an ObjectReadError. */
async function request<Output>(ref: ObjectRef, send: () => Promise<Output>): Promise<Output> {
  try {
    return await send();
  } catch (error) {
    throw toObjectReadError(ref, error);
  }
}

function objectParams(ref: ObjectRef): { Bucket: string; Key: string } {
  return { Bucket: ref.bucket, Key: ref.key };
}

function bodyOf(
  ref: ObjectRef,
  response: GetObjectCommandOutput,
): NonNullable<GetObjectCommandOutput['Body']> {
  if (response.Body === undefined) throw new ObjectReadError(ref, 'failed', 'S3 sent no body');
  return response.Body;
}

/** What S3 and the SDK put on their errors that names and explains them. */
interface S3ErrorShape {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function toObjectReadError(ref: ObjectRef, error: unknown): WodleError {
  if (error instanceof WodleError) return error;

  const shape = (typeof error === 'object' && error !== null ? error : {}) as S3ErrorShape;
  const name = shape.Code ?? shape.name ?? 'Error';
  const reason = `${name}: ${shape.message || 'no message from S3'}`;
  return new ObjectReadError(ref, classify(name, shape), reason, { cause: error });
}

/** Not found is S3's own; refused and throttled are classified as for every AWS call. */
function classify(name: string, error: S3ErrorShape): ObjectReadFailure {
  if (NOT_FOUND_NAMES.has(name) || error.$metadata?.httpStatusCode === 404) return 'notFound';

  const kind = awsFailureKind(error);
  return kind === 'other' ? 'failed' : kind;
}
