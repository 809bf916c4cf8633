// security_hub end to end: the real wrapper against fauxqs on 127.0.0.1 and a datagram socket
// playing analysisd, on the Security Hub samples of the corpus.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @ts-expect-error plain JavaScript helper without type declarations
import { startLocalAws } from '../scripts/lib/local-aws.mjs';
// @ts-expect-error plain JavaScript helper without type declarations
import { startReceiver } from '../scripts/lib/receiver.mjs';
import { type LocalAws, type Receiver, datagramsOfBucket } from './support/local-harness.js';
import { missingBuild, runWodle, wodleEnv } from './support/wodle-process.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/logs/securityhub/', import.meta.url));
const buildProblem = missingBuild();
const skipReason = buildProblem ?? (existsSync(CORPUS) ? undefined : `${CORPUS} is missing`);
if (skipReason !== undefined) console.log(`skipping security_hub end-to-end tests: ${skipReason}`);

const BUCKET = 'security-hub-e2e';

describe.skipIf(skipReason !== undefined)('security_hub end to end', () => {
  let aws: LocalAws;
  let receiver: Receiver;
  let wazuhDir: string;

  beforeAll(async () => {
    wazuhDir = mkdtempSync(join(tmpdir(), 'security-hub-e2e-'));
    mkdirSync(join(wazuhDir, 'queue', 'sockets'), { recursive: true });
    receiver = startReceiver(join(wazuhDir, 'queue', 'sockets', 'queue'));
    aws = await startLocalAws();
    await aws.createBucket(BUCKET);
  });

  afterAll(async () => {
    receiver?.stop();
    await aws?.stop();
    rmSync(wazuhDir, { recursive: true, force: true });
  });

  it('sends one event per finding of gzip and JSON-lines objects with odd keys', async () => {
    const queueUrl = await aws.createQueue('security-hub-e2e');
    const gzipKey = 'firehose/2023/06/15/hub events 1.gz';
    const linesKey = 'firehose/2023/06/15/asff+lines.jsonl';
    const gzipName =
      'securityhub-firehose-1-2023-06-15-10-00-00-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d.gz';
    await aws.putAndNotify(queueUrl, BUCKET, gzipKey, readFileSync(CORPUS + gzipName));
    await aws.putAndNotify(
      queueUrl,
      BUCKET,
      linesKey,
      readFileSync(CORPUS + 'securitylake-asff-findings-imported.jsonl'),
    );

    const run = await runWodle(
      ['--subscriber', 'security_hub', '--queue', 'security-hub-e2e'],
      wodleEnv(aws.env, wazuhDir),
    );

    expect(run.exitCode, `${run.stdout}${run.stderr}`).toBe(0);
    const events = datagramsOfBucket(receiver, BUCKET);
    expect(events).toHaveLength(10);
    expect(
      events.every((event) => event.integration === 'aws' && event.aws.source === 'securityhub'),
    ).toBe(true);
    const perKey = (key: string) => events.filter((event) => event.aws.log_info.log_file === key);
    expect(perKey(gzipKey)).toHaveLength(5);
    expect(perKey(linesKey)).toHaveLength(5);
    expect(perKey(gzipKey)[0]?.aws).toMatchObject({
      detail_type: 'Security Hub Findings - Imported',
      finding: { SchemaVersion: '2018-10-08', Severity: { Label: 'MEDIUM' } },
    });
    expect(await aws.queueDepth(queueUrl)).toBe(0);
  });
});
