import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createAwsClients } from '../src/aws/clients.js';
import { ObjectReadError } from '../src/errors.js';
import { S3ObjectReader } from '../src/objects/s3-reader.js';

const ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_EC2_METADATA_DISABLED: 'true',
};

const SHORT = { connectionTimeoutMs: 1000, socketTimeoutMs: 300 };

// The SDK's default credential chain reads the process environment itself.
const savedEnv = { ...process.env };
beforeAll(() => {
  Object.assign(process.env, ENV);
  delete process.env.AWS_PROFILE;
});
afterAll(() => {
  process.env = savedEnv;
});

let server: Server | undefined;
const stalled: ServerResponse[] = [];

/** An S3 stand-in on 127.0.0.1 that answers every request with `respond`. */
async function startServer(respond: (response: ServerResponse) => void): Promise<string> {
  server = createServer((_request, response) => {
    stalled.push(response);
    respond(response);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const response of stalled.splice(0)) response.destroy();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function readerFor(endpoint: string): Promise<S3ObjectReader> {
  const clients = await createAwsClients({ serviceEndpoint: endpoint }, { ...ENV }, SHORT);
  return new S3ObjectReader({ s3: clients.s3 });
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of body) bytes += chunk.length;
  return bytes;
}

describe('AWS clients on a connection that goes silent', () => {
  it('give up on a server that never answers instead of hanging the run', async () => {
    const reader = await readerFor(await startServer(() => {}));

    const failure = await reader.stream({ bucket: 'b', key: 'k' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ObjectReadError);
    expect((failure as Error).message).toMatch(/^s3:\/\/b\/k: .*timed out/);
  });

  it('fail the read of a body that stops half way', async () => {
    const reader = await readerFor(await startServer((response) => {
      response.writeHead(200, { 'Content-Length': '1000', 'Content-Type': 'text/plain' });
      response.write('x'.repeat(400));
    }));

    const body = await reader.stream({ bucket: 'b', key: 'half' });

    const failure = await drain(body).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ObjectReadError);
    expect((failure as Error).message).toMatch(/^s3:\/\/b\/half: .*timed out/);
  });
});
