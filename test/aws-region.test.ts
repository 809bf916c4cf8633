import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createAwsClients } from '../src/aws/clients.js';
import { checkEndpointUrl } from '../src/aws/endpoints.js';
import { regionOfProfile, resolveRegion } from '../src/aws/region.js';
import { ExitCode, WodleError } from '../src/errors.js';

const noProfile = async (): Promise<string | undefined> => undefined;

async function exitCodeOf(promise: Promise<unknown>): Promise<number | undefined> {
  const error = await promise.then(() => undefined, (failure: unknown) => failure);
  return error instanceof WodleError ? error.exitCode : undefined;
}

describe('resolving the region', () => {
  it('prefers a single -r region, then the queue URL, then AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' };

    expect(await resolveRegion({ regions: ['ap-south-1'], queueRegion: 'us-west-2', env,
      profileRegion: noProfile })).toBe('ap-south-1');
    expect(await resolveRegion({ queueRegion: 'us-west-2', env, profileRegion: noProfile }))
      .toBe('us-west-2');
    expect(await resolveRegion({ env, profileRegion: noProfile })).toBe('eu-west-1');
    expect(await resolveRegion({ env: { AWS_DEFAULT_REGION: 'eu-west-2' }, profileRegion: noProfile }))
      .toBe('eu-west-2');
  });

  it('falls back to the region of the profile', async () => {
    expect(await resolveRegion({ env: {}, profileRegion: async () => 'sa-east-1' })).toBe('sa-east-1');
  });

  it('ends with exit 22 and says how to give one when there is no region anywhere', async () => {
    const failure = await resolveRegion({ env: {}, profileRegion: noProfile }).catch((e) => e);

    expect(failure).toBeInstanceOf(WodleError);
    expect(failure.exitCode).toBe(ExitCode.invalidRegion);
    expect(failure.message).toMatch(/AWS_REGION/);
  });

  it('rejects a malformed region with exit 22', async () => {
    expect(await exitCodeOf(resolveRegion({ regions: ['mars'], env: {}, profileRegion: noProfile })))
      .toBe(ExitCode.invalidRegion);
  });

  it('reads the region of a named profile from AWS_CONFIG_FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wodle-region-'));
    const configFile = join(dir, 'config');
    writeFileSync(configFile, '[profile reader]\nregion = ca-central-1\n');
    const saved = process.env.AWS_CONFIG_FILE;
    process.env.AWS_CONFIG_FILE = configFile;

    try {
      expect(await regionOfProfile('reader')).toBe('ca-central-1');
    } finally {
      if (saved === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = saved;
    }
  });
});

describe('checking endpoints', () => {
  it('accepts http and https URLs with a host', () => {
    expect(checkEndpointUrl('--sts_endpoint', 'https://sts.eu-west-1.amazonaws.com'))
      .toBe('https://sts.eu-west-1.amazonaws.com');
    expect(checkEndpointUrl('--service_endpoint', 'http://127.0.0.1:4566')).toBe('http://127.0.0.1:4566');
  });

  it.each(['not a url', 'ftp://example.com', 'sts.amazonaws.com'])(
    'rejects %j with exit 15', (value) => {
      expect(() => checkEndpointUrl('--sts_endpoint', value)).toThrow(
        expect.objectContaining({ exitCode: ExitCode.invalidEndpoint }));
    });

  it('rejects a bad endpoint in the environment before building clients', async () => {
    const env = { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SQS: 'localhost:9324' };

    expect(await exitCodeOf(createAwsClients({}, env))).toBe(ExitCode.invalidEndpoint);
  });
});

describe('building the clients', () => {
  it('leaves the SQS endpoint to the environment and never routes by queue URL', async () => {
    const clients = await createAwsClients({}, { AWS_REGION: 'us-east-1' });

    expect(clients.sqs.config.useQueueUrlAsEndpoint).toBe(false);
    expect(clients.sqs.config.endpoint).toBeUndefined();
    expect(clients.region).toBe('us-east-1');
    clients.destroy();
  });

  it('points S3 at --service_endpoint with path-style addressing', async () => {
    const clients = await createAwsClients(
      { serviceEndpoint: 'http://127.0.0.1:9000' },
      { AWS_REGION: 'us-east-1' },
    );
    const endpoint = await clients.s3.config.endpoint?.();

    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(9000);
    expect(clients.s3.config.forcePathStyle).toBe(true);
    clients.destroy();
  });

  it('uses path-style S3 when AWS_ENDPOINT_URL points S3 somewhere custom', async () => {
    const env = { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };
    const custom = await createAwsClients({}, env);
    const plain = await createAwsClients({}, { AWS_REGION: 'us-east-1' });

    expect(custom.s3.config.forcePathStyle).toBe(true);
    expect(plain.s3.config.forcePathStyle).toBe(false);
    custom.destroy();
    plain.destroy();
  });
});
