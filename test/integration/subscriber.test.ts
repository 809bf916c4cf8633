// End to end: the real wrapper and program against fauxqs on 127.0.0.1, with a datagram
// socket at <tmp>/queue/sockets/queue playing analysisd.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

// @ts-expect-error plain JavaScript helper without type declarations
import { s3Notification } from '../../scripts/lib/local-aws.mjs';
// @ts-expect-error plain JavaScript helper without type declarations
import { startLocalSts } from '../../scripts/lib/local-sts.mjs';
import { missingBuild, runWodle, wodleEnv, type WodleRun } from '../support/wodle-process.js';
import { type LocalAws, datagramsOfBucket } from '../support/local-harness.js';
import { useWodleHarness } from '../support/wodle-harness.js';

const buildProblem = missingBuild();
if (buildProblem !== undefined) console.log(`skipping end-to-end tests: ${buildProblem}`);

describe.skipIf(buildProblem !== undefined)('the subscriber end to end', () => {
  const local = useWodleHarness('wodle-e2e-');

  const subscribe = (queue: string, extra: string[] = [], runEnv = local.env): Promise<WodleRun> =>
    runWodle(['--subscriber', 'buckets', '--queue', queue, ...extra], runEnv);

  it('sends every event with the Wazuh envelope, deletes the messages, and decodes odd keys', async () => {
    const queueUrl = await local.aws.createQueue('e2e-keys');
    await local.aws.createBucket('e2e-keys');
    const keys = ['plain/app.jsonl', 'with space/a+b café.log', 'ümlaut/€ & = ?.json'];
    for (const key of keys) {
      await local.aws.putAndNotify(queueUrl, 'e2e-keys', key, '{"n":1}\n{"n":2}\n{"n":3}\n');
    }

    const run = await subscribe('e2e-keys');

    expect(run.exitCode, run.stdout).toBe(0);
    const events = datagramsOfBucket(local.receiver, 'e2e-keys');
    expect(events).toHaveLength(9);
    for (const event of events) {
      expect(event.integration).toBe('aws');
      expect(event.aws.source).toBe('custom');
    }
    const perKey = new Map<string, number>();
    for (const event of events) {
      perKey.set(event.aws.log_info.log_file, (perKey.get(event.aws.log_info.log_file) ?? 0) + 1);
    }
    expect(Object.fromEntries(perKey)).toEqual(Object.fromEntries(keys.map((key) => [key, 3])));
    expect(await local.aws.queueDepth(queueUrl)).toBe(0);
    expect(run.lines.filter((line) => line.startsWith('ERROR:'))).toEqual([]);
    expect(run.lines.at(-1)).toMatch(/^INFO: Processed 3 messages \(3 deleted\), 3 objects, 9 events/);
  });

  it('goes on past a missing object and an unreadable body, and leaves only those', async () => {
    const queueUrl = await local.aws.createQueue('e2e-broken', { VisibilityTimeout: '60' });
    await local.aws.createBucket('e2e-broken');
    await local.aws.putAndNotify(queueUrl, 'e2e-broken', 'good-1.jsonl', '{"g":1}\n{"g":2}\n');
    await local.aws.sendMessage(queueUrl, 'this is { not a notification');
    await local.aws.sendMessage(queueUrl, s3Notification('e2e-broken', 'missing/object.log', 10));
    await local.aws.putAndNotify(queueUrl, 'e2e-broken', 'good-2.log', 'line one\nline two\nline three\n');

    const run = await subscribe('e2e-broken');

    expect(run.exitCode, run.stdout).toBe(12);
    const files = datagramsOfBucket(local.receiver, 'e2e-broken').map((event) => event.aws.log_info.log_file);
    expect(files.filter((file) => file === 'good-1.jsonl')).toHaveLength(2);
    expect(files.filter((file) => file === 'good-2.log')).toHaveLength(3);
    const errors = run.lines.filter((line) => line.startsWith('ERROR:'));
    expect(errors).toHaveLength(2);
    expect(errors.some((line) => line.includes('s3://e2e-broken/missing/object.log'))).toBe(true);
    expect(errors.some((line) => line.includes('body starts: this is { not a notification')))
      .toBe(true);
    expect(await local.aws.queueDepth(queueUrl)).toBe(2);
  });

  it('leaves a message whose object is a corrupt gzip stream, and deletes the others', async () => {
    const queueUrl = await local.aws.createQueue('e2e-corrupt', { VisibilityTimeout: '60' });
    await local.aws.createBucket('e2e-corrupt');
    await local.aws.putAndNotify(queueUrl, 'e2e-corrupt', 'broken/cut.json.gz', corruptGzip());
    await local.aws.putAndNotify(queueUrl, 'e2e-corrupt', 'good.log', 'one\ntwo\n');

    const run = await subscribe('e2e-corrupt');

    expect(run.exitCode, `${run.stdout}${run.stderr}`).toBe(8);
    expect(datagramsOfBucket(local.receiver, 'e2e-corrupt')).toHaveLength(2);
    expect(run.lines.filter((line) => line.startsWith('ERROR:'))).toEqual([
      expect.stringContaining('s3://e2e-corrupt/broken/cut.json.gz'),
    ]);
    expect(await local.aws.queueDepth(queueUrl)).toBe(1);
  });

  it('ends with exit 11 before touching the queue when Wazuh is not running', async () => {
    const queueUrl = await local.aws.createQueue('e2e-no-wazuh');
    await local.aws.createBucket('e2e-no-wazuh');
    await local.aws.putAndNotify(queueUrl, 'e2e-no-wazuh', 'a.log', 'x\n');
    const elsewhere = mkdtempSync(join(tmpdir(), 'wodle-no-wazuh-'));

    const run = await subscribe('e2e-no-wazuh', [], wodleEnv(local.aws.env, elsewhere));
    rmSync(elsewhere, { recursive: true, force: true });

    expect(run.exitCode).toBe(11);
    expect(run.lines.find((line) => line.startsWith('ERROR:'))).toContain('Wazuh must be running');
    expect(await visibleMessages(local.aws, queueUrl)).toBe(1);
  });

  it('ends with exit 20 when the queue does not exist', async () => {
    const run = await subscribe('e2e-no-such-queue');

    expect(run.exitCode).toBe(20);
    expect(run.lines.find((line) => line.startsWith('ERROR:'))).toContain('e2e-no-such-queue');
  });

  it('assumes the IAM role through --sts_endpoint with session WazuhLogParsing', async () => {
    const sts = await startLocalSts();
    const queueUrl = await local.aws.createQueue('e2e-role');
    await local.aws.createBucket('e2e-role');
    await local.aws.putAndNotify(queueUrl, 'e2e-role', 'r.log', 'one\ntwo\n');
    const roleArn = 'arn:aws:iam::111122223333:role/wazuh-subscriber';

    const run = await subscribe('e2e-role', [
      '--iam_role_arn', roleArn, '--external_id', 'wazuh-ext', '--iam_role_duration', '900',
      '--sts_endpoint', sts.endpoint,
    ]);
    await sts.stop();

    expect(run.exitCode, run.stdout).toBe(0);
    expect(sts.requests).toEqual([expect.objectContaining({
      action: 'AssumeRole', roleArn, sessionName: 'WazuhLogParsing', externalId: 'wazuh-ext',
      durationSeconds: 900,
    })]);
    expect(datagramsOfBucket(local.receiver, 'e2e-role')).toHaveLength(2);
  });

  it('ends with exit 3 when STS refuses the role, before any message is received', async () => {
    const sts = await startLocalSts({ deny: true });
    const queueUrl = await local.aws.createQueue('e2e-role-denied');
    await local.aws.sendMessage(queueUrl, s3Notification('e2e-role-denied', 'x.log', 1));

    const run = await subscribe('e2e-role-denied', [
      '--iam_role_arn', 'arn:aws:iam::111122223333:role/nope', '--sts_endpoint', sts.endpoint,
    ]);
    await sts.stop();

    expect(run.exitCode).toBe(3);
    expect(await visibleMessages(local.aws, queueUrl)).toBe(1);
  });

  it('reads credentials from --aws_profile, and ends with exit 23 for a profile that is not there', async () => {
    const queueUrl = await local.aws.createQueue('e2e-profile');
    await local.aws.createBucket('e2e-profile');
    await local.aws.putAndNotify(queueUrl, 'e2e-profile', 'p.log', 'one\n');
    const credentialsFile = join(local.wazuhDir, 'aws-credentials');
    writeFileSync(credentialsFile, '[wazuh]\naws_access_key_id = profile-key\n' +
      'aws_secret_access_key = profile-secret\n');
    const { AWS_ACCESS_KEY_ID: _key, AWS_SECRET_ACCESS_KEY: _secret, ...withoutKeys } = local.env;
    const profileEnv = { ...withoutKeys, AWS_SHARED_CREDENTIALS_FILE: credentialsFile };

    const missing = await subscribe('e2e-profile', ['--aws_profile', 'wazhu'], profileEnv);
    const found = await subscribe('e2e-profile', ['--aws_profile', 'wazuh'], profileEnv);

    expect(missing.exitCode).toBe(23);
    expect(missing.lines.find((line) => line.startsWith('ERROR:'))).toContain("'wazhu'");
    expect(found.exitCode, found.stdout).toBe(0);
    expect(datagramsOfBucket(local.receiver, 'e2e-profile')).toHaveLength(1);
  });

  it('follows AWS_ENDPOINT_URL_SQS and AWS_ENDPOINT_URL_S3, or --service_endpoint for S3', async () => {
    const queueUrl = await local.aws.createQueue('e2e-endpoints');
    await local.aws.createBucket('e2e-endpoints');
    const { AWS_ENDPOINT_URL: endpoint, ...withoutEndpoint } = local.env;
    const perService = { ...withoutEndpoint, AWS_ENDPOINT_URL_SQS: endpoint,
      AWS_ENDPOINT_URL_S3: endpoint };
    const sqsOnly = { ...withoutEndpoint, AWS_ENDPOINT_URL_SQS: endpoint };

    await local.aws.putAndNotify(queueUrl, 'e2e-endpoints', 'env.log', 'a\n');
    const byEnv = await subscribe('e2e-endpoints', [], perService);
    await local.aws.putAndNotify(queueUrl, 'e2e-endpoints', 'flag.log', 'b\n');
    const byFlag = await subscribe('e2e-endpoints', ['--service_endpoint', String(endpoint)], sqsOnly);

    expect(byEnv.exitCode, byEnv.stdout).toBe(0);
    expect(byFlag.exitCode, byFlag.stdout).toBe(0);
    expect(datagramsOfBucket(local.receiver, 'e2e-endpoints').map((event) => event.aws.log_info.log_file))
      .toEqual(['env.log', 'flag.log']);
  });

  it('ends with exit 15 for a bad endpoint URL and 22 when no region is given anywhere', async () => {
    const badEndpoint = await subscribe('e2e-any', [],
      { ...local.env, AWS_ENDPOINT_URL_SQS: 'localhost:4566' });
    const { AWS_REGION: _region, ...withoutRegion } = local.env;
    const noRegion = await subscribe('e2e-any', [], withoutRegion);

    expect(badEndpoint.exitCode).toBe(15);
    expect(noRegion.exitCode).toBe(22);
    expect(noRegion.lines.filter((line) => line.startsWith('ERROR:'))).toEqual([
      expect.stringContaining('AWS_REGION'),
    ]);
  });
});

async function visibleMessages(aws: LocalAws, queueUrl: string): Promise<number> {
  const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
  const { Attributes } = await aws.sqs.send(new GetQueueAttributesCommand({
    QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'],
  }));
  return Number(Attributes?.ApproximateNumberOfMessages);
}

/** A gzip header followed by bytes that are no deflate stream. */
function corruptGzip(): Buffer {
  const header = gzipSync('').subarray(0, 10);
  return Buffer.concat([header, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37])]);
}
