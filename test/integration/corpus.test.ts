// The shared corpus end to end: every log file and every notification body of
// ../shared/corpus through the real wrapper, fauxqs and a datagram receiver, with the event
// counts of test/corpus-counts.ts (verified independently of this code).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

// @ts-expect-error plain JavaScript helper without type declarations
import { eventBridgeNotification } from '../../scripts/lib/local-aws.mjs';
// @ts-expect-error plain JavaScript helper without type declarations
import { startLocalSts } from '../../scripts/lib/local-sts.mjs';
import { CORPUS_COUNTS, findCorpus, isOutsideBucketsCorpus } from '../corpus-counts.js';
import { datagramsOfBucket, parseDatagram } from '../support/local-harness.js';
import { objectsNamedBy } from '../support/notification-keys.js';
import { missingBuild, runWodle } from '../support/wodle-process.js';
import { useWodleHarness } from '../support/wodle-harness.js';

const corpus = findCorpus();
const buildProblem = missingBuild();
const skipReason = 'missing' in corpus ? corpus.missing : buildProblem;
if (skipReason !== undefined) console.log(`skipping corpus end-to-end tests: ${skipReason}`);
const corpusDir = 'dir' in corpus ? corpus.dir : '';

/** Every file under dir, as paths relative to the corpus directory. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(corpusDir, dir), { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(join(corpusDir, path)).isFile())
    .sort();
}

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return counts;
}

describe.skipIf(skipReason !== undefined)('the shared corpus end to end', () => {
  const local = useWodleHarness('wodle-corpus-');

  it('sends the verified number of events for every log file, deletes all, and finds the queue empty after', async () => {
    const logs = filesUnder('logs');
    expect(logs.filter((path) => CORPUS_COUNTS[path] === undefined)).toEqual([]);
    const queueUrl = await local.aws.createQueue('corpus-logs');
    await local.aws.createBucket('corpus-logs');
    for (const path of logs) {
      await local.aws.putAndNotify(queueUrl, 'corpus-logs', path, readFileSync(join(corpusDir, path)));
    }

    const run = await runWodle(['--subscriber', 'buckets', '--queue', 'corpus-logs'], local.env);

    expect(run.exitCode, run.stdout).toBe(0);
    const events = datagramsOfBucket(local.receiver, 'corpus-logs');
    for (const event of events) {
      expect(event.integration).toBe('aws');
      expect(event.aws.source).toBe('custom');
    }
    const expected = Object.fromEntries(logs
      .map((path) => [path, CORPUS_COUNTS[path]])
      .filter(([, count]) => count !== 0));
    expect(countBy(events, (event) => event.aws.log_info.log_file)).toEqual(expected);
    expect(await local.aws.queueDepth(queueUrl)).toBe(0);

    const second = await runWodle(['--subscriber', 'buckets', '--queue', 'corpus-logs'], local.env);
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.lines.at(-1)).toMatch(/^INFO: Processed 0 messages/);
  }, 90_000);

  it('reads every bad/ file it can, and leaves exactly the ones that fail in the queue', async () => {
    const files = filesUnder('bad').filter((path) => !isOutsideBucketsCorpus(path));
    expect(files.filter((path) => CORPUS_COUNTS[path] === undefined)).toEqual([]);
    const queueUrl = await local.aws.createQueue('corpus-bad', { VisibilityTimeout: '120' });
    await local.aws.createBucket('corpus-bad');
    for (const path of files) {
      await local.aws.putAndNotify(queueUrl, 'corpus-bad', path, readFileSync(join(corpusDir, path)));
    }

    const run = await runWodle(['--subscriber', 'buckets', '--queue', 'corpus-bad'], local.env);

    const failing = files.filter((path) => typeof CORPUS_COUNTS[path] === 'string');
    expect([8, 9], run.stdout).toContain(run.exitCode);
    const expected = Object.fromEntries(files
      .filter((path) => typeof CORPUS_COUNTS[path] === 'number' && CORPUS_COUNTS[path] !== 0)
      .map((path) => [path, CORPUS_COUNTS[path]]));
    // A file that fails part way may have sent its first events: they are sent again when
    // its message comes back, and are not what this test counts.
    const events = datagramsOfBucket(local.receiver, 'corpus-bad')
      .filter((event) => !failing.includes(event.aws.log_info.log_file));
    expect(countBy(events, (event) => event.aws.log_info.log_file)).toEqual(expected);
    // Each failing file is reported once: in its own ERROR line, or, past the first few of a
    // kind, counted in that kind's closing "N more ..." line.
    const errors = run.lines.filter((line) => line.startsWith('ERROR:'));
    const namedOnce = failing.filter((path) =>
      errors.filter((line) => line.includes(`s3://corpus-bad/${path}`)).length === 1);
    const closing = errors.map((line) => /^ERROR: (\d+) more /.exec(line)).filter(Boolean);
    const folded = closing.reduce((sum, match) => sum + Number(match![1]), 0);
    expect(namedOnce.length + folded, errors.join('\n')).toBe(failing.length);
    expect(errors).toHaveLength(namedOnce.length + closing.length);
    expect(await local.aws.queueDepth(queueUrl)).toBe(failing.length);
  }, 60_000);

  it('reads Security Lake Parquet rows through an assumed role, one datagram per row', async () => {
    const sts = await startLocalSts();
    const queueUrl = await local.aws.createQueue('corpus-lake');
    const bucket = 'aws-security-data-lake-us-east-1-corpus';
    await local.aws.createBucket(bucket);
    const files = {
      'parquet/made-ocsf-1.1.0-ConsoleLogin-3rowgroups-zstd.parquet': 3,
      'parquet/securitylake-ocsf-1.1.0_CLOUD_TRAIL_account_change_tests_CreateUser.test.parquet': 1,
    };
    for (const path of Object.keys(files)) {
      const key = `aws/CLOUD_TRAIL_MGMT/2.0/region=us-east-1/${path.split('/')[1]}`;
      const size = await local.aws.putObject(bucket, key, readFileSync(join(corpusDir, path)));
      await local.aws.sendMessage(queueUrl, eventBridgeNotification(bucket, key, size));
    }
    const before = local.receiver.count;

    const run = await runWodle([
      '--subscriber', 'security_lake', '--queue', 'corpus-lake', '--external_id', 'lake-ext',
      '--iam_role_arn', 'arn:aws:iam::111122223333:role/lake-subscriber',
      '--sts_endpoint', sts.endpoint,
    ], local.env);
    await sts.stop();

    expect(run.exitCode, run.stdout).toBe(0);
    const rows = local.receiver.datagrams.slice(before).map(parseDatagram);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row).not.toHaveProperty('integration');
    expect(sts.requests).toEqual([expect.objectContaining({
      sessionName: 'WazuhLogParsing', externalId: 'lake-ext' })]);
    expect(await local.aws.queueDepth(queueUrl)).toBe(0);
  }, 60_000);

  it('fetches what every notification body names, and acknowledges test events', async () => {
    const bodies = filesUnder('notifications');
    const queueUrl = await local.aws.createQueue('corpus-notifications');
    const named = bodies.flatMap((path) =>
      objectsNamedBy(readFileSync(join(corpusDir, path), 'utf8')));
    for (const bucket of new Set(named.map((object) => object.bucket))) {
      await local.aws.createBucket(bucket);
    }
    for (const object of named) {
      await local.aws.putObject(object.bucket, object.key, '{"line":1}\n{"line":2}\n{"line":3}\n');
    }
    for (const path of bodies) {
      await local.aws.sendMessage(queueUrl, readFileSync(join(corpusDir, path), 'utf8'));
    }

    const run = await runWodle(['--subscriber', 'buckets', '--queue', 'corpus-notifications'], local.env);

    expect(run.exitCode, run.stdout).toBe(0);
    const buckets = new Set(named.map((object) => object.bucket));
    const events = [...buckets].flatMap((bucket) => datagramsOfBucket(local.receiver, bucket));
    const sent = countBy(events, (event) => `${event.aws.log_info.s3bucket}/${event.aws.log_info.log_file}`);
    const perObject = countBy(named, (object) => `${object.bucket}/${object.key}`);
    expect(sent).toEqual(Object.fromEntries(
      Object.entries(perObject).map(([object, times]) => [object, times * 3])));
    expect(run.lines.at(-1)).toMatch(new RegExp(`^INFO: Processed ${bodies.length} messages ` +
      `\\(${bodies.length} deleted\\), ${named.length} objects`));
    expect(await local.aws.queueDepth(queueUrl)).toBe(0);
  }, 60_000);
});
