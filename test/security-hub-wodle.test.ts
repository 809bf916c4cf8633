// security_hub end to end: the real wrapper against fauxqs on 127.0.0.1 and a datagram socket
// playing analysisd, on the Security Hub samples of the corpus.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { datagramsOfBucket } from './support/local-harness.js';
import { missingBuild, runWodle } from './support/wodle-process.js';
import { useWodleHarness } from './support/wodle-harness.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/logs/securityhub/', import.meta.url));
const buildProblem = missingBuild();
const skipReason = buildProblem ?? (existsSync(CORPUS) ? undefined : `${CORPUS} is missing`);
if (skipReason !== undefined) console.log(`skipping security_hub end-to-end tests: ${skipReason}`);

const BUCKET = 'security-hub-e2e';

describe.skipIf(skipReason !== undefined)('security_hub end to end', () => {
  const local = useWodleHarness('security-hub-e2e-');
  beforeAll(() => local.aws.createBucket(BUCKET));

  it('sends one event per finding of gzip and JSON-lines objects with odd keys', async () => {
    const queueUrl = await local.aws.createQueue('security-hub-e2e');
    const gzipKey = 'firehose/2023/06/15/hub events 1.gz';
    const linesKey = 'firehose/2023/06/15/asff+lines.jsonl';
    const gzipName =
      'securityhub-firehose-1-2023-06-15-10-00-00-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d.gz';
    await local.aws.putAndNotify(queueUrl, BUCKET, gzipKey, readFileSync(CORPUS + gzipName));
    await local.aws.putAndNotify(
      queueUrl,
      BUCKET,
      linesKey,
      readFileSync(CORPUS + 'securitylake-asff-findings-imported.jsonl'),
    );

    const run = await runWodle(
      ['--subscriber', 'security_hub', '--queue', 'security-hub-e2e'],
      local.env,
    );

    expect(run.exitCode, `${run.stdout}${run.stderr}`).toBe(0);
    const events = datagramsOfBucket(local.receiver, BUCKET);
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
    expect(await local.aws.queueDepth(queueUrl)).toBe(0);
  });
});
