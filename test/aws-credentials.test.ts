import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @ts-expect-error plain JavaScript helper without type declarations
import { startLocalSts } from '../scripts/lib/local-sts.mjs';
import { createAwsClients } from '../src/aws/clients.js';
import { ROLE_SESSION_NAME, shareOneResolution } from '../src/aws/credentials.js';
import { mapAwsError } from '../src/aws/errors.js';
import { ExitCode } from '../src/errors.js';

interface StsRequest {
  action: string;
  roleArn: string;
  sessionName: string;
  externalId?: string;
  durationSeconds?: number;
  signedWithKeyId?: string;
}

interface LocalSts {
  endpoint: string;
  requests: StsRequest[];
  stop(): Promise<void>;
}

const BASE_ENV = {
  AWS_ACCESS_KEY_ID: 'base-key',
  AWS_SECRET_ACCESS_KEY: 'base-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
};

const ROLE_ARN = 'arn:aws:iam::111122223333:role/wazuh-reader';

describe('assuming an IAM role', () => {
  let sts: LocalSts;
  let deniedSts: LocalSts;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    sts = await startLocalSts();
    deniedSts = await startLocalSts({ deny: true });
    Object.assign(process.env, BASE_ENV);
    delete process.env.AWS_PROFILE;
  });

  afterAll(async () => {
    process.env = savedEnv;
    await sts.stop();
    await deniedSts.stop();
  });

  it('asks STS for the role with session WazuhLogParsing, the external id and the duration', async () => {
    const clients = await createAwsClients({
      iamRoleArn: ROLE_ARN,
      externalId: 'ext-123',
      iamRoleDurationSec: 1800,
      stsEndpoint: sts.endpoint,
      regions: ['eu-west-1'],
    }, { ...BASE_ENV });

    const identity = await clients.credentials();
    clients.destroy();

    expect(identity.accessKeyId).toMatch(/^ASIALOCAL/);
    expect(identity.sessionToken).toBeTruthy();
    expect(sts.requests.at(-1)).toEqual({
      action: 'AssumeRole',
      roleArn: ROLE_ARN,
      sessionName: ROLE_SESSION_NAME,
      externalId: 'ext-123',
      durationSeconds: 1800,
      signedWithKeyId: 'base-key',
    });
  });

  it('assumes the role once for both clients', async () => {
    const before = sts.requests.length;
    const clients = await createAwsClients(
      { iamRoleArn: ROLE_ARN, stsEndpoint: sts.endpoint, regions: ['us-east-1'] },
      { ...BASE_ENV },
    );

    await Promise.all([clients.credentials(), clients.credentials()]);
    await clients.credentials();
    clients.destroy();

    expect(sts.requests.length - before).toBe(1);
  });

  it('maps a refused AssumeRole to exit 3', async () => {
    const clients = await createAwsClients(
      { iamRoleArn: ROLE_ARN, stsEndpoint: deniedSts.endpoint, regions: ['us-east-1'] },
      { ...BASE_ENV },
    );

    const failure = await clients.credentials().catch((error: unknown) => error);
    clients.destroy();

    expect(mapAwsError(failure, 'credentials', ROLE_ARN).exitCode).toBe(ExitCode.invalidCredentials);
  });
});

describe('sharing one credential resolution', () => {
  it('resolves again once the temporary credentials are about to expire', async () => {
    let nowMs = 0;
    let calls = 0;
    const provider = shareOneResolution(async () => {
      calls++;
      return { accessKeyId: `k${calls}`, secretAccessKey: 's', expiration: new Date(3_600_000) };
    }, () => nowMs);

    await provider();
    nowMs = 60_000;
    await provider();
    nowMs = 3_600_000 - 60_000;
    const renewed = await provider();

    expect(calls).toBe(2);
    expect(renewed.accessKeyId).toBe('k2');
  });

  it('tries again after a failed resolution instead of keeping the failure', async () => {
    let calls = 0;
    const provider = shareOneResolution(async () => {
      calls++;
      if (calls === 1) throw new Error('temporary');
      return { accessKeyId: 'k', secretAccessKey: 's' };
    });

    await expect(provider()).rejects.toThrow('temporary');
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'k' });
  });
});
