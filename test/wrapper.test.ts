// The real `wodle/aws-s3` wrapper, run as wazuh-modulesd runs it, over a table of argument
// lines: exit code and the `ERROR:` / `error:` text for each. Lines that would start a real
// subscriber run get an empty WAZUH_PATH (no analysisd socket: exit 11 before any AWS request)
// and, in case, AWS settings that point at a closed loopback port with fake credentials.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CHECKOUT = resolve(import.meta.dirname, '..');
const WRAPPER = join(CHECKOUT, 'wodle/aws-s3');
const ROLE = 'arn:aws:iam::111122223333:role/WazuhReader';

const emptyWazuh = mkdtempSync(join(tmpdir(), 'wrapper-wazuh-'));

/** Nothing listens on the discard port: any AWS request would fail here, on loopback. */
const SAFE_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  WAZUH_PATH: emptyWazuh,
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_EC2_METADATA_DISABLED: 'true',
  // This host's own AWS configuration must not change what the runs do.
  AWS_CONFIG_FILE: join(emptyWazuh, 'aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(emptyWazuh, 'aws-credentials'),
};

afterAll(() => rmSync(emptyWazuh, { recursive: true, force: true }));

function runWrapper(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(WRAPPER, args, {
    encoding: 'utf8',
    env: { ...SAFE_ENV, ...env },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** argparse-style refusals: usage and `aws-s3: error:` on stderr, exit 2, nothing on stdout. */
const ARGUMENT_ERRORS: ReadonlyArray<readonly [string[], string]> = [
  [[], 'one of the arguments -b/--bucket -sr/--service -sb/--subscriber is required'],
  [['-b', 'logs', '-sb', 'buckets'], 'argument -sb/--subscriber: not allowed with argument -b/--bucket'],
  [['-sr', 'inspector', '-b', 'logs'], 'argument -b/--bucket: not allowed with argument -sr/--service'],
  [['-sb', 'buckets', '-q'], 'argument -q/--queue: expected one argument'],
  [['-sb', 'buckets', '-q', '-e'], 'argument -q/--queue: expected one argument'],
  [['-sb', 'buckets', '-q', 'bad.name'], 'argument -q/--queue: Invalid SQS Name specified'],
  [['-sb', 'buckets', '--queue=', '-e'], 'argument -q/--queue: Invalid SQS Name specified'],
  [['-sb', 'buckets', '-q', 'q'.repeat(81)], 'argument -q/--queue: Invalid SQS Name specified'],
  [['-sb', 'buckets', '-q', 'q', '--unknown'], 'unrecognized arguments: --unknown'],
  [['-sb', 'buckets', '-q', 'q', 'extra', 'words'], 'unrecognized arguments: extra words'],
  [['-sb', 'buckets', '-q', 'q', '-i', 'not-an-arn'], 'argument -i/--iam_role_arn: Invalid ARN Role'],
  [['-sb', 'buckets', '-q', 'q', '-i', ROLE, '-rd', '899'], 'Value must be between 900 and 3600'],
  [['-sb', 'buckets', '-q', 'q', '-i', ROLE, '-rd', '3601'], 'Value must be between 900 and 3600'],
  [['-sb', 'buckets', '-q', 'q', '-i', ROLE, '--iam_role_duration=1h'], 'between 900 and 3600'],
  [['-sb', 'buckets', '-q', 'q', '-rd', '1800'], 'Used --iam_role_duration argument but no --iam_role_arn provided.'],
  [['-sb', 'buckets', '-q', 'q', '--skip_on_error=yes'], "argument -e/--skip_on_error: ignored explicit argument 'yes'"],
  [['-sb', 'buckets', '-q', 'q', '-d', 'verbose'], 'argument -d/--debug: invalid debug level'],
  [['-sb', 'buckets', '-q', 'q', '-dr', '(?x) a'], 'the verbose flag (?x)'],
  [['-sb', 'buckets', '-q', 'q', '-dr', 'a(?i:b)'], 'scoped inline flags'],
  [['-sb', 'buckets', '-q', 'q', '-dr', '(?>a)'], 'atomic groups'],
  [['-sb', 'buckets', '-q', 'q', '-dr', '(open'], "invalid --discard-regex '(open'"],
  [['-sb', 'buckets', '-q', 'q', '-r', 'eu-west-1,us-east-1'], 'a subscriber run reads one queue in one region'],
  [['-sb', 'buckets', '-q', 'q', '-r', 'moon-base-1'], "The region 'moon-base-1' has not a valid format."],
  [['-b', 'Not_A_Bucket'], "argument -b/--bucket: 'Not_A_Bucket' isn't a valid bucket name."],
  [['-b', 'logs', '-c', '12345'], 'argument -c/--aws_account_id: Not valid AWS account ID'],
  [['-b', 'logs', '-s', '2024-01-31'], 'not a valid date in format YYYY-MMM-DD'],
  [['-b', 'logs', '-s', '2023-FEB-29'], 'not a valid date in format YYYY-MMM-DD'],
  [['-b', 'logs', '-l', 'prefix|pipe'], 'argument -l/--trail_prefix'],
  [['-b', 'logs', '--output', 'x.jsonl'], 'argument --output: only applies to --subscriber runs'],
];

/** Checks Wazuh makes after parsing: one ERROR line on stdout and its exit code. */
const RUN_ERRORS: ReadonlyArray<readonly [string[], number, string]> = [
  [['-sb', 'cloudtrail', '-q', 'q'], 12, "ERROR: Invalid type of subscriber 'cloudtrail'"],
  [['--subscriber=inspector', '--queue=q'], 12, 'ERROR: Invalid type of subscriber'],
  [['-sb', 'security_lake', '-q', 'q', '-x', 'e'], 21, 'ERROR: Used a subscriber (security_lake) but no --iam_role_arn provided.'],
  [['-sb', 'security_lake', '-i', ROLE, '-x', 'e'], 21, 'ERROR: Used a subscriber (security_lake) but no --queue provided.'],
  [['-sb', 'security_lake', '-q', 'q', '-i', ROLE], 21, 'ERROR: Used a subscriber (security_lake) but no --external_id provided.'],
  [['-sb', 'buckets'], 21, 'ERROR: Used a subscriber (buckets) but no --queue provided.'],
  [['-sb', 'buckets', '-q', 'q', '--output', '/nonexistent-dir/x.jsonl'], 1, 'ERROR: Unknown error: cannot open --output file'],
  [['-sb', 'buckets', '-q', 'q', '-p', 'no-such-profile'], 23, "ERROR: The AWS profile 'no-such-profile' was not found"],
  [['-b', 'my-logs'], 12, "ERROR: bucket runs need Wazuh's Python aws-s3 wodle"],
  [['-sr', 'cloudwatchlogs', '-r', 'us-east-1'], 12, "ERROR: service runs need Wazuh's Python aws-s3 wodle"],
];

/** Valid subscriber runs: with no analysisd socket they end with 11 before touching AWS. */
const SUBSCRIBER_RUNS: ReadonlyArray<readonly string[]> = [
  ['--subscriber', 'buckets', '--queue', 'wazuh-queue'],
  ['-sb', 'BUCKETS', '-q', 'wazuh-queue'],
  ['-sb=security_hub', '-q=wazuh-queue', '-d', '1'],
  ['-sb', 'buckets', '-q', 'wazuh-queue', '-e', '-d', '3'],
  ['-sb', 'buckets', '-q', 'wazuh-queue', '-df', 'detail.type', '-dr', '(?i)(?P<n>noise)'],
  ['-sb', 'buckets', '-q', 'wazuh-queue', '-r', 'us-east-1'],
  ['-sb', 'buckets', '-q', 'wazuh-queue', '-se', 'http://127.0.0.1:9', '-st', 'http://127.0.0.1:9'],
  ['-sb', 'buckets', '-q', 'arn:aws:sqs:us-east-1:111122223333:wazuh-queue'],
];

describe('wodle/aws-s3 refuses bad command lines like argparse', () => {
  it.each(ARGUMENT_ERRORS)('%j exits 2 with "%s"', (args, message) => {
    const result = runWrapper(args);

    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^usage: aws-s3 \[options\]\naws-s3: error: /);
    expect(result.stderr).toContain(message);
  });
});

describe('wodle/aws-s3 ends runs it cannot do with one ERROR line', () => {
  it.each(RUN_ERRORS)('%j exits %i with "%s"', (args, code, message) => {
    const result = runWrapper(args);

    expect(result.status).toBe(code);
    expect(result.stdout.startsWith(message)).toBe(true);
    expect(result.stdout.match(/^ERROR: /gm)).toHaveLength(1);
    expect(result.stderr).toBe('');
  });
});

describe('wodle/aws-s3 starts valid subscriber runs', () => {
  it.each(SUBSCRIBER_RUNS)('%j exits 11 when Wazuh is not running', (...args) => {
    const result = runWrapper(args);

    expect(result.status).toBe(11);
    expect(result.stdout).toMatch(/^ERROR: Wazuh must be running\./m);
    expect(result.stdout.split('\n').find((line) => line.startsWith('ERROR:')))
      .toMatch(/^ERROR: Wazuh must be running\. Cannot connect to \S+\/queue\/sockets\/queue: ENOENT$/);
    expect(result.stderr).toBe('');
  });
});

describe('wodle/aws-s3 reports a failure with a stack trace only at debug level 2', () => {
  const failing = ['-sb', 'buckets', '-q', 'q', '--output', '/nonexistent-dir/x.jsonl'];

  it.each([
    [[], false],
    [['-d', '1'], false],
    [['-d', '2'], true],
  ])('with %j: stack trace %s', (debug, shown) => {
    const result = runWrapper([...failing, ...debug]);

    expect(result.status).toBe(1);
    expect(/^DEBUG: .* at /m.test(result.stdout)).toBe(shown);
  });
});

describe('wodle/aws-s3 help and environment', () => {
  it.each([['--help'], ['-h'], ['-sb', 'buckets', '--help']])('%j prints the help and exits 0', (...args) => {
    const result = runWrapper(args);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: aws-s3 \[options\]/);
    expect(result.stdout).toContain('--discard-regex');
  });

  it('exits 4 with an ERROR line when WAZUH_AWS_NODE names no Node.js', () => {
    const result = runWrapper(['-h'], { WAZUH_AWS_NODE: join(emptyWazuh, 'no-node') });

    expect(result.status).toBe(4);
    expect(result.stdout).toMatch(/^ERROR: Node.js was not found/);
  });

  it('exits 4 with an ERROR line when Node.js is older than 20', () => {
    const oldNode = join(emptyWazuh, 'node18');
    writeFileSync(oldNode, '#!/bin/sh\necho v18.20.4\n');
    chmodSync(oldNode, 0o755);
    const result = runWrapper(['-h'], { WAZUH_AWS_NODE: oldNode });

    expect(result.status).toBe(4);
    expect(result.stdout).toMatch(/^ERROR: Node.js 20 or newer is required, but .*v18\.20\.4/);
  });

  it('finds node in the usual places when PATH does not have it', () => {
    const result = runWrapper(['-h'], { PATH: '/nonexistent' });

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: aws-s3/);
  });
});
