import { describe, expect, it } from 'vitest';

import { parseCommandLine } from '../src/cli/args.js';
import {
  InvalidSubscriberTypeError,
  MissingSubscriberArgumentError,
} from '../src/cli/cli-errors.js';
import { helpText } from '../src/cli/help.js';
import { OPTIONS } from '../src/cli/option-table.js';
import { ArgumentError, ExitCode } from '../src/errors.js';

const ROLE = 'arn:aws:iam::111122223333:role/WazuhReader';

function subscriberOptions(argv: string[]) {
  const result = parseCommandLine(argv);
  if (result.kind !== 'subscriber') throw new Error(`expected a subscriber run, got ${result.kind}`);
  return result.options;
}

function argumentError(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof ArgumentError) return error.message;
    throw error;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('parseCommandLine: subscriber runs', () => {
  it('reads the command line wazuh-modulesd builds for a subscriber block', () => {
    const options = subscriberOptions([
      '--subscriber', 'buckets', '--queue', 'wazuh-queue', '--external_id', 'ext',
      '--iam_role_arn', ROLE, '--iam_role_duration', '1800', '--aws_profile', 'prod',
      '--sts_endpoint', 'https://sts.example', '--service_endpoint', 'https://s3.example',
      '--discard-field', 'detail.type', '--discard-regex', '(?i)noise', '--debug', '2',
      '--skip_on_error',
    ]);

    expect(options).toMatchObject({
      subscriber: 'buckets', queue: 'wazuh-queue', externalId: 'ext', iamRoleArn: ROLE,
      iamRoleDurationSec: 1800, awsProfile: 'prod', stsEndpoint: 'https://sts.example',
      serviceEndpoint: 'https://s3.example', discardField: 'detail.type', debugLevel: 2,
      skipOnError: true,
    });
    expect(options.discardRegex?.test('NOISE here')).toBe(true);
    expect(options.dryRunOutput).toBeUndefined();
  });

  it('accepts the short spellings and --opt=value', () => {
    const options = subscriberOptions([
      '-sb=security_hub', '-q', 'q1', '-i', ROLE, '-rd=900', '-x', 'e', '-p', 'dev', '-d', '1',
      '-e', '-df', 'a.b', '-dr', 'x', '-st', 'https://sts', '-se', 'https://s3',
    ]);

    expect(options).toMatchObject({
      subscriber: 'security_hub', queue: 'q1', iamRoleDurationSec: 900, externalId: 'e',
      awsProfile: 'dev', debugLevel: 1, skipOnError: true, discardField: 'a.b',
      stsEndpoint: 'https://sts', serviceEndpoint: 'https://s3',
    });
  });

  it('takes the subscriber type in any case, as Wazuh does', () => {
    expect(subscriberOptions(['-sb', 'BUCKETS', '-q', 'q']).subscriber).toBe('buckets');
  });

  it('accepts a queue URL or ARN besides a name', () => {
    const url = 'https://sqs.eu-west-1.amazonaws.com/111122223333/my-queue';
    const arn = 'arn:aws:sqs:eu-west-1:111122223333:my-queue';

    expect(subscriberOptions(['-sb', 'buckets', '-q', url]).queue).toBe(url);
    expect(subscriberOptions(['-sb', 'buckets', '-q', arn]).queue).toBe(arn);
  });

  it('honours one region for a subscriber run and refuses several', () => {
    expect(subscriberOptions(['-sb', 'buckets', '-q', 'q', '-r', 'eu-west-1']).regions)
      .toEqual(['eu-west-1']);
    expect(argumentError(['-sb', 'buckets', '-q', 'q', '-r', 'eu-west-1,us-east-1']))
      .toMatch(/argument -r\/--regions: a subscriber run reads one queue in one region/);
  });

  it('turns --dry-run into output on stdout and --output into a file', () => {
    expect(subscriberOptions(['-sb', 'buckets', '-q', 'q', '--dry-run']).dryRunOutput).toBe('-');
    expect(subscriberOptions(['-sb', 'buckets', '-q', 'q', '--output', '/tmp/x.jsonl']).dryRunOutput)
      .toBe('/tmp/x.jsonl');
    expect(subscriberOptions(['-sb', 'buckets', '-q', 'q', '--output', '-']).dryRunOutput).toBe('-');
  });

  it('caps the debug level at 3', () => {
    expect(subscriberOptions(['-sb', 'buckets', '-q', 'q', '-d', '7']).debugLevel).toBe(3);
  });
});

describe('parseCommandLine: hand-off and help', () => {
  it('hands bucket runs on with the arguments exactly as given', () => {
    const argv = ['--bucket', 'my-logs', '--type', 'cloudtrail', '-d', '2', '--only_logs_after',
      '2024-JAN-31', '--trail_prefix', 'AWSLogs', '-r', 'us-east-1,eu-west-1'];

    expect(parseCommandLine(argv)).toEqual({ kind: 'handoff', mode: 'bucket', argv, debugLevel: 2 });
  });

  it('hands service runs on', () => {
    const argv = ['-sr', 'cloudwatchlogs', '-g', 'group-a', '-P'];
    expect(parseCommandLine(argv)).toMatchObject({ kind: 'handoff', mode: 'service', argv });
  });

  it('answers --help and -h even with other arguments around', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-sb', 'buckets', '-h'])).toEqual({ kind: 'help' });
  });

  it('lists every option in the help text', () => {
    const text = helpText();
    for (const spec of OPTIONS) expect(text).toContain(spec.long);
  });
});

describe('parseCommandLine: errors argparse would report (exit 2)', () => {
  it.each([
    [[], /one of the arguments -b\/--bucket -sr\/--service -sb\/--subscriber is required/],
    [['-b', 'logs', '-sb', 'buckets'], /argument -sb\/--subscriber: not allowed with argument -b/],
    [['-sb', 'buckets', '-q'], /argument -q\/--queue: expected one argument/],
    [['-sb', 'buckets', '-q', '--debug', '1'], /argument -q\/--queue: expected one argument/],
    [['-sb', 'buckets', '-q', 'a.b'], /argument -q\/--queue: Invalid SQS Name/],
    [['-sb', 'buckets', '-q', 'x'.repeat(81)], /Invalid SQS Name/],
    [['-sb', 'buckets', '-q', 'q', '--nope'], /unrecognized arguments: --nope/],
    [['-sb', 'buckets', '-q', 'q', 'stray'], /unrecognized arguments: stray/],
    [['-sb', 'buckets', '-q', 'q', '-i', 'role'], /argument -i\/--iam_role_arn: Invalid ARN/],
    [['-sb', 'buckets', '-q', 'q', '-i', ROLE, '-rd', '899'], /between 900 and 3600/],
    [['-sb', 'buckets', '-q', 'q', '-i', ROLE, '-rd', '3601'], /between 900 and 3600/],
    [['-sb', 'buckets', '-q', 'q', '-i', ROLE, '-rd', 'soon'], /between 900 and 3600/],
    [['-sb', 'buckets', '-q', 'q', '-rd', '900'], /--iam_role_duration argument but no --iam_role_arn/],
    [['-sb', 'buckets', '-q', 'q', '-e=yes'], /argument -e\/--skip_on_error: ignored explicit/],
    [['-sb', 'buckets', '-q', 'q', '-d', 'high'], /argument -d\/--debug: invalid debug level/],
    [['-sb', 'buckets', '-q', 'q', '-dr', '(?x)a'], /verbose flag/],
    [['-b', 'Bad_Bucket'], /argument -b\/--bucket: 'Bad_Bucket' isn't a valid bucket name/],
    [['-b', 'logs', '-c', '1234'], /argument -c\/--aws_account_id: Not valid AWS account ID/],
    [['-b', 'logs', '-r', 'mars-1'], /The region 'mars-1' has not a valid format/],
    [['-b', 'logs', '-s', '2024-13-01'], /not a valid date in format YYYY-MMM-DD/],
    [['-b', 'logs', '-s', '2023-FEB-29'], /not a valid date/],
    [['-b', 'logs', '-l', 'bad{prefix'], /has an invalid character/],
    [['-b', 'logs', '--dry-run'], /argument --dry-run: only applies to --subscriber runs/],
  ])('refuses %j', (argv, message) => {
    expect(argumentError(argv)).toMatch(message);
  });

  it('reports a missing mode before unrecognized arguments, like argparse', () => {
    expect(argumentError(['--nope'])).toMatch(/one of the arguments/);
  });
});

describe('parseCommandLine: subscriber checks made after parsing', () => {
  it('ends an unknown subscriber type with exit 12', () => {
    const parse = () => parseCommandLine(['-sb', 'cloudtrail', '-q', 'q']);

    expect(parse).toThrow(InvalidSubscriberTypeError);
    expect(parse).toThrow(expect.objectContaining({ exitCode: ExitCode.unexpected }));
  });

  it.each([
    [['-sb', 'security_lake', '-q', 'q', '-x', 'e'], '--iam_role_arn'],
    [['-sb', 'security_lake', '-i', ROLE, '-x', 'e'], '--queue'],
    [['-sb', 'security_lake', '-q', 'q', '-i', ROLE], '--external_id'],
    [['-sb', 'buckets'], '--queue'],
  ])('ends %j with exit 21 naming %s', (argv, option) => {
    const parse = () => parseCommandLine(argv);

    expect(parse).toThrow(MissingSubscriberArgumentError);
    expect(parse).toThrow(`no ${option} provided`);
    expect(parse).toThrow(expect.objectContaining({ exitCode: ExitCode.queueOperationFailed }));
  });
});
