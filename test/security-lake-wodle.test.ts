// security_lake end to end: the real wrapper against fauxqs on 127.0.0.1, a local STS for the
// role Security Lake subscribers must assume, and a datagram socket playing analysisd.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @ts-expect-error plain JavaScript helper without type declarations
import { eventBridgeNotification } from '../scripts/lib/local-aws.mjs';
// @ts-expect-error plain JavaScript helper without type declarations
import { startLocalSts } from '../scripts/lib/local-sts.mjs';
import { DATAGRAM_HEADER } from './support/local-harness.js';
import { missingBuild, runWodle } from './support/wodle-process.js';
import { useWodleHarness } from './support/wodle-harness.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const buildProblem = missingBuild();
const skipReason = buildProblem ?? (existsSync(CORPUS) ? undefined : `${CORPUS} is missing`);
if (skipReason !== undefined) console.log(`skipping security_lake end-to-end tests: ${skipReason}`);

const BUCKET = 'aws-security-data-lake-us-east-1-e2e';
const PREFIX = 'aws/CLOUD_TRAIL_MGMT/2.0/region=us-east-1/accountId=111122223333/eventDay=20240307';
const ROLE_ARN = 'arn:aws:iam::111122223333:role/wazuh-security-lake';

describe.skipIf(skipReason !== undefined)('security_lake end to end', () => {
  const local = useWodleHarness('security-lake-e2e-');
  let sts: { endpoint: string; requests: unknown[]; stop(): Promise<void> };

  beforeAll(async () => {
    sts = await startLocalSts();
    await local.aws.createBucket(BUCKET);
  });

  afterAll(async () => {
    await sts?.stop();
  });

  /** Uploads a corpus file under a Security Lake key and queues its EventBridge event. */
  async function putAndNotify(queueUrl: string, corpusPath: string, name: string) {
    const key = `${PREFIX}/${name}`;
    const size = await local.aws.putObject(BUCKET, key, readFileSync(CORPUS + corpusPath));
    await local.aws.sendMessage(queueUrl, eventBridgeNotification(BUCKET, key, size));
  }

  function runSecurityLake(queue: string) {
    return runWodle(
      [
        '--subscriber', 'security_lake', '--queue', queue,
        '--iam_role_arn', ROLE_ARN, '--external_id', 'wazuh-e2e', '--sts_endpoint', sts.endpoint,
      ],
      local.env,
    );
  }

  it('sends every row unwrapped, with OCSF fields as numbers and strings', async () => {
    const queueUrl = await local.aws.createQueue('security-lake-e2e');
    await putAndNotify(
      queueUrl,
      'parquet/made-ocsf-1.1.0-ConsoleLogin-3rowgroups-zstd.parquet',
      'a.parquet',
    );
    await putAndNotify(
      queueUrl,
      'parquet/securitylake-ocsf-1.1.0_SH_FINDINGS_compliance_findings_tests_SecHub-cis.test.parquet',
      'b.gz.parquet',
    );
    const before = local.receiver.datagrams.length;

    const run = await runSecurityLake('security-lake-e2e');

    expect(run.exitCode, `${run.stdout}${run.stderr}`).toBe(0);
    const rows = local.receiver.datagrams.slice(before).map((datagram) => {
      expect(datagram.startsWith(DATAGRAM_HEADER)).toBe(true);
      return JSON.parse(datagram.slice(DATAGRAM_HEADER.length));
    });
    expect(rows).toHaveLength(4);
    expect(rows.filter((row) => row.class_uid === 3002)).toHaveLength(3);
    expect(rows.find((row) => row.class_uid === 2003)).toMatchObject({
      category_uid: 2,
      severity_id: 5,
      metadata: { product: { name: 'Security Hub' } },
    });
    expect(rows.every((row) => !('integration' in row))).toBe(true);
    expect(sts.requests).not.toHaveLength(0);
    expect(await local.aws.queueDepth(queueUrl)).toBe(0);
  });

  it('leaves the message of a truncated file in the queue with an ERROR line naming it', async () => {
    const queueUrl = await local.aws.createQueue('security-lake-e2e-bad', {
      VisibilityTimeout: '60',
    });
    await putAndNotify(queueUrl, 'bad/truncated-ocsf.parquet', 'cut.parquet');
    await putAndNotify(queueUrl, 'parquet/wazuh-securitylake-test_file.parquet', 'ok.parquet');
    const before = local.receiver.datagrams.length;

    const run = await runSecurityLake('security-lake-e2e-bad');

    expect(run.exitCode, run.stdout).toBe(9);
    expect(run.lines.filter((line) => line.startsWith('ERROR:'))).toEqual([
      expect.stringContaining(`s3://${BUCKET}/${PREFIX}/cut.parquet`),
    ]);
    expect(local.receiver.datagrams.slice(before)).toEqual([
      `${DATAGRAM_HEADER}{"key1":"value1","key2":"value2"}`,
    ]);
    expect(await local.aws.queueDepth(queueUrl)).toBe(1);
  });
});
